/** Numbers for strings: each distinct string gets the next integer, once. */
export interface Interner {
  /** The number of `text`, given to it now if it has none. */
  id(text: string): number
  /** The number of `text`, or -1 if it has none (and it gets none). */
  find(text: string): number
  /** The string of number `id`. */
  text(id: number): string
  /** Strings numbered so far. */
  readonly size: number
}

/**
 * Creates an interner, so per-session records hold a 4-byte number (in a typed array) where they
 * held a pointer to a string of their own and a slot of a Map or Set; the string is kept once.
 * Callers that must not grow with hostile data (a path per event) call `find` first and `id`
 * only for what they keep.
 *
 * @example
 * const paths = createInterner()
 * paths.id('/cart') // 0
 * paths.find('/cart') // 0, paths.find('/shop') // -1
 */
export function createInterner(): Interner {
  const ids = new Map<string, number>()
  const texts: string[] = []
  return {
    id(text) {
      let id = ids.get(text)
      if (id === undefined) {
        id = texts.length
        ids.set(text, id)
        texts.push(text)
      }
      return id
    },
    find: (text) => ids.get(text) ?? -1,
    text: (id) => texts[id],
    get size() {
      return texts.length
    },
  }
}
