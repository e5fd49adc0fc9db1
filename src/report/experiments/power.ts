import { normalQuantile } from '../distributions'
import type { PowerReport } from '../types'

/** Power conventionally asked of an A/B test (Cohen 1988). */
export const DEFAULT_POWER = 0.8

/**
 * Power of the two-sided two-proportion z-test at the current sample (Chow, Shao & Wang,
 * Sample Size Calculations in Clinical Research, 2008, §4.2; the formula of Evan Miller's
 * calculator):
 *
 * - MDE = (z₁₋α/₂ + z_power) · √(p(1 − p) · (1/nA + 1/nB)), p the control rate: the smallest
 *   absolute difference the current sessions detect with that power;
 * - n per variant = (z₁₋α/₂ + z_power)² · (pA(1 − pA) + pB(1 − pB)) / (pB − pA)², the sessions
 *   each variant needs to detect the difference observed so far.
 *
 * @example
 * powerAnalysis(1000, 100, 1000, 130).mdeAbsolute // ≈ 0.03759
 */
export function powerAnalysis(
  controlN: number,
  controlK: number,
  variantN: number,
  variantK: number,
  alpha = 0.05,
  power = DEFAULT_POWER,
): PowerReport {
  const empty: PowerReport = {
    alpha,
    power,
    mdeAbsolute: null,
    mdeRelative: null,
    neededPerVariant: null,
    moreSessions: null,
  }
  if (controlN <= 0 || variantN <= 0) return empty
  const z = normalQuantile(1 - alpha / 2) + normalQuantile(power)
  const pA = controlK / controlN
  const pB = variantK / variantN
  const mdeAbsolute = pA > 0 && pA < 1 ? z * Math.sqrt(pA * (1 - pA) * (1 / controlN + 1 / variantN)) : null
  const diff = pB - pA
  const variance = pA * (1 - pA) + pB * (1 - pB)
  const neededPerVariant = diff !== 0 && variance > 0 ? Math.ceil((z * z * variance) / (diff * diff)) : null
  return {
    alpha,
    power,
    mdeAbsolute,
    mdeRelative: mdeAbsolute !== null && pA > 0 ? mdeAbsolute / pA : null,
    neededPerVariant,
    moreSessions:
      neededPerVariant === null
        ? null
        : Math.max(0, neededPerVariant - controlN) + Math.max(0, neededPerVariant - variantN),
  }
}
