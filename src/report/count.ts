/**
 * Adds `by` to `key` in `counts`, unless `counts` already holds `maxKeys` other keys: small
 * side tallies (pages of a selector, fields of a form) then keep their first keys and never
 * grow with the data. The heavy keys of a real site are seen early and often, so they are in.
 *
 * @example
 * countInto(pages, '/cart', 1, MAX_PAGES_PER_ITEM)
 */
export function countInto(counts: Map<string, number>, key: string, by: number, maxKeys: number): void {
  const current = counts.get(key)
  if (current !== undefined) counts.set(key, current + by)
  else if (counts.size < maxKeys) counts.set(key, by)
}

/** Sessions `n` and conversions `k` of one cell (a variant's day or segment, a friction stratum). */
export interface ConversionCell {
  n: number
  k: number
}

/** Counts one session into `cells[key]`: `n` always, `k` when it converted. */
export function tallyInto(cells: Map<string, ConversionCell>, key: string, isConverted: boolean): void {
  const cell = cells.get(key) ?? { n: 0, k: 0 }
  cell.n += 1
  if (isConverted) cell.k += 1
  cells.set(key, cell)
}

/**
 * Deletes the entry of `map` with the smallest `weight` (the oldest among equals). Called when a
 * capped map is full and a new key arrives, so a flood of names seen once early (an attacker
 * posting 50 funnel names first) is pushed out by the names real traffic keeps adding to,
 * instead of taking every slot for good. The scan is over a few dozen entries, once per new key.
 */
export function evictLightest<V>(map: Map<string, V>, weight: (value: V) => number): void {
  let lightest: string | undefined
  let least = Infinity
  for (const [key, value] of map) {
    const w = weight(value)
    if (w < least) {
      least = w
      lightest = key
    }
  }
  if (lightest !== undefined) map.delete(lightest)
}

/**
 * The `n` keys with the highest counts, highest first (ties in insertion order).
 *
 * @example
 * topKeys(new Map([['/a', 1], ['/b', 5]]), 1) // ['/b']
 */
export function topKeys(counts: Map<string, number>, n: number): string[] {
  return [...counts]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([key]) => key)
}

/** Distinct pages, fields… kept per item (selector, error, form) for its "where" column. */
export const MAX_KEYS_PER_ITEM = 50

/** Pages listed per item in the report. */
export const PAGES_PER_ITEM = 3

/** `a / b`, or null when `b` is 0: the report prints "–" rather than NaN or Infinity. */
export function ratio(a: number, b: number): number | null {
  return b > 0 ? a / b : null
}

/** `value`, or null when it is NaN (an empty quantile): JSON has no NaN. */
export function finite(value: number): number | null {
  return Number.isFinite(value) ? value : null
}
