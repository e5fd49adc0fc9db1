import { grow } from './grow'
import type { Interner } from './interner'

/** A small list of entries per session (an integer key and 0 to 2 integer values), all in one pool. */
export interface SessionLists {
  /** The entry holding `key` in the session's list, or -1. */
  find(session: number, key: number): number
  /** Appends an entry for `key`, its values 0, to the session's list (without checking for `key`). */
  add(session: number, key: number): number
  /** Entries in the session's list. */
  count(session: number): number
  /** Value `slot` (0 or 1, below the pool's number of values) of `entry`. */
  value(entry: number, slot?: number): number
  setValue(entry: number, value: number, slot?: number): void
  /**
   * Calls `visit` with the key and entry of each item of the session's list, in the order they
   * were added. `visit` may read any list, including this one, and call `forEach` of any.
   */
  forEach(session: number, visit: (key: number, entry: number) => void): void
}

const INITIAL_ENTRIES = 1024
const KEY = 0
/** 1 + the session's previous entry, 0 at the end of its list. */
const LINK = 1
const VALUES = 2

/**
 * Creates a pool of per-session lists with `values` integers per entry: the maps and sets a
 * session record used to hold (experiment → variant, funnel → steps, pages viewed…) as linked
 * entries of 8 to 16 bytes in one growing Int32Array, plus 4 bytes per session for the head,
 * instead of a Map or Set of about 180 bytes for its first entry. Lists are short (a handful of
 * entries, at most 50 where capped), so a walk costs less than hashing a string key.
 *
 * @example
 * const pages = createSessionLists(0)
 * if (pages.find(session, pathId) < 0) pages.add(session, pathId)
 */
export function createSessionLists(values: 0 | 1 | 2 = 1): SessionLists {
  const stride = VALUES + values
  // 1 + the session's last entry, 0 for an empty list: a grown, zeroed tail is empty lists.
  let heads = new Int32Array(INITIAL_ENTRIES)
  let entries = new Int32Array(INITIAL_ENTRIES * stride)
  let size = 0
  // forEach lays a list out here, oldest first, above what enclosing forEach calls laid out.
  let stack = new Int32Array(64)
  let top = 0

  const headOf = (session: number) => (session < heads.length ? heads[session] : 0)

  return {
    find(session, key) {
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * stride + LINK]) {
        if (entries[(link - 1) * stride + KEY] === key) return link - 1
      }
      return -1
    },
    add(session, key) {
      heads = grow(heads, session + 1)
      entries = grow(entries, (size + 1) * stride)
      const at = size * stride
      entries[at + KEY] = key
      entries[at + LINK] = heads[session]
      size += 1
      heads[session] = size
      return size - 1
    },
    count(session) {
      let n = 0
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * stride + LINK]) n += 1
      return n
    },
    value: (entry, slot = 0) => entries[entry * stride + VALUES + slot],
    setValue(entry, value, slot = 0) {
      entries[entry * stride + VALUES + slot] = value
    },
    forEach(session, visit) {
      const bottom = top
      for (let link = headOf(session); link !== 0; link = entries[(link - 1) * stride + LINK]) {
        stack = grow(stack, top + 1)
        stack[top++] = link - 1
      }
      try {
        // The list links newest to oldest, and so does the stack: read it backwards.
        for (let i = top - 1; i >= bottom; i -= 1) visit(entries[stack[i] * stride + KEY], stack[i])
      } finally {
        top = bottom
      }
    },
  }
}

/**
 * Adds `text` to the session's list of interned strings, capped at `max` entries: true the first
 * time the session meets it, and also once the list is full (a bounded overcount; the text is not
 * kept then). Only a text some session keeps gets a number, so a flood of distinct texts (a path
 * per event) does not grow `names`.
 */
export function addCapped(lists: SessionLists, names: Interner, session: number, text: string, max: number): boolean {
  const id = names.find(text)
  if (id >= 0 && lists.find(session, id) >= 0) return false
  if (lists.count(session) < max) lists.add(session, id >= 0 ? id : names.id(text))
  return true
}
