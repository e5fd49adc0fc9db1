import { mantelHaenszelRiskDifference } from './mantelHaenszel'
import { proportion } from './stats'
import type { FrictionCostRow } from './types'

/** Sessions that met a signal on a page, by stratum (device), and how many of them converted. */
export interface SignalCounts {
  kind: FrictionCostRow['kind']
  signal: string
  page: string
  /** Stratum → met / converted. */
  met: Map<string, { n: number; k: number }>
}

/** Sessions that viewed a page, by stratum, and how many converted: the comparison pool. */
export type PageViewers = Map<string, Map<string, { n: number; k: number }>>

/** Sessions meeting a signal below which it is not priced: too few to say anything. */
export const MIN_MET_SESSIONS = 5

/**
 * Friction priced in conversions: for each signal met on a page, the conversion of the
 * sessions that met it against sessions that viewed the same page without meeting it, as a
 * Mantel–Haenszel risk difference over device strata (so a signal that only mobile visitors
 * meet is not blamed for mobile's lower conversion), with its 95 % CI; conversions lost =
 * −difference × sessions that met it. Ranked by conversions lost. Correlation only: sessions
 * that meet friction may differ in ways page and device do not capture (intent above all).
 */
export function frictionCost(
  signals: Iterable<SignalCounts>,
  viewers: PageViewers,
  minMet = MIN_MET_SESSIONS,
): FrictionCostRow[] {
  const rows: FrictionCostRow[] = []
  for (const s of signals) {
    const pool = viewers.get(s.page)
    if (!pool) continue
    let metN = 0
    let metK = 0
    let restN = 0
    let restK = 0
    const strata = [...s.met].map(([stratum, met]) => {
      const all = pool.get(stratum) ?? { n: met.n, k: met.k }
      const unexposedN = Math.max(0, all.n - met.n)
      const unexposedK = Math.max(0, Math.min(unexposedN, all.k - met.k))
      metN += met.n
      metK += met.k
      restN += unexposedN
      restK += unexposedK
      return { exposedN: met.n, exposedK: met.k, unexposedN, unexposedK }
    })
    // Strata where nobody met the signal add only to the comparison shown, not to the estimate.
    for (const [stratum, all] of pool) {
      if (!s.met.has(stratum)) {
        restN += all.n
        restK += all.k
      }
    }
    if (metN < minMet) continue
    const rd = mantelHaenszelRiskDifference(strata)
    if (!rd) continue
    rows.push({
      kind: s.kind,
      signal: s.signal,
      page: s.page,
      met: proportion(metK, metN),
      notMet: proportion(restK, restN),
      difference: rd.difference,
      low: rd.low,
      high: rd.high,
      conversionsLost: -rd.difference * metN,
      strata: rd.strata,
    })
  }
  return rows.sort((a, b) => b.conversionsLost - a.conversionsLost)
}
