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

  it.each([
    // scrubbed before it is cut, so an address or card at the cut is still found whole
    ['Copy code 483920 to jane.doe@example.com', 'Copy code [redacted] to [redacted]'],
    ['x'.repeat(95) + ' jane.doe@example.com', 'x'.repeat(95) + ' [red'],
    ['Card\n4242 4242\t4242 4242', 'Card [redacted]'],
  ])('scrubs %j to %j', (input, expected) => {
    expect(trimText(input)).toBe(expected)
  })

  it('reads a bounded prefix of a huge text', () => {
    expect(trimText('a '.repeat(1_000_000), 300)).toHaveLength(299)
  })

  it('accepts a custom maximum', () => {
    expect(trimText('abcdef', 3)).toBe('abc')
  })
})
