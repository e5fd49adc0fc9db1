import { grow } from './grow'

/** Numbers for strings, like {@link createInterner}, without giving the strings back. */
export interface ByteInterner {
  /** The number of `text`, given to it now if it has none (0, 1, 2… in order of first appearance). */
  id(text: string): number
  /** Strings numbered so far. */
  readonly size: number
}

const INITIAL_STRINGS = 1024
const LATIN1_MAX = 0xff
/** FNV-1a, 32-bit: a few operations per character, and ids differ in their last characters. */
const FNV_OFFSET = 0x811c9dc5 | 0
const FNV_PRIME = 16777619

/**
 * Creates an interner that keeps its strings as bytes: one per character in one growing
 * Uint8Array, found through an open-addressing table of their numbers, so a 21-character
 * session id costs about 40 bytes in all where a string of its own and a Map slot cost about 90.
 * For the keys the report counts but never prints (session and visitor ids, one or two per
 * session, so most of what is left of the per-session state). Strings with a character past
 * U+00FF (not ids the SDK makes) are kept as they are, in a Map.
 *
 * @example
 * const sessions = createByteInterner()
 * sessions.id('V1StGXR8_Z5jdHi6B-myT') // 0, and 0 again next time
 */
export function createByteInterner(): ByteInterner {
  let bytes = new Uint8Array(INITIAL_STRINGS * 24)
  // String n is bytes[starts[n], starts[n + 1]); a wide string has no bytes.
  let starts = new Int32Array(INITIAL_STRINGS + 1)
  let hashes = new Int32Array(INITIAL_STRINGS)
  // 1 + a string's number, 0 for a free slot; a power of two, kept at most half full.
  let slots = new Int32Array(INITIAL_STRINGS * 2)
  const wide = new Map<string, number>()
  const wideNumbers = new Set<number>()
  let size = 0

  const append = (hash: number): number => {
    const n = size
    size += 1
    starts = grow(starts, size + 1)
    hashes = grow(hashes, size)
    hashes[n] = hash
    return n
  }

  const place = (n: number) => {
    const mask = slots.length - 1
    let slot = hashes[n] & mask
    while (slots[slot] !== 0) slot = (slot + 1) & mask
    slots[slot] = n + 1
  }

  const sameBytes = (n: number, text: string): boolean => {
    const start = starts[n]
    if (starts[n + 1] - start !== text.length) return false
    for (let i = 0; i < text.length; i += 1) if (bytes[start + i] !== text.charCodeAt(i)) return false
    return true
  }

  const idOfWide = (text: string): number => {
    let n = wide.get(text)
    if (n === undefined) {
      n = append(0)
      starts[size] = starts[n]
      wide.set(text, n)
      wideNumbers.add(n)
    }
    return n
  }

  return {
    id(text) {
      let hash = FNV_OFFSET
      for (let i = 0; i < text.length; i += 1) {
        const code = text.charCodeAt(i)
        if (code > LATIN1_MAX) return idOfWide(text)
        hash = Math.imul(hash ^ code, FNV_PRIME)
      }
      const mask = slots.length - 1
      let slot = hash & mask
      for (let found = slots[slot]; found !== 0; found = slots[slot]) {
        if (hashes[found - 1] === hash && sameBytes(found - 1, text)) return found - 1
        slot = (slot + 1) & mask
      }
      const n = append(hash)
      const start = starts[n]
      bytes = grow(bytes, start + text.length)
      for (let i = 0; i < text.length; i += 1) bytes[start + i] = text.charCodeAt(i)
      starts[n + 1] = start + text.length
      if (size * 2 > slots.length) {
        slots = new Int32Array(slots.length * 2)
        for (let k = 0; k < size; k += 1) if (!wideNumbers.has(k)) place(k)
      } else slots[slot] = n + 1
      return n
    },
    get size() {
      return size
    },
  }
}
