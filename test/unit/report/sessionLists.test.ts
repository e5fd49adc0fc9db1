// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createSessionLists } from '../../../src/report/sessionLists'

const entriesOf = (lists: ReturnType<typeof createSessionLists>, session: number) => {
  const out: Array<[number, number]> = []
  lists.forEach(session, (key, value) => out.push([key, value]))
  return out
}

describe('createSessionLists', () => {
  it('keeps each session’s entries apart, in the order they were added', () => {
    const lists = createSessionLists()
    lists.add(0, 7, 70)
    lists.add(2, 5)
    lists.add(0, 3, 30)
    lists.add(0, 9, 90)
    expect(entriesOf(lists, 0)).toEqual([
      [7, 70],
      [3, 30],
      [9, 90],
    ])
    expect(entriesOf(lists, 2)).toEqual([[5, 0]])
    expect(entriesOf(lists, 1)).toEqual([])
    expect(entriesOf(lists, 99_999)).toEqual([]) // a session never added to
    expect([0, 1, 2].map(lists.count)).toEqual([3, 0, 1])
  })

  it('finds a key in one session only, and updates its value in place', () => {
    const lists = createSessionLists()
    lists.add(1, 4, 1)
    const entry = lists.find(1, 4)
    expect(entry).toBeGreaterThanOrEqual(0)
    expect(lists.find(0, 4)).toBe(-1)
    expect(lists.find(1, 5)).toBe(-1)
    lists.setValue(entry, lists.value(entry) | 8)
    expect(entriesOf(lists, 1)).toEqual([[4, 9]])
  })

  it('grows past its first allocation without losing entries', () => {
    const lists = createSessionLists()
    for (let session = 0; session < 5000; session += 1) {
      for (let key = 0; key < 3; key += 1) lists.add(session, key, session * 10 + key)
    }
    expect(entriesOf(lists, 4321)).toEqual([
      [0, 43210],
      [1, 43211],
      [2, 43212],
    ])
    expect(lists.value(lists.find(0, 2))).toBe(2)
  })

  it('lets a visit walk another session’s list of the same pool', () => {
    const lists = createSessionLists()
    for (let key = 0; key < 100; key += 1) lists.add(0, key)
    lists.add(1, 1)
    lists.add(1, 2)
    const seen: string[] = []
    lists.forEach(1, (outer) => lists.forEach(0, (inner) => inner < 2 && seen.push(`${outer}:${inner}`)))
    expect(seen).toEqual(['1:0', '1:1', '2:0', '2:1'])
  })
})
