// What every query of the ClickHouse report shares: the scope (table, site, time window) read
// with FINAL so that ids a retry stored twice count once (ReplacingMergeTree only merges in the
// background), the `facts` columns, exact quantiles, and escaped IN lists. Written for
// ClickHouse 18.16 and later: no query parameters (values go through sqlString), no
// JSONExtract (typed columns and visitParam*), no window functions, one JOIN per SELECT.
import { sqlString } from '../../collector/sinks/clickhouseEscape'
import { quantileSorted } from '../stats'

/** Envelope columns the queries read (`context` and `fields` only by the queries that need them). */
const ENVELOPE = [
  'id',
  'ts',
  'seq',
  'type',
  'sessionId',
  'anonymousId',
  'pageId',
  'url',
  'urlPath',
  'experimentNames',
  'experimentVariants',
  'droppedReasons',
  'droppedCounts',
  'context',
  'fields',
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

/** `FROM (…)` of the scope's rows matching `where`, with the envelope and the facts as columns. */
export type From = (where?: string) => string

/** The FROM clause builder of a scope. */
export function fromScope({ table, site, since, until }: QueryScope): From {
  const scope = [
    site === null ? '' : `site = ${sqlString(site)} AND `,
    since === undefined ? '' : `ts >= ${Math.trunc(since)} AND `,
    until === undefined ? '' : `ts < ${Math.trunc(until)} AND `,
  ].join('')
  return (where = '1') => `FROM (SELECT ${ENVELOPE}, ${FACTS} FROM ${table} FINAL WHERE ${scope}(${where}))`
}

/**
 * SELECT-list items for the q-quantile of `value` over the rows matching `condition`:
 * `<alias>N` (how many values), `<alias>Lo` and `<alias>Hi` (the two order statistics the
 * quantile interpolates between, Hyndman & Fan type 7 as in stats.ts), so that the JavaScript
 * `quantileSorted` computes the same double from them (see {@link quantileOf}). Exact:
 * ClickHouse sorts every value.
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

/** The columns one {@link quantileItems} call adds to a row. */
export type Quantile<A extends string> = Record<`${A}N` | `${A}Lo` | `${A}Hi`, number>

/** The q-quantile (NaN when no values) from the count and the two order statistics a `quantileItems` query returned. */
export function quantileOf<A extends string>(row: Quantile<A>, alias: A, q: number): number {
  const n = row[`${alias}N`]
  const lower = Math.floor((n - 1) * q)
  const around: ArrayLike<number> = {
    length: n,
    [lower]: row[`${alias}Lo`],
    [Math.min(n - 1, lower + 1)]: row[`${alias}Hi`],
  }
  return quantileSorted(around, q)
}

/** `IN (…)` list of escaped strings; `('')` when empty so the SQL stays valid and matches nothing real. */
export const inList = (values: readonly string[]): string =>
  `(${values.length ? values.map(sqlString).join(', ') : "''"})`

/** `value` when it is a non-empty string, else '(unknown)': SQL of the report's `str()` (path.ts). */
export const strSql = (value: string): string => `if((${value}) = '', '(unknown)', ${value})`

/**
 * A non-negative number of `fields` (the event's own JSON), NULL when absent or negative: the
 * JavaScript report skips those.
 */
export const fieldNumberSql = (json: string, key: string): string =>
  `if(visitParamHas(${json}, '${key}') AND visitParamExtractFloat(${json}, '${key}') >= 0,
    visitParamExtractFloat(${json}, '${key}'), NULL)`

/** A variant and the arrival (`seq`) of its first `experiment` event, as the variants query returns them. */
export interface FirstExposure {
  experiment: string
  variant: string
  first: number
}

/**
 * The rows of `from(where)` once per experiment exposure in their context (`exposedTo`,
 * `exposedVariant`), kept only after the first `experiment` event of that variant: the
 * JavaScript accumulator counts guardrails against the variants it has met so far, so an event
 * stored before the variant's first exposure (or whose exposure lies before `--since`) counts for
 * none. The first exposures (at most 50 × 20) are inlined as two arrays, which costs ClickHouse
 * less than joining the `experiment` events again. `columns` are the columns the caller reads.
 */
export function exposedEventsSql(from: From, where: string, columns: string, exposures: FirstExposure[]): string {
  // A sentinel that nothing follows keeps the arrays' types when there is no exposure.
  const list = exposures.length > 0 ? exposures : [{ experiment: '', variant: '', first: Number.MAX_SAFE_INTEGER }]
  const keys = list.map((e) => `(${sqlString(e.experiment)}, ${sqlString(e.variant)})`).join(', ')
  const seqs = list.map((e) => `toUInt64(${Math.trunc(e.first)})`).join(', ')
  return `(
    SELECT ${columns}, exposedTo, exposedVariant FROM (
      SELECT ${columns}, seq AS eventSeq, exposedTo, exposedVariant,
        indexOf([${keys}], (exposedTo, exposedVariant)) AS exposure ${from(where)}
      ARRAY JOIN experimentNames AS exposedTo, experimentVariants AS exposedVariant
    ) WHERE exposure > 0 AND eventSeq > [${seqs}][exposure]
  )`
}
