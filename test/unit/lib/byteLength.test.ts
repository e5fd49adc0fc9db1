import { describe, expect, it } from 'vitest'
import { byteLength } from '../../../src/lib/byteLength'

const utf8 = (text: string) => new TextEncoder().encode(text).length

describe('byteLength', () => {
  it.each([
    ['ascii', 'hello world {"a":1}', 'exact'],
    ['empty', '', 'exact'],
    ['latin-1', 'café déjà vu', 'bound'],
    ['emoji', '👍🏽 ok 🎉', 'bound'],
    ['CJK', '日本語のテキスト', 'exact'],
    ['mixed', 'a€😀中', 'bound'],
  ])('is never below the real UTF-8 length (%s)', (_name, text, kind) => {
    const real = utf8(text)
    expect(byteLength(text)).toBeGreaterThanOrEqual(real)
    // never more than 1.5x the real size, so batches are not cut needlessly small
    expect(byteLength(text)).toBeLessThanOrEqual(Math.max(real * 1.5, 0))
    if (kind === 'exact') expect(byteLength(text)).toBe(real)
  })
})
