// The per-session join of the JavaScript report (sessions.ts), done in ClickHouse: one row per
// distinct session state with how many sessions share it, in the order the JavaScript report
// first meets each state, so that the report's own code (experiments, days, speed) runs unchanged.
import { sqlString } from '../../collector/sinks/clickhouseEscape'
import { LCP_RANK, type SessionState } from '../sessions'
import type { Conversion } from '../types'
import { exposedEventsSql, type FirstExposure, type From } from './sql'

const LCP_RANK_SQL = `multiIf(rating = 'good', ${LCP_RANK.good},
  rating = 'needs-improvement', ${LCP_RANK['needs-improvement']}, ${LCP_RANK.poor})`

/** The landing event of a session: its earliest `ts`, the first stored among equal ones (sessions.ts). */
const LANDING = '(ts, seq)'

/** SQL of `hostOf` (sessions.ts): the host after `://`, without a leading `www.`, lower-cased. */
const hostSql = (url: string) => `lowerUTF8(replaceRegexpOne(extract(${url}, '://([^/?#]*)'), '^www\\\\.', ''))`

/** SQL of `sourceOf` (sessions.ts) over the landing's context and url. */
const UTM_SOURCE_SQL = "visitParamExtractString(visitParamExtractRaw(landingContext, 'utm'), 'source')"
const SOURCE_SQL = `if((${UTM_SOURCE_SQL} AS utmSource) != '',
    lowerUTF8(utmSource),
    if((${hostSql("visitParamExtractString(landingContext, 'referrer')")} AS referrerHost) = ''
      OR referrerHost = ${hostSql('landingUrl')}, 'direct', referrerHost))`

/**
 * One row per session: when it started (`firstSeq`, the arrival of its first stored event, gives
 * the JavaScript report's session order), its landing's visitor, device and source, the
 * conversion funnel's step mask, the goal, the worst LCP, errors, and whether it converted.
 */
export function perSessionSql(from: From, conversion: Conversion | null): string {
  const funnel = conversion?.kind === 'funnel' ? conversion.funnel : null
  const goal = conversion?.kind === 'goal' ? conversion.goal : null
  const converted =
    conversion === null
      ? '0'
      : conversion.kind === 'goal'
        ? 'hasGoal'
        : `bitAnd(mask, ${2 ** conversion.stepIndex}) != 0`
  return `(
    SELECT sessionId, firstSeq, firstTs, firstDay, visitor, mask, hasGoal, worstLcp, hadError,
      toUInt8(${converted}) AS converted,
      if((visitParamExtractString(landingContext, 'deviceType') AS deviceType) = '', '(unknown)', deviceType) AS device,
      ${SOURCE_SQL} AS source
    FROM (
      SELECT sessionId, min(seq) AS firstSeq, min(ts) AS firstTs, intDiv(firstTs, 86400000) * 86400000 AS firstDay,
        argMin(anonymousId, ${LANDING}) AS visitor, argMin(context, ${LANDING}) AS landingContext,
        argMin(url, ${LANDING}) AS landingUrl,
        groupBitOrIf(bitShiftLeft(toUInt64(1), toUInt64(stepIndex)),
          type = 'funnel_step' AND stepIndex >= 0 AND funnel = ${sqlString(funnel ?? '')}
          AND ${funnel === null ? 0 : 1}) AS mask,
        countIf(type = 'track' AND name = ${sqlString(goal ?? '')} AND ${goal === null ? 0 : 1}) > 0 AS hasGoal,
        maxIf(${LCP_RANK_SQL}, type = 'vital' AND name = 'LCP') AS worstLcp,
        countIf(type = 'error') > 0 AS hadError
      ${from()} GROUP BY sessionId
    )
  )`
}

/** The events that set guardrail bits. */
const GUARDED =
  "type IN ('error', 'rage_click', 'dead_click', 'form_start', 'form_abandon') " +
  "OR (type = 'vital' AND name IN ('LCP', 'INP'))"

/** Guardrail bits (experiments.ts GUARD_*) of one event; 0 for the events that carry none. */
const GUARD_BIT = `multiIf(type = 'error', 1, type = 'rage_click', 2, type = 'dead_click', 4, type = 'form_start', 8,
  type = 'form_abandon', 16, type = 'vital' AND name = 'LCP', if(rating = 'good', 32, 96),
  type = 'vital' AND name = 'INP', if(rating = 'good', 128, 384), 0)`

/**
 * The distinct session states, each with its number of sessions (`n`) and its first session's
 * arrival (`first`, the order of the rows): exposures (first variant per experiment), mixed
 * experiments, guardrail bits per experiment (of events whose context carries an exposure to a
 * variant an earlier `experiment` event named), conversion-funnel mask, goal, worst LCP, landing day,
 * errors, device, source, and whether an earlier session of the same visitor exists (by first
 * `ts`, then arrival, as `returningSessions` in experiments.ts decides).
 */
export function sessionStatesSql(from: From, conversion: Conversion | null, firstExposures: FirstExposure[]): string {
  const sessions = perSessionSql(from, conversion)
  // Sessions grouped by visitor and unfolded again, so one scan tells each whether it is its
  // visitor's earliest (by first ts, then arrival).
  const columns = ['sessionId', 'firstSeq', 'firstDay', 'mask', 'hasGoal', 'worstLcp', 'hadError', 'device', 'source']
  const withReturning = `(
    SELECT ${columns.map((column, i) => `tupleElement(session, ${i + 1}) AS ${column}`).join(', ')},
      visitor != '' AND (tupleElement(session, ${columns.length + 1}), firstSeq) != visitorFirst AS returning
    FROM (
      SELECT visitor, groupArray((${columns.join(', ')}, firstTs)) AS visitorSessions,
        min((firstTs, firstSeq)) AS visitorFirst
      FROM ${sessions} GROUP BY visitor
    ) ARRAY JOIN visitorSessions AS session
  )`
  const exposures = `(
    SELECT sessionId, arraySort(groupArray((experiment, firstVariant))) AS exposures,
      arraySort(groupArrayIf(experiment, isMixed)) AS mixed
    FROM (SELECT sessionId, experiment, argMin(variant, seq) AS firstVariant, uniqExact(variant) > 1 AS isMixed
      ${from("type = 'experiment'")} GROUP BY sessionId, experiment)
    GROUP BY sessionId
  )`
  const guards = `(
    SELECT sessionId, arraySort(groupArray((exposedTo, bits))) AS guards FROM (
      SELECT sessionId, exposedTo, groupBitOr(${GUARD_BIT}) AS bits
      FROM ${exposedEventsSql(from, GUARDED, 'sessionId, type, name, rating', firstExposures)}
      GROUP BY sessionId, exposedTo
    ) GROUP BY sessionId
  )`
  const state = 'exposures, mixed, guards, mask, hasGoal, worstLcp, firstDay, hadError, device, source, returning'
  return `
    SELECT ${state}, min(firstSeq) AS first, count() AS n FROM (
      SELECT sessionId, firstSeq, firstDay, mask, hasGoal, worstLcp, hadError, device, source, returning,
        exposures, mixed, guards
      FROM (
        SELECT sessionId, firstSeq, firstDay, mask, hasGoal, worstLcp, hadError, device, source, returning,
          exposures, mixed
        FROM ${withReturning} ANY LEFT JOIN ${exposures} USING sessionId
      ) ANY LEFT JOIN ${guards} USING sessionId
    ) GROUP BY ${state} ORDER BY first`
}

/** One row of {@link sessionStatesSql}. */
export interface StateRow {
  exposures: Array<[string, string]>
  mixed: string[]
  guards: Array<[string, number]>
  mask: number
  hasGoal: number
  worstLcp: number
  /** Start (epoch ms) of the UTC day of the session's first event. */
  firstDay: number
  hadError: number
  device: string
  source: string
  returning: number
  n: number
}

/**
 * The visitor of every returning session's state. `returningSessions` (experiments.ts) calls a
 * session returning when its visitor's earliest session is another one; ClickHouse has decided
 * that already, so returning states share this visitor with {@link firstOfReturningVisitor},
 * which is earlier than all of them, and new ones have none ('(unknown)', never returning).
 */
const RETURNING_VISITOR = '\u0000returning'

/**
 * A session with no exposure, no conversion and no day, only there to be the earliest session of
 * {@link RETURNING_VISITOR}: passed to the experiments' result and nowhere else, it counts in no
 * tally (the result skips sessions without exposures).
 */
export const firstOfReturningVisitor = (): SessionState => ({
  ...sessionState(EMPTY_STATE, null),
  firstTs: -Infinity,
  visitor: RETURNING_VISITOR,
})

/** A state with nothing in it (one session, a new visitor's). */
export const EMPTY_STATE: StateRow = {
  exposures: [],
  mixed: [],
  guards: [],
  mask: 0,
  hasGoal: 0,
  worstLcp: 0,
  firstDay: 0,
  hadError: 0,
  device: '(unknown)',
  source: 'direct',
  returning: 0,
  n: 1,
}

/** The JavaScript report's record of the sessions a {@link StateRow} stands for. */
export function sessionState(row: StateRow, conversion: Conversion | null): SessionState {
  return {
    exposures: row.exposures.length > 0 ? new Map(row.exposures) : undefined,
    mixed: row.mixed.length > 0 ? new Set(row.mixed) : undefined,
    funnelSteps: conversion?.kind === 'funnel' && row.mask > 0 ? new Map([[conversion.funnel, row.mask]]) : undefined,
    hasGoal: row.hasGoal > 0,
    worstLcp: row.worstLcp,
    // Only its day is read (experiments and days group sessions by the UTC day they started).
    firstTs: row.firstDay,
    visitor: row.returning > 0 ? RETURNING_VISITOR : '(unknown)',
    device: row.device,
    source: row.source,
    hadError: row.hadError > 0,
    guards: row.guards.length > 0 ? new Map(row.guards) : undefined,
    // The friction cost and hesitation sections are computed in SQL (frictionCost.ts, hesitation.ts).
    pages: undefined,
    signals: undefined,
    hesitations: undefined,
  }
}
