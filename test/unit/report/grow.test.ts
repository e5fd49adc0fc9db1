// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { grow } from '../../../src/report/grow'

describe('grow', () => {
  it('returns the same array while it is long enough', () => {
    const column = new Int32Array(4)
    expect(grow(column, 4)).toBe(column)
  })

  it('copies into an array half as long again, or as asked, new elements set to the fill', () => {
    const column = Float64Array.of(1, 2, 3, 4)
    const bigger = grow(column, 5, Infinity)
    expect(bigger).toBeInstanceOf(Float64Array)
    expect([...bigger]).toEqual([1, 2, 3, 4, Infinity, Infinity])
    expect(grow(new Uint8Array(2), 9).length).toBe(9)
  })
})
