// The funnels from ClickHouse: step rows (sessions, events, exact medians) into funnels.ts's
// reports, and the conversion chosen as report.ts chooses it.
import { funnelReport } from '../funnels'
import type { Conversion, FunnelReport, ReportOptions } from '../types'
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

/** As report.ts: `--goal`, else `--funnel`'s last step, else the longest funnel's (ties: most first-step events). */
export function chooseConversion(
  options: ReportOptions,
  funnels: Map<string, FunnelData>,
  notes: string[],
): Conversion | null {
  if (options.goal !== undefined) return { kind: 'goal', goal: options.goal }
  let name = options.funnel
  if (name === undefined) {
    let bestSteps = -1
    let bestEntries = -1
    for (const [funnel, entry] of funnels) {
      const entries = entry.steps[0]?.events ?? 0
      if (entry.lastIndex > bestSteps || (entry.lastIndex === bestSteps && entries > bestEntries)) {
        name = funnel
        bestSteps = entry.lastIndex
        bestEntries = entries
      }
    }
  }
  if (name === undefined) return null
  const entry = funnels.get(name)
  if (!entry) {
    notes.push(`Funnel "${name}" has no stored funnel_step events: experiments are reported without conversions.`)
    return null
  }
  const step = entry.steps[entry.lastIndex]?.name ?? `#${entry.lastIndex}`
  return { kind: 'funnel', funnel: name, stepIndex: entry.lastIndex, step }
}
