import { Z_95 } from './stats'

/** One stratum of a 2×2 table: exposed (met the signal) and unexposed sessions, and their successes. */
export interface Stratum {
  exposedN: number
  exposedK: number
  unexposedN: number
  unexposedK: number
}

/** A risk difference with its 95 % interval. */
export interface RiskDifference {
  difference: number
  variance: number
  low: number
  high: number
  /** Strata with both groups present (the others carry no weight). */
  strata: number
}

/**
 * The Mantel–Haenszel risk difference over strata, with the variance of Sato (1989; Greenland
 * & Robins 1985, Biometrics 41), consistent both for many sparse strata and for few large
 * ones; the estimator of Rothman, Greenland & Lash, Modern Epidemiology (3rd ed., ch. 15), and
 * of metafor's `rma.mh(measure = "RD")`. With a = exposed successes, n₁ exposed, c and n₀ the
 * unexposed ones, N = n₁ + n₀ per stratum:
 *
 *   RD = Σ (a n₀ − c n₁) / N  ÷  Σ n₁ n₀ / N
 *   Var = (RD · Σ P + Σ Q) / (Σ n₁ n₀ / N)²,
 *   P = (n₁² c − n₀² a + n₁ n₀ (n₀ − n₁) / 2) / N²,
 *   Q = (a (n₀ − c) + c (n₁ − a)) / (2 N)
 *
 * Null when no stratum has both groups.
 *
 * @example
 * mantelHaenszelRiskDifference([{ exposedN: 100, exposedK: 20, unexposedN: 200, unexposedK: 60 }]).difference // −0.1
 */
export function mantelHaenszelRiskDifference(strata: Stratum[], z = Z_95): RiskDifference | null {
  let numerator = 0
  let weights = 0
  let sumP = 0
  let sumQ = 0
  let used = 0
  for (const { exposedN: n1, exposedK: a, unexposedN: n0, unexposedK: c } of strata) {
    if (n1 <= 0 || n0 <= 0) continue
    used += 1
    const total = n1 + n0
    numerator += (a * n0 - c * n1) / total
    weights += (n1 * n0) / total
    sumP += (n1 * n1 * c - n0 * n0 * a + (n1 * n0 * (n0 - n1)) / 2) / (total * total)
    sumQ += (a * (n0 - c) + c * (n1 - a)) / (2 * total)
  }
  if (used === 0 || weights === 0) return null
  const difference = numerator / weights
  const variance = Math.max(0, (difference * sumP + sumQ) / (weights * weights))
  const half = z * Math.sqrt(variance)
  return { difference, variance, low: difference - half, high: difference + half, strata: used }
}
