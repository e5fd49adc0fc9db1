// @vitest-environment node
import { gunzipSync } from 'node:zlib'
import { describe, expect, it } from 'vitest'
import { gzipSync } from '../../../src/lib/gzipSync'
import { mulberry32 } from '../../../src/lib/mulberry32'

const random = mulberry32(7)
const noise = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(32 + Math.floor(random() * 95))).join('')
const event = (i: number) =>
  JSON.stringify({
    id: 'id' + i + noise(19),
    type: 'track',
    ts: 1_700_000_000_000 + i,
    name: 'signup',
    props: { pad: 'x'.repeat(3000) },
  })

describe('gzipSync', () => {
  it.each([
    ['empty', ''],
    ['one byte', 'a'],
    ['two bytes', 'ab'],
    ['a run longer than one match (258)', 'a'.repeat(10_000)],
    ['a run of 259 (one match of 258 and a literal)', 'b'.repeat(259)],
    ['multi-byte UTF-8', 'ünïcödé 🎉 日本語 '.repeat(200)],
    ['random printable text (no matches)', noise(5000)],
    ['matches farther back than the 32 KiB window', noise(40_000) + noise(40_000)],
    ['30 events of ~3 KB', '{"events":[' + Array.from({ length: 30 }, (_, i) => event(i)).join(',') + ']}'],
  ])('round-trips through zlib: %s', (_name, text) => {
    const bytes = gzipSync(text)
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
    expect(gunzipSync(bytes).toString('utf8')).toBe(text)
  })

  it('round-trips a match of every length (3–258) at every distance code', () => {
    // Each piece repeats a random run of `length` after a gap of 1 B to 16 KiB, and one run
    // comes back 28 KB later: every length code and extra-bit value, every distance code.
    const pieces: string[] = []
    for (let length = 3; length <= 258; length++) {
      const run = noise(length)
      pieces.push(run, noise(2 ** (length % 15)), run)
    }
    const far = noise(20)
    pieces.push(far, noise(28_000), far)
    const text = pieces.join('')
    expect(gunzipSync(gzipSync(text)).toString('utf8')).toBe(text)
  })

  it('round-trips every byte value', () => {
    const text = Array.from({ length: 4096 }, (_, i) => String.fromCharCode(i % 256)).join('')
    expect(gunzipSync(gzipSync(text)).toString('utf8')).toBe(text)
  })

  it('shrinks 30 events of ~3 KB (90 KB) below the 64 KiB keepalive quota', () => {
    const text = '{"events":[' + Array.from({ length: 30 }, (_, i) => event(i)).join(',') + ']}'
    expect(text.length).toBeGreaterThan(90_000)
    expect(gzipSync(text).length).toBeLessThan(4000)
  })
})
