// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createInterner } from '../../../src/report/interner'

describe('createInterner', () => {
  it('numbers each distinct string once, in order of first appearance', () => {
    const names = createInterner()
    expect(['/a', '/b', '/a', '', '/b'].map(names.id)).toEqual([0, 1, 0, 2, 1])
    expect(names.size).toBe(3)
    expect([0, 1, 2].map(names.text)).toEqual(['/a', '/b', ''])
  })

  it('finds a string without numbering one it has not seen', () => {
    const names = createInterner()
    names.id('control')
    expect(names.find('control')).toBe(0)
    expect(names.find('variant')).toBe(-1)
    expect(names.size).toBe(1)
  })
})
