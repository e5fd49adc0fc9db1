import { chiSquareSurvival } from '../distributions'
import type { SrmReport } from '../types'

/**
 * p below which the split is called broken. 0.001 rather than 0.05: the check runs on every
 * experiment every time the report is read, and a false alarm blocks a verdict; Kohavi, Tang
 * & Xu (Trustworthy Online Controlled Experiments, 2020, ch. 21) and Fabijan et al. (KDD 2019)
 * use the same threshold.
 */
export const SRM_THRESHOLD = 0.001

/**
 * Pearson's chi-square goodness-of-fit test of the exposed sessions per variant against the
 * expected shares (equal unless given): χ² = Σ (O − E)² / E, k − 1 degrees of freedom.
 * Null with fewer than two variants or no sessions.
 *
 * @example
 * sampleRatioMismatch([1050, 950]) // { chiSquare: 5, pValue: ≈ 0.0253, isMismatch: false, … }
 */
export function sampleRatioMismatch(
  observed: number[],
  shares?: number[],
  threshold = SRM_THRESHOLD,
): SrmReport | null {
  const total = observed.reduce((sum, n) => sum + n, 0)
  if (observed.length < 2 || total <= 0) return null
  const weights =
    shares && shares.length === observed.length && shares.every((s) => s > 0) ? shares : observed.map(() => 1)
  const weightSum = weights.reduce((sum, w) => sum + w, 0)
  const expectedShares = weights.map((w) => w / weightSum)
  let chiSquare = 0
  observed.forEach((o, i) => {
    const expected = total * expectedShares[i]
    chiSquare += ((o - expected) * (o - expected)) / expected
  })
  const degreesOfFreedom = observed.length - 1
  const pValue = chiSquareSurvival(chiSquare, degreesOfFreedom)
  return {
    observed: [...observed],
    expectedShares,
    chiSquare,
    degreesOfFreedom,
    pValue,
    isMismatch: pValue < threshold,
    threshold,
  }
}
