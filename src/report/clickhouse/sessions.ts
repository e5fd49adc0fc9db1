// The per-session join of the JavaScript report (sessions.ts), done in ClickHouse: one row per
// distinct session state with how many sessions share it, in the order the JavaScript report
// first meets each state, so that the report's own code (experiments, days, speed) runs unchanged.
import { sqlString } from '../../collector/sinks/clickhouseEscape'
import { LCP_RANK } from '../sessions'
import type { SessionTable } from '../sessionTable'
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
 * `ts`, then arrival, as `returningSessions` in sessions.ts decides).
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
 * The {@link SessionTable} of the session states: each row stands for `n` sessions, numbered in
 * the order of the rows, so the JavaScript joins meet every key in the same order as over the
 * streaming report's sessions. ClickHouse has already decided which sessions are returning.
 */
export function sessionTableOf(rows: StateRow[], conversion: Conversion | null): SessionTable {
  let count = 0
  for (const row of rows) count += row.n
  const rowOf = new Int32Array(count)
  let session = 0
  rows.forEach((row, index) => {
    rowOf.fill(index, session, session + row.n)
    session += row.n
  })
  const mixed = rows.map((row) => new Set(row.mixed))
  const guards = rows.map((row) => new Map(row.guards))
  const funnel = conversion?.kind === 'funnel' ? conversion.funnel : undefined
  const at = (session: number) => rows[rowOf[session]]
  return {
    count,
    // Only its day is read (experiments and days group sessions by the UTC day they started).
    firstTs: (session) => at(session).firstDay,
    device: (session) => at(session).device,
    source: (session) => at(session).source,
    isReturning: (session) => at(session).returning > 0,
    hasGoal: (session) => at(session).hasGoal > 0,
    hadError: (session) => at(session).hadError > 0,
    worstLcp: (session) => at(session).worstLcp,
    // The mask is the conversion funnel's, the only one the joins ask for.
    funnelMask: (session, name) => (name === funnel ? at(session).mask : 0),
    forEachExposure(session, visit) {
      const index = rowOf[session]
      for (const [experiment, variant] of rows[index].exposures) {
        visit(experiment, variant, mixed[index].has(experiment), guards[index].get(experiment) ?? 0)
      }
    },
  }
}
