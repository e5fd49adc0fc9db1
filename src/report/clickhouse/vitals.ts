// The vitals summaries from ClickHouse: each metric's exact p75 and p95 (sorted in SQL) handed to
// vitals.ts's summarizeVital through a reservoir that answers those two quantiles.
import type { Reservoir } from '../reservoir'
import { METRIC_NAMES, summarizeVital } from '../vitals'
import { quantileOf, type Quantile } from './sql'

/** One metric's sorted-value neighbours around p75 (v) and p95 (w), and its poor reports. */
export type VitalRow = { name: string; poor: number } & Quantile<'v'> & Quantile<'w'>

/** Summaries of the metrics present, in the report's metric order, through summarizeVital. */
export function vitalSummaries(rows: VitalRow[]) {
  const byName = new Map(rows.map((row) => [row.name, row]))
  return METRIC_NAMES.filter((name) => byName.has(name)).map((name) => {
    const row = byName.get(name)!
    const p75 = quantileOf(row, 'v', 0.75)
    const p95 = quantileOf(row, 'w', 0.95)
    const quantile = (q: number) => (q === 0.95 ? p95 : q === 0.75 ? p75 : NaN)
    const values: Reservoir = { count: row.vN, add: () => {}, quantile }
    return summarizeVital(name, { values, poor: row.poor })
  })
}
