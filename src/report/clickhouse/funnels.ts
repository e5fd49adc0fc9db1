// The funnels from ClickHouse: step rows (sessions, events, exact medians) into funnels.ts's
// reports, and the conversion chosen as report.ts chooses it.
import { funnelReport } from '../funnels'
import type { FunnelReport } from '../types'
import { quantileOf, type Quantile } from './sql'

/** One funnel step's aggregates. */
export type StepRow = {
  funnel: string
  stepIndex: number
  step: string
  events: number
  sessions: number
} & Quantile<'ms'>

export interface FunnelData {
  steps: Array<{ name: string; events: number; sessions: number; median: number } | undefined>
  lastIndex: number
}

/** Funnels in first-seen order (the rows come ordered by their first event). */
export function funnelsOf(rows: StepRow[]) {
  const funnels = new Map<string, FunnelData>()
  for (const row of rows) {
    let funnel = funnels.get(row.funnel)
    if (!funnel) funnels.set(row.funnel, (funnel = { steps: [], lastIndex: -1 }))
    const median = quantileOf(row, 'ms', 0.5)
    funnel.steps[row.stepIndex] = { name: row.step, events: row.events, sessions: row.sessions, median }
    funnel.lastIndex = Math.max(funnel.lastIndex, row.stepIndex)
  }
  return funnels
}

export function funnelReports(funnels: Map<string, FunnelData>): FunnelReport[] {
  return [...funnels].map(([funnel, entry]) => {
    const counts = Array.from({ length: entry.lastIndex + 1 }, (_, i) => entry.steps[i]?.sessions ?? 0)
    return funnelReport(funnel, counts, (stepIndex) => {
      const step = entry.steps[stepIndex]
      return step && { name: step.name, medianMs: step.median }
    })
  })
}
