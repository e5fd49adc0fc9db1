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

/**
 * The `n` keys with the highest counts, highest first (ties in insertion order).
 *
 * @example
 * topKeys(new Map([['/a', 1], ['/b', 5]]), 1) // ['/b']
 */
export function topKeys(counts: Map<string, number>, n: number): string[] {
  return [...counts].sort((a, b) => b[1] - a[1]).slice(0, n).map(([key]) => key)
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
