/** A bounded set of recently seen ids, forgetting the oldest first. */
export interface Dedupe {
  /** Whether `id` is among the remembered ids. */
  has(id: string): boolean
  /** Remembers `id`, evicting the oldest remembered id once the window is full. */
  add(id: string): void
  /** How many ids are remembered. */
  readonly size: number
}

/**
 * Creates a window that remembers the last `capacity` ids. A `Set` keeps insertion order, so
 * its first value is always the oldest: both `has` and `add` stay O(1) with no extra index.
 *
 * @param capacity - how many ids to remember; 0 disables remembering.
 */
export function createDedupe(capacity: number): Dedupe {
  const ids = new Set<string>()
  return {
    has: (id) => ids.has(id),
    add(id) {
      if (capacity <= 0) return
      // Re-adding moves nothing in a Set; delete first so a re-seen id counts as recent.
      ids.delete(id)
      ids.add(id)
      if (ids.size > capacity) ids.delete(ids.values().next().value as string)
    },
    get size() {
      return ids.size
    },
  }
}
