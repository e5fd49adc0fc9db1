/** A map that keeps the heaviest keys and forgets the rest, so it cannot grow with the data. */
export interface TopMap<V> {
  /** The entry of `key`, created when missing (possibly evicting light entries later). */
  get(key: string): V
  /** Kept entries, heaviest first. */
  entries(): Array<[string, V]>
  /** Keys forgotten so far; when non-zero, counts of keys seen again after eviction are low. */
  readonly evicted: number
}

/**
 * Creates a top-N map for keys that grow with the data (selectors, paths, fingerprints, forms).
 * It holds up to twice `capacity` keys; past that it keeps the `capacity` heaviest by `weight`
 * (a "lossy counting" prune): exact while there are fewer distinct keys than that, and the
 * heavy hitters, the ones a report lists, survive beyond. Pruning sorts once every `capacity`
 * new keys, so the amortized cost per event stays a `Map` lookup.
 *
 * @example
 * const selectors = createTopMap(500, () => ({ count: 0 }), (entry) => entry.count)
 * selectors.get('#buy').count += 1
 */
export function createTopMap<V>(capacity: number, create: (key: string) => V, weight: (value: V) => number): TopMap<V> {
  let map = new Map<string, V>()
  let evicted = 0
  // The key asked last (events of one page come together), still in the map: only `get` prunes.
  let lastKey: string | undefined
  let lastValue: V | undefined
  const sortedEntries = () => [...map].sort((a, b) => weight(b[1]) - weight(a[1]))
  return {
    get(key) {
      if (key === lastKey) return lastValue as V
      let value = map.get(key)
      if (value === undefined) {
        if (map.size >= capacity * 2) {
          const kept = sortedEntries().slice(0, capacity)
          evicted += map.size - kept.length
          map = new Map(kept)
        }
        value = create(key)
        map.set(key, value)
      }
      lastKey = key
      lastValue = value
      return value
    },
    entries: sortedEntries,
    get evicted() {
      return evicted
    },
  }
}
