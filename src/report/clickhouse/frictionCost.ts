// The friction cost (frictionCostAccumulator.ts) from ClickHouse: sessions per signal × device and
// per page × device, with their conversions, counted in SQL; the pricing is frictionCost.ts's.
import { frictionCost, type PageViewers, type SignalCounts } from '../frictionCost'
import type { Conversion, FrictionCostRow } from '../types'
import { perSessionSql } from './sessions'
import { strSql, type From } from './sql'

/** Rows reported, most conversions lost first (as frictionCostAccumulator.ts). */
const REPORTED_ROWS = 20

/** The events that are a friction signal (report.ts calls `cost.meet` for them). */
const SIGNAL = `type IN ('rage_click', 'dead_click', 'error', 'quick_back', 'excessive_scroll', 'field_error')
  OR (type = 'vital' AND name = 'LCP' AND rating != 'good')`

/**
 * Kind, id and label of a signal event, as report.ts passes them to `cost.meet`. A quick back's
 * id is in the event's own JSON (`fields`): read in a SELECT of its own, since ClickHouse
 * evaluates every branch of a multiIf and `fields` is the widest column of the other signals.
 */
const KIND = "multiIf(type = 'error', 'error', type = 'vital', 'slow_lcp', type)"
const ID = `multiIf(type IN ('rage_click', 'dead_click'), selector, type = 'error', fingerprint,
  type = 'field_error', concat(form, ' › ', field), '')`
const QUICK_BACK_ID = strSql("visitParamExtractString(fields, 'leftPath')")
const LABEL = `if(type = 'error', ${strSql('message')}, signalId)`

/**
 * Per signal (kind × id × page) and device: sessions that met it (`n`), converted (`k`), and what
 * orders the rows as the JavaScript report meets them: the first such session's arrival
 * (`sessionFirst`) and when it met the signal (`seenFirst`); the label of the first event. With
 * them, in the same query (so the sessions are aggregated once), the rows of kind '' per page and
 * device: sessions that viewed the page or met a signal on it, and how many converted.
 */
export function frictionCostSql(from: From, conversion: Conversion | null): string {
  return `SELECT kind, signalId, urlPath, device, count() AS n, sum(converted) AS k,
      min(firstSeq) AS sessionFirst, argMin(seen, firstSeq) AS seenFirst,
      argMin(label, seen) AS label, min(seen) AS labelSeen
    FROM (
      SELECT sessionId, kind, signalId, urlPath, min(seq) AS seen, argMin(signalLabel, seq) AS label FROM (
        SELECT sessionId, seq, urlPath, ${KIND} AS kind, ${ID} AS signalId, ${LABEL} AS signalLabel
        ${from(`(${SIGNAL}) AND type != 'quick_back'`)}
        UNION ALL
        SELECT sessionId, seq, urlPath, 'quick_back' AS kind, ${QUICK_BACK_ID} AS signalId, signalId AS signalLabel
        ${from("type = 'quick_back'")}
      ) GROUP BY sessionId, kind, signalId, urlPath
      UNION ALL
      SELECT DISTINCT sessionId, '' AS kind, '' AS signalId, urlPath, toUInt64(0) AS seen, '' AS label
      ${from(`type = 'page' OR ${SIGNAL}`)}
    ) ANY LEFT JOIN ${perSessionSql(from, conversion)} USING sessionId
    GROUP BY kind, signalId, urlPath, device`
}

/** One row of {@link frictionCostSql}: a signal's, or with kind '' a page's viewers. */
export interface SignalRow {
  kind: FrictionCostRow['kind'] | ''
  signalId: string
  urlPath: string
  device: string
  n: number
  k: number
  sessionFirst: number
  seenFirst: number
  label: string
  labelSeen: number
}

const before = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1]

/**
 * The friction cost rows. Signals and their device strata go to frictionCost in the order the
 * JavaScript report builds them (sessions in arrival order, each session's signals as met), so
 * equal costs keep the same order and the strata sum in the same order.
 */
export function frictionCostRows(rows: SignalRow[]): FrictionCostRow[] {
  const viewers: PageViewers = new Map()
  for (const row of rows.filter((r) => r.kind === '')) {
    let pool = viewers.get(row.urlPath)
    if (!pool) viewers.set(row.urlPath, (pool = new Map()))
    pool.set(row.device, { n: row.n, k: row.k })
  }
  const signals = new Map<string, { first: [number, number]; labelSeen: number; label: string; rows: SignalRow[] }>()
  for (const row of rows) {
    if (row.kind === '') continue
    const key = `${row.kind}\u0000${row.signalId}\u0000${row.urlPath}`
    const first: [number, number] = [row.sessionFirst, row.seenFirst]
    const entry = signals.get(key)
    if (!entry) {
      signals.set(key, { first, labelSeen: row.labelSeen, label: row.label, rows: [row] })
      continue
    }
    entry.rows.push(row)
    if (before(first, entry.first) < 0) entry.first = first
    if (row.labelSeen < entry.labelSeen) Object.assign(entry, { labelSeen: row.labelSeen, label: row.label })
  }
  const ordered = [...signals.values()].sort((a, b) => before(a.first, b.first))
  const counts: SignalCounts[] = ordered.map(({ label, rows: strata }) => ({
    kind: strata[0].kind as FrictionCostRow['kind'],
    signal: label,
    page: strata[0].urlPath,
    met: new Map(
      strata.sort((a, b) => a.sessionFirst - b.sessionFirst).map((row) => [row.device, { n: row.n, k: row.k }]),
    ),
  }))
  return frictionCost(counts, viewers).slice(0, REPORTED_ROWS)
}
