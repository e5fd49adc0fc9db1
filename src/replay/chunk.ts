import { splitEvent } from './split'
import type { RrwebEvent } from './types'

/** Fills chunks of rrweb events whose JSON array stays within `maxChars`, in order. */
export interface Chunker {
  /** Adds one event (split first when it alone is too big); returns the chunks that it closed. */
  add(event: RrwebEvent): RrwebEvent[][]
  /** Closes the chunk being filled; returns it, or nothing when it is empty. */
  close(): RrwebEvent[][]
}

// `[` and `]`; every event adds its JSON and one comma (one too many, which is the margin).
const EMPTY_CHARS = 2

/** DOM-free: the replay plugin's chunk filling, which {@link chunkEvents} describes in one call. */
export const createChunker = (maxChars: number): Chunker => {
  let events: RrwebEvent[] = []
  let chars = EMPTY_CHARS
  const close = (): RrwebEvent[][] => {
    const closed = events.length ? [events] : []
    events = []
    chars = EMPTY_CHARS
    return closed
  }
  return {
    add(event) {
      const closed: RrwebEvent[][] = []
      for (const part of splitEvent(event, maxChars - EMPTY_CHARS)) {
        const size = JSON.stringify(part).length + 1
        if (chars + size > maxChars) closed.push(...close())
        events.push(part)
        chars += size
      }
      return closed
    },
    close,
  }
}

/**
 * Groups events, in order, into arrays whose JSON stays within `maxChars`; an event too big
 * for one is split where rrweb allows it (snapshots by subtree, mutations by list), and a
 * part that still does not fit travels alone (the caller drops it).
 */
export const chunkEvents = (events: RrwebEvent[], maxChars: number): RrwebEvent[][] => {
  const chunker = createChunker(maxChars)
  return events.flatMap((event) => chunker.add(event)).concat(chunker.close())
}
