import { describe, expect, it } from 'vitest'
import { parseTime } from '../../../src/cli/parseTime'

const NOW = Date.parse('2026-12-02T12:00:00Z')

describe('parseTime (--since / --until)', () => {
  it.each([
    ['24h', NOW - 86_400_000],
    ['7d', NOW - 7 * 86_400_000],
    ['30m', NOW - 1_800_000],
    ['2w', NOW - 14 * 86_400_000],
    ['1732350000000', 1_732_350_000_000],
    ['2024-11-23', Date.parse('2024-11-23T00:00:00Z')],
    ['2024-11-23T09:40', Date.parse('2024-11-23T09:40:00Z')],
    ['2024-11-23 09:40:12', Date.parse('2024-11-23T09:40:12Z')],
    ['2024-11-23T09:40+02:00', Date.parse('2024-11-23T07:40:00Z')],
    ['2024-11-23T09:40:00.500Z', Date.parse('2024-11-23T09:40:00.500Z')],
  ])('%s', (value, expected) => {
    expect(parseTime(value, NOW)).toBe(expected)
  })

  it.each([['yesterday'], [''], ['24'], ['2024-13-45'], ['-1d'], ['1e300'], ['2024-11-23T25:00']])(
    'rejects %j',
    (value) => {
      expect(parseTime(value, NOW)).toBeUndefined()
    },
  )
})
