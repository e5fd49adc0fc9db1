import { afterEach, describe, expect, it, vi } from 'vitest'
import { GZIP_MIN_BYTES, canGzip, parseRetryAfter, postBatch } from '../../../src/transport/fetch'

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z')
  it.each([
    ['120', 60_000], // capped at one minute
    ['5', 5000],
    ['0', 0],
    ['-3', 0],
    ['Thu, 01 Jan 2026 00:00:30 GMT', 30_000],
    ['Wed, 31 Dec 2025 23:00:00 GMT', 0], // a date in the past
    ['soon', undefined],
    ['', undefined],
    [null, undefined],
  ])('reads %j as %j ms', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected)
  })
})

describe('postBatch', () => {
  afterEach(() => vi.unstubAllGlobals())

  it.each([
    [200, true, undefined],
    [204, true, undefined],
    [400, false, true],
    [413, false, true],
    [408, false, false],
    [429, false, false],
    [500, false, false],
    [503, false, false],
  ])('answers status %i with ok %s and fatal %s', async (status, ok, isFatal) => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => new Response(null, { status })),
    )
    const result = await postBatch('/e', '{}', { keepalive: false, useGzip: false })
    expect(result.ok).toBe(ok)
    expect(result.isFatal).toBe(isFatal)
  })

  it('treats a network error as retryable', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async () => {
        throw new TypeError('Failed to fetch')
      }),
    )
    const result = await postBatch('/e', '{}', { keepalive: false, useGzip: false })
    expect(result.ok).toBe(false)
    expect(result.isFatal).toBeUndefined()
  })

  it('falls back like a network error when compression fails', async () => {
    vi.stubGlobal(
      'CompressionStream',
      class {
        constructor() {
          throw new Error('no gzip')
        }
      },
    )
    const fetch = vi.fn(async () => new Response(null, { status: 200 }))
    vi.stubGlobal('fetch', fetch)
    expect(await postBatch('/e', 'x'.repeat(2000), { keepalive: false, useGzip: true })).toMatchObject({ ok: false })
    expect(fetch).not.toHaveBeenCalled()
  })

  it('knows when gzip pays off', () => {
    expect(canGzip(GZIP_MIN_BYTES - 1)).toBe(false)
    expect(canGzip(GZIP_MIN_BYTES)).toBe(typeof CompressionStream === 'function')
  })
})
