import { fnv1a } from '../lib/fnv1a'

/**
 * Maps a session id to [0, 1) with FNV-1a: the same session always gets the same number, so
 * a reload (same session) keeps the replay sampling decision without storing it.
 */
export const sessionUnit = (sessionId: string): number => {
  let hash = fnv1a(sessionId)
  // murmur3's finalizer: short or similar ids still spread over the whole range.
  hash ^= hash >>> 16
  hash = Math.imul(hash, 0x85ebca6b)
  hash ^= hash >>> 13
  hash = Math.imul(hash, 0xc2b2ae35)
  hash ^= hash >>> 16
  return (hash >>> 0) / 2 ** 32
}

/** True when the session falls within `sampleRate` (0–1). */
export const isReplaySampled = (sessionId: string, sampleRate: number): boolean => sessionUnit(sessionId) < sampleRate
