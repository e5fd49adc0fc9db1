// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createInterner } from '../../../src/report/interner'
import { addCapped, createSessionLists, type SessionLists } from '../../../src/report/sessionLists'

/** The session's (key, first value) pairs, in the order forEach gives them. */
const pairsOf = (lists: SessionLists, session: number) => {
  const out: Array<[number, number]> = []
  lists.forEach(session, (key, entry) => out.push([key, lists.value(entry)]))
  return out
}

const addWith = (lists: SessionLists, session: number, key: number, value: number) =>
  lists.setValue(lists.add(session, key), value)

describe('createSessionLists', () => {
  it('keeps each session’s entries apart, in the order they were added', () => {
    const lists = createSessionLists()
    addWith(lists, 0, 7, 70)
    lists.add(2, 5)
    addWith(lists, 0, 3, 30)
    addWith(lists, 0, 9, 90)
    expect(pairsOf(lists, 0)).toEqual([
      [7, 70],
      [3, 30],
      [9, 90],
    ])
    expect(pairsOf(lists, 2)).toEqual([[5, 0]]) // values start at 0
    expect(pairsOf(lists, 1)).toEqual([])
    expect(pairsOf(lists, 99_999)).toEqual([]) // a session never added to
    expect([0, 1, 2].map(lists.count)).toEqual([3, 0, 1])
  })

  it('finds a key in one session only, and updates its value in place', () => {
    const lists = createSessionLists()
    addWith(lists, 1, 4, 1)
    const entry = lists.find(1, 4)
    expect(entry).toBeGreaterThanOrEqual(0)
    expect(lists.find(0, 4)).toBe(-1)
    expect(lists.find(1, 5)).toBe(-1)
    lists.setValue(entry, lists.value(entry) | 8)
    expect(pairsOf(lists, 1)).toEqual([[4, 9]])
  })

  it('holds two independent values per entry when asked, and keys alone when asked', () => {
    const two = createSessionLists(2)
    const entry = two.add(0, 1)
    two.setValue(entry, 5, 0)
    two.setValue(entry, 6, 1)
    two.add(0, 2)
    expect([two.value(entry, 0), two.value(entry, 1), two.value(two.find(0, 2), 1)]).toEqual([5, 6, 0])
    const keys = createSessionLists(0)
    for (let key = 0; key < 3000; key += 1) keys.add(key % 3, key)
    expect(keys.count(1)).toBe(1000)
    expect(keys.find(2, 2999)).toBeGreaterThanOrEqual(0)
    expect(keys.find(2, 2998)).toBe(-1)
  })

  it('grows past its first allocation without losing entries', () => {
    const lists = createSessionLists()
    for (let session = 0; session < 5000; session += 1) {
      for (let key = 0; key < 3; key += 1) addWith(lists, session, key, session * 10 + key)
    }
    expect(pairsOf(lists, 4321)).toEqual([
      [0, 43210],
      [1, 43211],
      [2, 43212],
    ])
    expect(lists.value(lists.find(0, 2))).toBe(2)
  })

  it('lets a visit walk another list of the same pool, or the same one', () => {
    const lists = createSessionLists()
    for (let key = 0; key < 100; key += 1) lists.add(0, key)
    lists.add(1, 1)
    lists.add(1, 2)
    const seen: string[] = []
    lists.forEach(1, (outer) => {
      lists.forEach(0, (inner) => inner < 2 && seen.push(`${outer}:${inner}`))
      lists.forEach(1, (inner) => seen.push(`${outer}/${inner}`))
    })
    expect(seen).toEqual(['1:0', '1:1', '1/1', '1/2', '2:0', '2:1', '2/1', '2/2'])
  })
})

describe('addCapped', () => {
  it('is true once per session and text, keeps at most max texts, and numbers only kept texts', () => {
    const lists = createSessionLists(0)
    const names = createInterner()
    expect([addCapped(lists, names, 0, '/a', 2), addCapped(lists, names, 0, '/a', 2)]).toEqual([true, false])
    expect(addCapped(lists, names, 1, '/a', 2)).toBe(true)
    expect(addCapped(lists, names, 0, '/b', 2)).toBe(true)
    // Full: a new text still counts (a bounded overcount) but is neither kept nor numbered.
    expect([addCapped(lists, names, 0, '/c', 2), addCapped(lists, names, 0, '/c', 2)]).toEqual([true, true])
    expect(names.find('/c')).toBe(-1)
    expect([lists.count(0), lists.count(1), names.size]).toEqual([2, 1, 2])
  })
})
