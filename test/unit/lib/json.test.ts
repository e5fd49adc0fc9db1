import { describe, expect, it } from 'vitest'
import { toJson } from '../../../src/lib/json'

describe('toJson', () => {
  it('serializes plain values', () => {
    expect(toJson({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}')
  })
  it.each([
    [
      'a circular object',
      (() => {
        const o: any = {}
        o.self = o
        return o
      })(),
    ],
    ['a BigInt', { n: 1n }],
    [
      'a throwing getter',
      {
        get x() {
          throw new Error('no')
        },
      },
    ],
  ])('returns undefined for %s instead of throwing', (_name, value) => {
    expect(toJson(value)).toBeUndefined()
  })
})
