import { pValue } from '../format'
import { proportion, twoProportionZTest } from '../stats'
import type { VariantDownstream } from '../types'

/**
 * Per challenger, the share of exposed sessions reaching every step of the conversion funnel
 * against the control's, with a two-proportion z-test per step. `reached[v][i]` counts the
 * exposed sessions of variant v that reached step i; the control is variant 0.
 */
export function compareDownstream(
  variants: string[],
  exposed: number[],
  reached: number[][],
  steps: string[],
): VariantDownstream[] {
  return variants.slice(1).map((variant, offset) => {
    const v = offset + 1
    return {
      variant,
      steps: steps.map((step, stepIndex) => {
        const control = proportion(reached[0]?.[stepIndex] ?? 0, exposed[0])
        const challenger = proportion(reached[v]?.[stepIndex] ?? 0, exposed[v])
        const testable = control.n > 0 && challenger.n > 0
        return {
          stepIndex,
          step,
          control,
          variant: challenger,
          lift: control.rate > 0 ? (challenger.rate - control.rate) / control.rate : null,
          pValue: testable ? twoProportionZTest(control.k, control.n, challenger.k, challenger.n).pValue : null,
        }
      }),
    }
  })
}

/**
 * "Local optimization": the challenger converts significantly better (p < `alpha`) at an
 * earlier step but no better at the last one. The message, or null.
 */
export function localOptimization(downstream: VariantDownstream, alpha = 0.05): string | null {
  const last = downstream.steps.at(-1)
  if (!last || last.lift === null || last.lift > 0) return null
  const early = downstream.steps.slice(0, -1).find((s) => s.pValue !== null && s.pValue < alpha && (s.lift ?? 0) > 0)
  if (!early) return null
  const shares = (s: VariantDownstream['steps'][number]) =>
    `${(s.variant.rate * 100).toFixed(1)} % vs ${(s.control.rate * 100).toFixed(1)} %`
  return (
    `Local optimization: ${downstream.variant} wins at step ${early.stepIndex + 1} "${early.step}" ` +
    `(${shares(early)}, p ${pValue(early.pValue)}) ` +
    `but not at the last step "${last.step}" (${shares(last)}).`
  )
}
