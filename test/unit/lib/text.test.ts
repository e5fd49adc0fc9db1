import { describe, expect, it } from 'vitest'
import { MAX_TEXT_LENGTH, trimText } from '../../../src/lib/text'
import { MAX_TEXT_LENGTH as SCHEMA_MAX_TEXT_LENGTH } from '../../../src/schema'

describe('trimText', () => {
  it.each([
    ['  Buy   now\n', 'Buy now'],
    ['a\t\tb', 'a b'],
    ['x'.repeat(150), 'x'.repeat(100)],
    [undefined, ''],
    [null, ''],
    [42, '42'],
    ['', ''],
  ])('trims %j to %j', (input, expected) => {
    expect(trimText(input)).toBe(expected)
  })

  it('uses the same limit as the wire schema', () => {
    expect(MAX_TEXT_LENGTH).toBe(SCHEMA_MAX_TEXT_LENGTH)
  })

  it('accepts a custom maximum', () => {
    expect(trimText('abcdef', 3)).toBe('abc')
  })
})
