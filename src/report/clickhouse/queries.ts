// The SQL of the ClickHouse report: one aggregate query per report section, read with FINAL so
// that ids a retry stored twice count once (ReplacingMergeTree only merges in the background).
// Ties between equal counts break on `min(seq)`, the first arrival, as the JavaScript report's
// maps keep insertion order. Written for ClickHouse 18.16 and later: no query parameters (values
// go through sqlString), no JSONExtract (typed columns), no window functions.
import { sqlString } from '../../collector/sinks/clickhouseEscape'
import { LCP_RANK } from '../sessions'
import { METRIC_NAMES } from '../vitals'

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

/** Envelope columns the queries read. */
const ENVELOPE = [
  'id',
  'ts',
  'seq',
  'type',
  'sessionId',
  'anonymousId',
  'pageId',
  'urlPath',
  'experimentNames',
  'experimentVariants',
  'droppedReasons',
  'droppedCounts',
].join(', ')

/** The report fields of `facts` (see clickhouseRow), by ClickHouse type; absent keys read as '' or 0. */
const FACT_STRINGS = [
  'name',
  'rating',
  'target',
  'funnel',
  'step',
  'experiment',
  'variant',
  'section',
  'selector',
  'text',
  'fingerprint',
  'message',
  'errorType',
  'source',
  'afterClick',
  'form',
  'lastField',
  'field',
  'reason',
]
const FACT_NUMBERS = [
  'value',
  'visibleMs',
  'occurrences',
  'replayBytes',
  'retried',
  'beaconRejected',
  'persisted',
  'invalid',
]
const FACT_INTEGERS = ['stepIndex', 'depthPct', 'sectionOrder']
/** Absent means NULL for these (a step without msSincePrevious, a leave without engagedMs). */
const FACT_NULLABLE = ['msSincePrevious', 'engagedMs', 'replayStart', 'replayEnd']

/**
 * The SELECT list that turns `facts` into columns with the names the queries use. In a subquery,
 * so ClickHouse extracts only what the outer query reads.
 */
const FACTS = [
  ...FACT_STRINGS.map((key) => `visitParamExtractString(facts, '${key}') AS ${key}`),
  ...FACT_NUMBERS.map((key) => `visitParamExtractFloat(facts, '${key}') AS ${key}`),
  ...FACT_INTEGERS.map((key) => `toInt32(visitParamExtractInt(facts, '${key}')) AS ${key}`),
  ...FACT_NULLABLE.map(
    (key) => `if(visitParamHas(facts, '${key}'), visitParamExtractFloat(facts, '${key}'), NULL) AS ${key}`,
  ),
].join(', ')

/** The table to read and the rows of it that belong to the report. */
export interface QueryScope {
  /** Quoted `db`.`table`. */
  table: string
  /** Only rows with this `site` (null: every site). */
  site: string | null
  /** Only events with `since <= ts < until` (epoch ms; undefined: no bound). */
  since?: number
  until?: number
}

/**
 * SELECT-list items for the q-quantile of `value` over the rows matching `condition`:
 * `<alias>N` (how many values), `<alias>Lo` and `<alias>Hi` (the two order statistics the
 * quantile interpolates between, Hyndman & Fan type 7 as in stats.ts), so that the JavaScript
 * `quantileSorted` computes the same double from them. Exact: ClickHouse sorts every value.
 */
export function quantileItems(alias: string, value: string, condition: string, q: number): string {
  const s = `${alias}S`
  const n = `${alias}N`
  const i = `${alias}I`
  return [
    `length((arraySort(groupArrayIf(${value}, ${condition})) AS ${s})) AS ${n}`,
    `if(${n} = 0, 0, toUInt64(floor((toFloat64(${n}) - 1) * ${q}))) AS ${i}`,
    `${s}[${i} + 1] AS ${alias}Lo`,
    `${s}[least(${i} + 2, ${n})] AS ${alias}Hi`,
  ].join(', ')
}

/** `IN (…)` list of escaped strings; `('')` when empty so the SQL stays valid and matches nothing real. */
export const inList = (values: readonly string[]): string =>
  `(${values.length ? values.map(sqlString).join(', ') : "''"})`

const METRICS = `(${METRIC_NAMES.map(sqlString).join(', ')})`
const LCP_RANK_SQL = `multiIf(rating = 'good', ${LCP_RANK.good},
  rating = 'needs-improvement', ${LCP_RANK['needs-improvement']}, ${LCP_RANK.poor})`

/** Builds every query of the report for one scope. */
export function createQueries({ table, site, since, until }: QueryScope) {
  const siteIs = [
    site === null ? '' : `site = ${sqlString(site)} AND `,
    since === undefined ? '' : `ts >= ${Math.trunc(since)} AND `,
    until === undefined ? '' : `ts < ${Math.trunc(until)} AND `,
  ].join('')
  const from = (where = '1') => `FROM (SELECT ${ENVELOPE}, ${FACTS} FROM ${table} FINAL WHERE ${siteIs}(${where}))`
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
    /**
     * One row per distinct session state (exposures, mixed experiments, conversion-funnel mask,
     * goal, worst LCP) with its number of sessions: the per-session join of the JavaScript report,
     * done in ClickHouse with two GROUP BY sessionId subqueries, so Node only gets the states.
     */
    sessionStates: (funnel: string | null, goal: string | null) => `
      SELECT exposures, mixed, mask, hasGoal, worstLcp, firstDay, hadError, count() AS n FROM (
        SELECT sessionId,
          groupBitOrIf(bitShiftLeft(toUInt64(1), toUInt64(stepIndex)),
            type = 'funnel_step' AND stepIndex >= 0 AND funnel = ${sqlString(funnel ?? '')}
            AND ${funnel === null ? 0 : 1}) AS mask,
          countIf(type = 'track' AND name = ${sqlString(goal ?? '')} AND ${goal === null ? 0 : 1}) > 0 AS hasGoal,
          maxIf(${LCP_RANK_SQL}, type = 'vital' AND name = 'LCP') AS worstLcp,
          intDiv(min(ts), 86400000) * 86400000 AS firstDay, countIf(type = 'error') > 0 AS hadError
        ${from()} GROUP BY sessionId
      ) ANY LEFT JOIN (
        SELECT sessionId, arraySort(groupArray((experiment, first))) AS exposures,
          arraySort(groupArrayIf(experiment, isMixed)) AS mixed
        FROM (SELECT sessionId, experiment, argMin(variant, seq) AS first, uniqExact(variant) > 1 AS isMixed
          ${from("type = 'experiment'")} GROUP BY sessionId, experiment)
        GROUP BY sessionId
      ) USING sessionId
      GROUP BY exposures, mixed, mask, hasGoal, worstLcp, firstDay, hadError`,
    variants: `SELECT experiment, variant, min(seq) AS first ${from("type = 'experiment'")}
      GROUP BY experiment, variant ORDER BY first`,
    guardrails: `SELECT exposedTo, exposedVariant, countIf(type = 'rage_click') AS rageClicks,
      countIf(type = 'dead_click') AS deadClicks,
      sumIf(${occurrences}, type = 'error') AS errors
      ${from("type IN ('rage_click', 'dead_click', 'error')")}
      ARRAY JOIN experimentNames AS exposedTo, experimentVariants AS exposedVariant GROUP BY exposedTo, exposedVariant`,
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
