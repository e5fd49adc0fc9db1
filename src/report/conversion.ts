import type { Conversion, FunnelReport, ReportOptions } from './types'

/** What choosing a conversion needs of a funnel, whether streamed (funnels.ts) or read by SQL. */
export interface FunnelSteps {
  /** Indexed by `stepIndex`; holes are steps nobody reached. */
  steps: ReadonlyArray<{ name: string; events: number } | undefined>
  lastIndex: number
}

/** The funnel with the most steps (ties: the most first-step events), the default conversion. */
export function longestFunnel(funnels: ReadonlyMap<string, FunnelSteps>): string | undefined {
  let best: string | undefined
  let bestSteps = -1
  let bestEntries = -1
  for (const [name, entry] of funnels) {
    const entries = entry.steps[0]?.events ?? 0
    if (entry.lastIndex > bestSteps || (entry.lastIndex === bestSteps && entries > bestEntries)) {
      best = name
      bestSteps = entry.lastIndex
      bestEntries = entries
    }
  }
  return best
}

/** A funnel's last step: its index and its name (`#N` when that step was never named). */
export const lastStepOf = (entry: FunnelSteps): { stepIndex: number; step: string } => ({
  stepIndex: entry.lastIndex,
  step: entry.steps[entry.lastIndex]?.name ?? `#${entry.lastIndex}`,
})

/** The conversion: `--goal`, else `--funnel`'s last step, else the longest funnel's last step. */
export function chooseConversion(
  options: ReportOptions,
  funnels: ReadonlyMap<string, FunnelSteps>,
  notes: string[],
): Conversion | null {
  if (options.goal !== undefined) return { kind: 'goal', goal: options.goal }
  const name = options.funnel ?? longestFunnel(funnels)
  if (name === undefined) return null
  const entry = funnels.get(name)
  if (!entry) {
    notes.push(`Funnel "${name}" has no stored funnel_step events: experiments are reported without conversions.`)
    return null
  }
  return { kind: 'funnel', funnel: name, ...lastStepOf(entry) }
}

/** The conversion funnel and its step names, which the experiments' downstream check walks. */
export const conversionFunnelOf = (conversion: Conversion | null, funnels: FunnelReport[]) =>
  conversion?.kind === 'funnel'
    ? {
        name: conversion.funnel,
        steps: conversion.stepIndex + 1,
        stepNames: funnels.find((f) => f.funnel === conversion.funnel)?.steps.map((s) => s.step),
      }
    : null
