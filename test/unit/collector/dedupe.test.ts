import { describe, expect, it } from 'vitest'
import { createDedupe } from '../../../src/collector/dedupe'

describe('createDedupe', () => {
  it('remembers the last `capacity` distinct ids, forgetting the oldest first', () => {
    const dedupe = createDedupe(3)
    for (const id of ['a', 'b', 'c']) dedupe.add(id)
    expect(['a', 'b', 'c'].map((id) => dedupe.has(id))).toEqual([true, true, true])
    dedupe.add('d')
    expect(['a', 'b', 'c', 'd'].map((id) => dedupe.has(id))).toEqual([false, true, true, true])
    expect(dedupe.size).toBe(3)
  })

  it('keeps an id seen again in its first place, so the window counts distinct ids', () => {
    const dedupe = createDedupe(2)
    dedupe.add('a')
    dedupe.add('a')
    dedupe.add('b')
    expect(dedupe.size).toBe(2)
    dedupe.add('c')
    expect([dedupe.has('a'), dedupe.has('b'), dedupe.has('c')]).toEqual([false, true, true])
  })

  it('stays at its capacity over many times its window, wrapping the ring', () => {
    const dedupe = createDedupe(1000)
    for (let i = 0; i < 25_000; i += 1) dedupe.add(`id-${i}`)
    expect(dedupe.size).toBe(1000)
    expect(dedupe.has('id-23999')).toBe(false)
    expect(dedupe.has('id-24000')).toBe(true)
    expect(dedupe.has('id-24999')).toBe(true)
  })

  it('remembers nothing with a capacity of 0', () => {
    const dedupe = createDedupe(0)
    dedupe.add('a')
    expect(dedupe.has('a')).toBe(false)
    expect(dedupe.size).toBe(0)
  })
})
