/** FNV-1a, 32-bit, over UTF-16 code units: the one string hash of the SDK (error fingerprints, replay sampling). */
export const fnv1a = (text: string): number => {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}
