/** The typed arrays the report's per-session columns are made of. */
export type IntColumn = Int32Array | Uint8Array | Float64Array

/**
 * `array` if it holds `length` elements, else a copy half as long again or more (the new elements
 * are 0, or `fill`): amortized O(1) appends to a column that grows with the sessions, without
 * the per-element boxes of a JavaScript array of numbers. By half rather than double: the
 * columns are most of what the report holds, and doubling leaves up to half of them unused.
 */
export function grow<T extends IntColumn>(array: T, length: number, fill = 0): T {
  if (length <= array.length) return array
  const bigger = new (array.constructor as new (size: number) => T)(Math.max(length, Math.ceil(array.length * 1.5)))
  bigger.set(array)
  if (fill !== 0) bigger.fill(fill, array.length)
  return bigger
}
