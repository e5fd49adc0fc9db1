import { quantileSorted } from './stats'
import { mulberry32 } from '../lib/mulberry32'

/**
 * Samples kept per key (per funnel step, per path and metric…) for medians and p75s. Exact up
 * to this many values; beyond, a uniform random sample, whose p75 has a standard error of
 * about half a percentile point (√(0.75·0.25/10 000) ≈ 0.004), far below what a CRO decision
 * needs. 10 000 doubles are 80 KB per key at most, so memory stays flat however many events.
 */
export const DEFAULT_RESERVOIR_SIZE = 10_000

/** A bounded uniform sample of a stream of numbers. */
export interface Reservoir {
  add(value: number): void
  /** Values seen, not only those kept. */
  readonly count: number
  /** The q-quantile (0–1) of the kept values; `NaN` when none. */
  quantile(q: number): number
}

/**
 * Creates a reservoir (Vitter's algorithm R) holding at most `capacity` values. The random
 * source is seeded, so the same events give the same report, run after run. Storage grows with
 * the values seen, up to `capacity`: a key seen twice costs two slots, not ten thousand.
 *
 * @example
 * const lcp = createReservoir()
 * lcp.add(2300); lcp.quantile(0.75)
 */
export function createReservoir(capacity = DEFAULT_RESERVOIR_SIZE, seed = 0x9e3779b9): Reservoir {
  let values = new Float64Array(Math.min(capacity, 16))
  let count = 0
  let sorted: Float64Array | undefined
  const random = mulberry32(seed)
  return {
    add(value) {
      if (!Number.isFinite(value)) return
      count += 1
      sorted = undefined
      if (count <= capacity) {
        if (count > values.length) {
          const grown = new Float64Array(Math.min(capacity, values.length * 2))
          grown.set(values)
          values = grown
        }
        values[count - 1] = value
        return
      }
      const slot = Math.floor(random() * count)
      if (slot < capacity) values[slot] = value
    },
    get count() {
      return count
    },
    quantile(q) {
      sorted ??= values.slice(0, Math.min(count, capacity)).sort()
      return quantileSorted(sorted, q)
    },
  }
}
