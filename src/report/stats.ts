// Pure math for the report: proportions, intervals, tests and quantiles. No I/O, no state.

/** z for a two-sided 95 % interval: Φ⁻¹(0.975). */
export const Z_95 = 1.959963984540054

/** A share with its 95 % Wilson interval. */
export interface Proportion {
  /** Units in the denominator (e.g. exposed sessions). */
  n: number
  /** Units in the numerator (e.g. converted sessions). */
  k: number
  /** k / n, 0 when n is 0. */
  rate: number
  /** Lower bound of the 95 % Wilson score interval. */
  low: number
  /** Upper bound of the 95 % Wilson score interval. */
  high: number
}

/**
 * The share `k / n` with its 95 % Wilson score interval. Wilson rather than the normal
 * ("Wald") interval: Wald collapses to zero width at 0 % or 100 % and undercovers below a few
 * hundred trials, exactly where small CRO samples live (Brown, Cai & DasGupta 2001).
 *
 * @example
 * proportion(10, 100) // { rate: 0.1, low: 0.0552, high: 0.1744, … }
 */
export function proportion(k: number, n: number, z = Z_95): Proportion {
  if (n <= 0) return { n: 0, k: 0, rate: 0, low: 0, high: 0 }
  const p = k / n
  const z2 = z * z
  const denominator = 1 + z2 / n
  const centre = (p + z2 / (2 * n)) / denominator
  const halfWidth = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator
  return { n, k, rate: p, low: Math.max(0, centre - halfWidth), high: Math.min(1, centre + halfWidth) }
}

/**
 * The error function, Abramowitz & Stegun 7.1.26 (absolute error below 1.5e-7), enough for
 * p-values printed with three decimals.
 */
export function erf(x: number): number {
  const sign = x < 0 ? -1 : 1
  const a = Math.abs(x)
  const t = 1 / (1 + 0.3275911 * a)
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
  return sign * (1 - poly * Math.exp(-a * a))
}

/** The standard normal cumulative distribution Φ(z). */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2))
}

/** The result of a two-proportion z-test. */
export interface ZTest {
  /** (rateB − rateA) / pooled standard error; 0 when undefined. */
  z: number
  /** Two-sided p-value; 1 when the test is undefined (an empty group, or no variance). */
  pValue: number
}

/**
 * Two-sided two-proportion z-test with the pooled standard error, the test behind most A/B
 * calculators (Optimizely's classic one, Evan Miller's). Valid when each group has roughly
 * ten or more successes and failures, which the report checks before concluding.
 *
 * @example
 * twoProportionZTest(100, 1000, 130, 1000).pValue // ≈ 0.0355
 */
export function twoProportionZTest(kA: number, nA: number, kB: number, nB: number): ZTest {
  if (nA <= 0 || nB <= 0) return { z: 0, pValue: 1 }
  const pooled = (kA + kB) / (nA + nB)
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / nA + 1 / nB))
  if (se === 0) return { z: 0, pValue: 1 }
  const z = (kB / nB - kA / nA) / se
  // 2·(1 − Φ(|z|)), written as 1 − erf(|z|/√2) to keep one subtraction.
  const pValue = Math.min(1, Math.max(0, 1 - erf(Math.abs(z) / Math.SQRT2)))
  return { z, pValue }
}

/**
 * The q-quantile (0–1) of numbers already sorted ascending, linearly interpolated between
 * closest ranks (Hyndman & Fan type 7, the default of numpy and R). `NaN` when empty.
 *
 * @example
 * quantileSorted([1, 2, 3, 4], 0.75) // 3.25
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length
  if (n === 0) return Number.NaN
  const h = (n - 1) * Math.min(1, Math.max(0, q))
  const lower = Math.floor(h)
  const upper = Math.min(n - 1, lower + 1)
  return sorted[lower] + (h - lower) * (sorted[upper] - sorted[lower])
}

/**
 * The q-quantile (0–1) of unsorted numbers (copied, not mutated). `NaN` when empty.
 *
 * @example
 * quantile([4, 1, 3, 2], 0.5) // 2.5
 */
export function quantile(values: ArrayLike<number>, q: number): number {
  return quantileSorted(Float64Array.from(values).sort(), q)
}

/**
 * The median of unsorted numbers. `NaN` when empty.
 *
 * @example
 * median([5, 1, 3]) // 3
 */
export function median(values: ArrayLike<number>): number {
  return quantile(values, 0.5)
}
