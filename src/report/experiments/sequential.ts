import type { SequentialReport } from '../types'

/**
 * Default mixing variance τ² of the mSPRT: a normal mixture N(0, τ²) over the absolute
 * difference of conversion rates, τ = 0.05 (five points). The test is valid for any τ; it is
 * most powerful for effects near τ (Johari et al. 2017, §4), and a few points is the size of
 * difference checkout tests are run to find.
 */
export const DEFAULT_MIXING_VARIANCE = 0.05 * 0.05

/** Largest Λ reported (p = 1e−300 is as significant as anything). */
const MAX_RATIO = 1e300

/** Cumulative counts of control and challenger at one look (e.g. the end of a day). */
export interface Look {
  controlN: number
  controlK: number
  variantN: number
  variantK: number
}

/**
 * mSPRT (mixture sequential probability ratio test) for the difference of two proportions,
 * normal approximation (Johari, Koomen, Pekelis & Walsh, "Peeking at A/B tests", KDD 2017;
 * Johari, Pekelis & Walsh, Operations Research 2022). At each look, with θ̂ = p̂B − p̂A and
 * V = p̂A(1 − p̂A)/nA + p̂B(1 − p̂B)/nB:
 *
 *   Λ = √(V / (V + τ²)) · exp(τ² θ̂² / (2 V (V + τ²)))
 *
 * The always-valid p-value is min over looks of min(1, 1/Λ): it stays valid however often the
 * team looks, and stopping the first time it falls below α keeps the false-positive rate at α.
 * The matching confidence sequence is θ̂ ± √(V (V + τ²) / τ² · (2 ln(1/α) + ln((V + τ²)/V))),
 * intersected over looks. Looks with no variance (nothing or everything converted) are skipped.
 *
 * @example
 * msprt([{ controlN: 1000, controlK: 100, variantN: 1000, variantK: 130 }]).pValue // ≈ 0.4700
 */
export function msprt(looks: Look[], mixingVariance = DEFAULT_MIXING_VARIANCE, alpha = 0.05): SequentialReport {
  const tau2 = mixingVariance
  let pValue = 1
  let likelihoodRatio = 1
  let low = -1
  let high = 1
  let used = 0
  for (const look of looks) {
    if (look.controlN <= 0 || look.variantN <= 0) continue
    const pA = look.controlK / look.controlN
    const pB = look.variantK / look.variantN
    const v = (pA * (1 - pA)) / look.controlN + (pB * (1 - pB)) / look.variantN
    if (!(v > 0)) continue
    used += 1
    const theta = pB - pA
    // Capped so that an overwhelming effect stays a finite number in the JSON report.
    likelihoodRatio = Math.min(
      MAX_RATIO,
      Math.sqrt(v / (v + tau2)) * Math.exp((tau2 * theta * theta) / (2 * v * (v + tau2))),
    )
    pValue = Math.min(pValue, 1 / likelihoodRatio)
    const half = Math.sqrt(((v * (v + tau2)) / tau2) * (2 * Math.log(1 / alpha) + Math.log((v + tau2) / v)))
    low = Math.max(low, theta - half)
    high = Math.min(high, theta + half)
  }
  return { pValue: Math.min(1, pValue), likelihoodRatio, low, high, mixingVariance: tau2, looks: used }
}
