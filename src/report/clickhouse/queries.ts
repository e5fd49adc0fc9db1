// The SQL of the report's counting sections (totals, funnels, friction lists, attention, vitals,
// pages, replays): one aggregate query each, over the scope of sql.ts. Ties between equal counts
// break on `min(seq)`, the first arrival, as the JavaScript report's maps keep insertion order.
import { sqlString } from '../../collector/sinks/clickhouseEscape'
import { METRIC_NAMES } from '../vitals'
import { exposedEventsSql, fromScope, inList, quantileItems, type FirstExposure, type QueryScope } from './sql'

/** Highest section `order` tallied as itself (attention.ts pools later positions into it). */
const MAX_SECTION_ORDER = 50

/** Rows per friction list, sections listed, targets listed, paths kept: as in the JavaScript report. */
const REPORTED_ITEMS = 20
const REPORTED_SECTIONS = 30
const REPORTED_TARGETS = 10
const MAX_PATHS = 200
const MAX_TYPES = 100
const MAX_FORMS = 1000
const PAGES_PER_ITEM = 3
const REPLAY_SESSIONS = 50

const METRICS = `(${METRIC_NAMES.map(sqlString).join(', ')})`

/** Builds every query of the report for one scope. */
export function createQueries(scope: QueryScope) {
  const { table } = scope
  const from = fromScope(scope)
  const vital = `type = 'vital' AND name IN ${METRICS}`
  const occurrences = 'occurrences'
  return {
    totals: `SELECT count() AS events, uniqExact(sessionId) AS sessions, uniqExact(anonymousId) AS visitors,
      countIf(type = 'page') AS pageViews, min(ts) AS firstTs, max(ts) AS lastTs,
      countIf(type = 'funnel_step' AND stepIndex < 0) AS ignoredSteps ${from()}`,
    /** Every stored event, filters or not: what the filters left out is the difference. */
    stored: `SELECT count() AS n FROM ${table} FINAL`,
    byType: `SELECT type, count() AS n, min(seq) AS first ${from()}
      GROUP BY type ORDER BY n DESC, first LIMIT ${MAX_TYPES}`,
    health: `SELECT count() AS reports, sum(retried) AS retried, sum(beaconRejected) AS beaconRejected,
      sum(persisted) AS persisted, sum(invalid) AS invalid ${from("type = 'sdk_health'")}`,
    dropped: `SELECT droppedReason, sum(droppedCount) AS n, min(seq) AS first ${from("type = 'sdk_health'")}
      ARRAY JOIN droppedReasons AS droppedReason, droppedCounts AS droppedCount GROUP BY droppedReason ORDER BY first`,
    funnelSteps: `SELECT funnel, stepIndex, argMin(step, seq) AS step, count() AS events,
      uniqExact(sessionId) AS sessions,
      min(seq) AS first, ${quantileItems('ms', 'assumeNotNull(msSincePrevious)', 'isNotNull(msSincePrevious)', 0.5)}
      ${from("type = 'funnel_step' AND stepIndex >= 0")} GROUP BY funnel, stepIndex ORDER BY first`,
    variants: `SELECT experiment, variant, min(seq) AS first ${from("type = 'experiment'")}
      GROUP BY experiment, variant ORDER BY first`,
    guardrails: (
      exposures: FirstExposure[],
    ) => `SELECT exposedTo, exposedVariant, countIf(type = 'rage_click') AS rageClicks,
      countIf(type = 'dead_click') AS deadClicks,
      sumIf(${occurrences}, type = 'error') AS errors
      FROM ${exposedEventsSql(from, "type IN ('rage_click', 'dead_click', 'error')", `type, ${occurrences}`, exposures)}
      GROUP BY exposedTo, exposedVariant`,
    /** LCP and INP values of the events exposed to each variant, for the guardrails' p75. */
    guardVitals: (
      exposures: FirstExposure[],
    ) => `SELECT exposedTo, exposedVariant, name, ${quantileItems('v', 'value', '1', 0.75)}
      FROM ${exposedEventsSql(from, "type = 'vital' AND name IN ('LCP', 'INP')", 'name, value', exposures)}
      GROUP BY exposedTo, exposedVariant, name`,
    selectors: `SELECT type, selector, count() AS n, argMaxIf(text, seq, text != '') AS text, min(seq) AS first
      ${from("type IN ('rage_click', 'dead_click')")}
      GROUP BY type, selector ORDER BY type, n DESC, first LIMIT ${REPORTED_ITEMS} BY type`,
    selectorPages: (selectors: string[]) => `SELECT type, selector, urlPath, count() AS n, min(seq) AS first
      ${from(`type IN ('rage_click', 'dead_click') AND selector IN ${inList(selectors)}`)}
      GROUP BY type, selector, urlPath
      ORDER BY type, selector, n DESC, first LIMIT ${PAGES_PER_ITEM} BY type, selector`,
    errors: `SELECT fingerprint, sum(${occurrences}) AS count, count() AS events,
      argMinIf(message, seq, message != '') AS message, argMinIf(errorType, seq, errorType != '') AS errorType,
      argMinIf(source, seq, source != '') AS source, min(seq) AS first
      ${from("type = 'error'")} GROUP BY fingerprint ORDER BY count DESC, first LIMIT ${REPORTED_ITEMS}`,
    errorPages: (fingerprints: string[]) => `SELECT fingerprint, urlPath, sum(${occurrences}) AS n, min(seq) AS first
      ${from(`type = 'error' AND fingerprint IN ${inList(fingerprints)}`)}
      GROUP BY fingerprint, urlPath ORDER BY fingerprint, n DESC, first LIMIT ${PAGES_PER_ITEM} BY fingerprint`,
    errorClicks: (fingerprints: string[]) => `SELECT fingerprint, afterClick, count() AS n, min(seq) AS first
      ${from(`type = 'error' AND afterClick != '' AND fingerprint IN ${inList(fingerprints)}`)}
      GROUP BY fingerprint, afterClick ORDER BY fingerprint, n DESC, first LIMIT 1 BY fingerprint`,
    forms: `SELECT form, countIf(type = 'form_start') AS starts, countIf(type = 'form_submit') AS submits,
      countIf(type = 'form_abandon') AS abandons, min(seq) AS first
      ${from("type IN ('form_start', 'form_submit', 'form_abandon', 'field_error')")}
      GROUP BY form ORDER BY starts + abandons DESC, first LIMIT ${MAX_FORMS}`,
    formLastFields: (forms: string[]) => `SELECT form, lastField, count() AS n, min(seq) AS first
      ${from(`type = 'form_abandon' AND form IN ${inList(forms)}`)}
      GROUP BY form, lastField ORDER BY form, n DESC, first LIMIT 1 BY form`,
    fieldErrors: (forms: string[]) => `SELECT form, field, reason, count() AS n, min(seq) AS first
      ${from(`type = 'field_error' AND form IN ${inList(forms)}`)}
      GROUP BY form, field, reason ORDER BY form, n DESC, first LIMIT ${REPORTED_ITEMS} BY form`,
    scroll: `SELECT depthPct, count() AS n ${from("type = 'scroll' AND depthPct >= 0")} GROUP BY depthPct`,
    sections: `SELECT section, count() AS views, sum(visibleMs) AS visibleMsSum, min(seq) AS first,
      length((arraySort(groupArray(if(sectionOrder >= 1, least(sectionOrder, ${MAX_SECTION_ORDER}), 1))) AS orders))
        AS n,
      orders[toUInt64(ceil(n / 2))] AS typicalOrder
      ${from("type = 'section'")} GROUP BY section ORDER BY views DESC, first LIMIT ${REPORTED_SECTIONS}`,
    metrics: `SELECT name, countIf(rating = 'poor') AS poor, ${quantileItems('v', 'value', '1', 0.75)},
      ${quantileItems('w', 'value', '1', 0.95)} ${from(vital)} GROUP BY name`,
    targets: `SELECT name, target, count() AS slowReports, countIf(rating = 'poor') AS poorReports, min(seq) AS first,
      ${quantileItems('v', 'value', '1', 0.75)}
      ${from(`${vital} AND target != '' AND rating != 'good'`)} GROUP BY name, target
      ORDER BY slowReports DESC, first LIMIT ${REPORTED_TARGETS}`,
    pages: `SELECT urlPath, count() AS events, countIf(type = 'page') AS pageViews,
      sumIf(assumeNotNull(engagedMs), type = 'page_leave' AND isNotNull(engagedMs)) AS engagedMsSum,
      countIf(type = 'page_leave' AND isNotNull(engagedMs)) AS leaves,
      countIf(type = 'rage_click') AS rageClicks, countIf(type = 'dead_click') AS deadClicks,
      sumIf(${occurrences}, type = 'error') AS errors, min(seq) AS first
      ${from()} GROUP BY urlPath ORDER BY pageViews DESC, events DESC, first LIMIT ${MAX_PATHS}`,
    pageScroll: (paths: string[]) => `SELECT urlPath, depthPct, count() AS n
      ${from(`type = 'scroll' AND depthPct >= 0 AND urlPath IN ${inList(paths)}`)} GROUP BY urlPath, depthPct`,
    pageVitals: (paths: string[]) => `SELECT urlPath, name, countIf(rating = 'poor') AS poor,
      ${quantileItems('v', 'value', '1', 0.75)}, ${quantileItems('w', 'value', '1', 0.95)}
      ${from(`${vital} AND urlPath IN ${inList(paths)}`)} GROUP BY urlPath, name`,
    replays: `SELECT sessionId, uniqExactIf(pageId, pageId != '') AS pages, count() AS chunks,
      sum(replayBytes) AS bytes,
      min(replayStart) AS firstTs, max(replayEnd) AS lastTs
      ${from("type = 'replay'")} GROUP BY sessionId ORDER BY lastTs DESC, sessionId LIMIT ${REPLAY_SESSIONS}`,
    replaySessions: `SELECT uniqExact(sessionId) AS sessions ${from("type = 'replay'")}`,
  }
}
