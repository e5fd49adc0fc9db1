// The days section (days.ts) from ClickHouse: each UTC day's LCP and INP p75, sorted in SQL, fed
// to the JavaScript day accumulator with the session states, which counts sessions, conversions
// and error sessions per day and marks the incidents.
import { createDayAccumulator } from '../days'
import type { SessionTable } from '../sessionTable'
import type { DayReport } from '../types'
import { quantileItems, quantileOf, type From, type Quantile } from './sql'

const DAY_MS = 86_400_000

export const dayVitalsSql = (from: From) => `SELECT intDiv(ts, ${DAY_MS}) * ${DAY_MS} AS day, name,
    ${quantileItems('v', 'value', '1', 0.75)}
  ${from("type = 'vital' AND name IN ('LCP', 'INP')")} GROUP BY day, name`

export type DayVitalRow = { day: number; name: string } & Quantile<'v'>

/**
 * Day reports. Each day's reservoir gets one value, the exact p75 ClickHouse computed, which is
 * then its p75: the JavaScript report samples 1,000 values per day and metric, so beyond that
 * many a day the two p75 differ by the sampling error, below they are the same number.
 */
export function dayReports(
  rows: DayVitalRow[],
  sessions: SessionTable,
  converted: ((session: number) => boolean) | null,
): DayReport[] {
  const days = createDayAccumulator()
  for (const row of rows) days.vital(row.day, row.name, quantileOf(row, 'v', 0.75))
  return days.result(sessions, converted)
}
