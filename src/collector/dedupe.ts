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
 * Creates a window that remembers the last `capacity` distinct ids: a `Set` for lookups beside
 * a ring of the same ids in arrival order, so evicting the oldest is one array slot and one
 * `Set.delete`, O(1) whatever the window size. (Evicting through `set.values().next()` instead
 * walks the deleted slots V8 leaves at the front of the table until it rehashes: 40–170× slower
 * per id once a 100k window is full.)
 *
 * An id already remembered is not re-added: it keeps its original place, so it is forgotten
 * `capacity` distinct ids after it was first seen, which is the window the README documents.
 *
 * @param capacity - how many ids to remember; 0 disables remembering.
 */
export function createDedupe(capacity: number): Dedupe {
  const size = Math.max(0, Math.floor(capacity))
  const ids = new Set<string>()
  const ring: Array<string | undefined> = new Array<string | undefined>(size)
  let next = 0
  return {
    has: (id) => ids.has(id),
    add(id) {
      if (size === 0 || ids.has(id)) return
      const oldest = ring[next]
      if (oldest !== undefined) ids.delete(oldest)
      ring[next] = id
      ids.add(id)
      next = next + 1 === size ? 0 : next + 1
    },
    get size() {
      return ids.size
    },
  }
}
