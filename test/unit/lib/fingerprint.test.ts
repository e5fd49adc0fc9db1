import { describe, expect, it } from 'vitest'
import { fingerprint } from '../../../src/lib/fingerprint'

describe('fingerprint', () => {
  it('gives the same text the same fingerprint', () => {
    expect(fingerprint('TypeError:x is undefined')).toBe(fingerprint('TypeError:x is undefined'))
  })

  it('gives different texts different fingerprints', () => {
    const prints = new Set(['a', 'b', 'TypeError:a', 'TypeError:b', '', 'ab', 'ba'].map(fingerprint))
    expect(prints.size).toBe(7)
  })

  it('is a short base-36 string within the schema limit', () => {
    for (const text of ['', 'x', 'y'.repeat(10_000), '日本語']) expect(fingerprint(text)).toMatch(/^[0-9a-z]{1,7}$/)
  })

  it('is stable across releases (pinned FNV-1a values)', () => {
    // FNV-1a 32 of '' is the offset basis 0x811c9dc5; of 'a' is 0xe40c292c
    expect(fingerprint('')).toBe((0x811c9dc5).toString(36))
    expect(fingerprint('a')).toBe((0xe40c292c).toString(36))
  })
})
