import type {
  ExperimentFlag,
  SegmentsReport,
  SrmReport,
  VariantDownstream,
  VariantGuardrails,
  VariantReport,
} from '../types'
import { pValue } from '../format'
import { localOptimization } from './downstream'

/** What {@link experimentFlags} reads: the experiment's already computed parts. */
export interface FlagInputs {
  variants: VariantReport[]
  srm: SrmReport | null
  guardrails: VariantGuardrails[]
  downstream: VariantDownstream[]
  segments: SegmentsReport | null
  /** Days of the experiment marked as error or latency spikes. */
  incidentDays: string[]
}

/**
 * Reasons to distrust an experiment's result, in plain words: a failed sample ratio check; a
 * winner that worsens a guardrail ("false positive improvement"); a challenger that wins at an
 * early funnel step but not at the last ("local optimization"); segment reversals and a lift
 * carried by one segment; incident days inside the experiment's period.
 */
export function experimentFlags({
  variants,
  srm,
  guardrails,
  downstream,
  segments,
  incidentDays,
}: FlagInputs): ExperimentFlag[] {
  const flags: ExperimentFlag[] = []
  if (srm?.isMismatch) {
    flags.push({
      kind: 'srm',
      message: `Sample ratio mismatch (p ${srm.pValue.toExponential(1)}): the verdict is withheld.`,
    })
  }
  for (const variant of variants.slice(1)) {
    if (!variant.isSignificant || (variant.lift ?? 0) <= 0) continue
    const worse = guardrails.find((g) => g.variant === variant.variant)?.comparisons.filter((c) => c.isWorse) ?? []
    if (worse.length > 0) {
      flags.push({
        kind: 'false-positive-improvement',
        message:
          `False positive improvement: ${variant.variant} converts better but worsens ` +
          worse
            .map((c) => {
              const shares = `${(c.variant.rate * 100).toFixed(1)} % vs ${(c.control.rate * 100).toFixed(1)} %`
              return `${c.label} (${shares}, p ${pValue(c.pValue)})`
            })
            .join(', ') +
          '.',
      })
    }
  }
  for (const d of downstream) {
    const message = localOptimization(d)
    if (message) flags.push({ kind: 'local-optimization', message })
  }
  for (const warning of segments?.warnings ?? []) {
    flags.push({ kind: warning.startsWith('Only one') ? 'single-segment' : 'simpson', message: warning })
  }
  if (incidentDays.length > 0) {
    flags.push({
      kind: 'incident',
      message:
        `Incident days during the experiment (${incidentDays.join(', ')}): errors or latency spiked; ` +
        'see "Days" before pinning a change in conversion on the design.',
    })
  }
  return flags
}
