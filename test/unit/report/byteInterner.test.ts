// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createByteInterner } from '../../../src/report/byteInterner'

describe('createByteInterner', () => {
  it('numbers each distinct string once, in order of first appearance', () => {
    const ids = createByteInterner()
    expect(['a', 'b', 'a', '', 'ab', 'b', ''].map(ids.id)).toEqual([0, 1, 0, 2, 3, 1, 2])
    expect(ids.size).toBe(4)
  })

  it('tells apart strings of other lengths, cases and Latin-1 characters', () => {
    const ids = createByteInterner()
    const texts = ['id', 'ID', 'id ', 'ïd', 'i\u0000d', 'i\u00ffd']
    expect(texts.map(ids.id)).toEqual([0, 1, 2, 3, 4, 5])
    expect(texts.map(ids.id)).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('keeps strings past U+00FF in the same numbering', () => {
    const ids = createByteInterner()
    expect(['x', 'ĳ', '😀', 'x', 'ĳ', 'y'].map(ids.id)).toEqual([0, 1, 2, 0, 1, 3])
    // Bytes would confuse U+0100 with U+0000 (both end in 0x00): the wide ones are not bytes.
    expect([ids.id('\u0100'), ids.id('\u0000')]).toEqual([4, 5])
  })

  it('finds every string again after many growths of its table', () => {
    const ids = createByteInterner()
    const texts = Array.from({ length: 20_000 }, (_, i) => `session-${i.toString(36)}`)
    texts.push('é-wide-ĳ')
    expect(texts.map(ids.id)).toEqual(texts.map((_, i) => i))
    expect([...texts].reverse().map(ids.id)).toEqual(texts.map((_, i) => texts.length - 1 - i))
    expect(ids.size).toBe(texts.length)
  })
})
