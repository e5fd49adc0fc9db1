import { grow } from './grow'

/** A small list of (key, value) integer pairs per session, all in one pool. */
export interface SessionLists {
  /** The entry holding `key` in the session's list, or -1. */
  find(session: number, key: number): number
  /** Appends (key, value) to the session's list (without checking for `key`) and returns its entry. */
  add(session: number, key: number, value?: number): number
  /** Entries in the session's list. */
  count(session: number): number
  value(entry: number): number
  setValue(entry: number, value: number): void
  /**
   * Calls `visit` with each (key, value) of the session's list, in the order they were added.
   * `visit` may read any list, including this one, and call `forEach` of any.
   */
  forEach(session: number, visit: (key: number, value: number) => void): void
}

/** Int32 slots per entry: key, value, and 1 + the session's previous entry (0 ends the list). */
const STRIDE = 3
const INITIAL_ENTRIES = 1024

/**
 * Creates a pool of per-session lists: the maps and sets a session record used to hold
 * (experiment → variant, funnel → steps, pages viewed…) as linked entries of 12 bytes in one
 * growing Int32Array, and 4 bytes per session for the head, instead of a Map or Set of about
 * 180 bytes for the first entry. Lists are short (a handful of entries, at most 50 where
 * capped), so a walk costs less than hashing a string key.
 *
 * @example
 * const pages = createSessionLists()
 * if (pages.find(session, pathId) < 0) pages.add(session, pathId)
 */
export function createSessionLists(): SessionLists {
  // 1 + the session's last entry, 0 for an empty list; zeroed growth is an empty list.
  let heads = new Int32Array(INITIAL_ENTRIES)
  let entries = new Int32Array(INITIAL_ENTRIES * STRIDE)
  let size = 0
  // forEach lays a list out here, oldest first, above what enclosing forEach calls laid out.
  let stack = new Int32Array(64)
  let top = 0

  const headOf = (session: number) => (session < heads.length ? heads[session] : 0)

  return {
    find(session, key) {
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * STRIDE + 2]) {
        if (entries[(link - 1) * STRIDE] === key) return link - 1
      }
      return -1
    },
    add(session, key, value = 0) {
      heads = grow(heads, session + 1)
      entries = grow(entries, (size + 1) * STRIDE)
      const at = size * STRIDE
      entries[at] = key
      entries[at + 1] = value
      entries[at + 2] = heads[session]
      size += 1
      heads[session] = size
      return size - 1
    },
    count(session) {
      let n = 0
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * STRIDE + 2]) n += 1
      return n
    },
    value: (entry) => entries[entry * STRIDE + 1],
    setValue(entry, value) {
      entries[entry * STRIDE + 1] = value
    },
    forEach(session, visit) {
      const bottom = top
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * STRIDE + 2]) {
        stack = grow(stack, top + 1)
        stack[top++] = link - 1
      }
      try {
        // The list links newest to oldest; the stack holds it in that order, so read it backwards.
        for (let i = top - 1; i >= bottom; i -= 1) {
          const at = stack[i] * STRIDE
          visit(entries[at], entries[at + 1])
        }
      } finally {
        top = bottom
      }
    },
  }
}
