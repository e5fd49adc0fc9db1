import { describe, expect, it } from 'vitest'
import { chunkEvents, createChunker } from '../../../src/replay/chunk'
import type { RrwebEvent } from '../../../src/replay/types'

// A mouse-move event whose JSON is exactly `chars` long (not splittable: it travels whole).
const move = (id: number, chars: number): RrwebEvent => {
  const event = { type: 3, timestamp: id, data: { source: 1, pad: '' } }
  event.data.pad = 'p'.repeat(chars - JSON.stringify(event).length)
  return event as unknown as RrwebEvent
}
const ids = (chunks: RrwebEvent[][]) => chunks.map((chunk) => chunk.map((event) => event.timestamp))

describe('chunkEvents', () => {
  it.each([
    ['nothing', [], 1000, []],
    ['one small event', [move(1, 100)], 1000, [[1]]],
    // [ + 100 + , + 100 + , = 204 chars ≤ 205: two fit; a third (305) does not.
    ['as many as fit, counting brackets and commas', [move(1, 100), move(2, 100), move(3, 100)], 205, [[1, 2], [3]]],
    ['one char short of fitting two', [move(1, 100), move(2, 100)], 203, [[1], [2]]],
    [
      'an event bigger than a chunk alone, between others',
      [move(1, 70), move(2, 500), move(3, 70)],
      200,
      [[1], [2], [3]],
    ],
    ['order kept across many chunks', [1, 2, 3, 4, 5].map((i) => move(i, 60)), 125, [[1, 2], [3, 4], [5]]],
  ])('%s', (_label, events, maxChars, expected) => {
    expect(ids(chunkEvents(events as RrwebEvent[], maxChars))).toEqual(expected)
  })

  it('keeps every chunk of several events within maxChars as JSON', () => {
    const events = Array.from({ length: 50 }, (_, i) => move(i, 60 + ((i * 37) % 90)))
    const chunks = chunkEvents(events, 400)
    expect(chunks.flat()).toEqual(events)
    expect(chunks.map((chunk) => JSON.stringify(chunk).length).filter((length) => length > 400)).toEqual([])
  })
})

describe('createChunker', () => {
  it('returns the chunks an event closes, and the open one on close', () => {
    const chunker = createChunker(205)
    expect(ids(chunker.add(move(1, 100)))).toEqual([])
    expect(ids(chunker.add(move(2, 100)))).toEqual([])
    expect(ids(chunker.add(move(3, 100)))).toEqual([[1, 2]])
    expect(ids(chunker.close())).toEqual([[3]])
    expect(chunker.close()).toEqual([])
  })
})
