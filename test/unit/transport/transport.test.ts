import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHealth } from '../../../src/core/health'
import type { WireBatch } from '../../../src/transport/types'
import type { FrictionEvent } from '../../../src/schema'
import { createTransport } from '../../../src/transport'
import type { SendResult } from '../../../src/transport/types'
import { mulberry32 } from '../../../src/lib/mulberry32'
import { setVisibility, startTracker } from '../core/helpers'

const event = (id: string, size = 10, pad = 'p'.repeat(size)) =>
  ({ id, type: 'track', name: 'x', props: { pad } }) as unknown as FrictionEvent
const random = mulberry32(3)
// Printable noise: gzip cannot shrink it much, so it still exercises the keepalive budget.
const noise = (length: number) =>
  Array.from({ length }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join('')
const batchOf = (events: FrictionEvent[]): WireBatch => ({ v: 1, site: 's', sentAt: 1, events })

describe('createTransport', () => {
  let fetch: ReturnType<typeof vi.fn>
  let beacon: ReturnType<typeof vi.fn>
  let beaconBodies: string[]
  const gunzip = async (body: ArrayBuffer) =>
    new Response(new Blob([body]).stream().pipeThrough(new DecompressionStream('gzip'))).text()

  beforeEach(() => {
    beaconBodies = []
    fetch = vi.fn(async () => new Response(null, { status: 200 }))
    beacon = vi.fn((_url: string, blob: Blob) => {
      void blob.text().then((text) => beaconBodies.push(text))
      return true
    })
    vi.stubGlobal('fetch', fetch)
    Object.defineProperty(navigator, 'sendBeacon', { value: beacon, configurable: true, writable: true })
  })
  afterEach(() => {
    vi.unstubAllGlobals()
    delete (navigator as any).sendBeacon
  })

  it('POSTs a small batch as text/plain JSON without credentials', async () => {
    const send = createTransport('/e', createHealth())
    const result = await send(batchOf([event('a')]), { unloading: false })
    expect(result).toMatchObject({ ok: true })
    const [url, init] = fetch.mock.calls[0]
    expect(url).toBe('/e')
    expect(init).toMatchObject({ method: 'POST', headers: { 'Content-Type': 'text/plain' }, credentials: 'omit' })
    expect(init.headers).not.toHaveProperty('Content-Encoding')
    expect(JSON.parse(init.body).events[0].id).toBe('a')
  })

  it('gzips a body of 1024 bytes or more when CompressionStream exists', async () => {
    expect(typeof CompressionStream).toBe('function') // happy-dom on Node 20 has it
    const send = createTransport('/e', createHealth())
    await send(batchOf([event('a', 2000)]), { unloading: false })
    const init = fetch.mock.calls[0][1]
    expect(init.headers['Content-Encoding']).toBe('gzip')
    expect(JSON.parse(await gunzip(init.body)).events[0].id).toBe('a')
  })

  it('sends plain when CompressionStream is missing', async () => {
    vi.stubGlobal('CompressionStream', undefined)
    await createTransport('/e', createHealth())(batchOf([event('a', 2000)]), { unloading: false })
    expect(fetch.mock.calls[0][1].headers).not.toHaveProperty('Content-Encoding')
  })

  it('sends plain after a gzip request failed like a blocked preflight', async () => {
    fetch.mockRejectedValueOnce(new TypeError('CORS'))
    const send = createTransport('/e', createHealth())
    expect(await send(batchOf([event('a', 2000)]), { unloading: false })).toMatchObject({ ok: false })
    await send(batchOf([event('a', 2000)]), { unloading: false })
    expect(fetch.mock.calls[1][1].headers).not.toHaveProperty('Content-Encoding')
  })

  it('returns the Retry-After of a 429 or 503', async () => {
    fetch.mockResolvedValueOnce(new Response(null, { status: 429, headers: { 'Retry-After': '7' } }))
    expect(await createTransport('/e', createHealth())(batchOf([event('a')]), { unloading: false })).toMatchObject({
      ok: false,
      isFatal: false,
      retryAfterMs: 7000,
    })
  })

  it('uses sendBeacon with a text/plain Blob at exit', () => {
    const result = createTransport('/e', createHealth())(batchOf([event('a')]), { unloading: true }) as SendResult
    expect(result).toMatchObject({ ok: true })
    expect(fetch).not.toHaveBeenCalled()
    const [url, blob] = beacon.mock.calls[0]
    expect(url).toBe('/e')
    expect(blob.type).toContain('text/plain')
  })

  it('splits a refused beacon in halves, then falls back to keepalive fetch', () => {
    const health = createHealth()
    const sizes: number[] = []
    beacon.mockImplementation((_url: string, blob: Blob) => (sizes.push(blob.size), false))
    const events = ['a', 'b', 'c', 'd'].map((id) => event(id))
    const result = createTransport('/e', health)(batchOf(events), { unloading: true }) as SendResult
    expect(beacon).toHaveBeenCalledTimes(3) // the whole batch, then each half
    expect(sizes[1]).toBeLessThan(sizes[0])
    expect(fetch).toHaveBeenCalledTimes(2)
    for (const [, init] of fetch.mock.calls) expect(init.keepalive).toBe(true)
    const sentIds = fetch.mock.calls.flatMap(([, init]) => JSON.parse(init.body).events.map((e: FrictionEvent) => e.id))
    expect(sentIds).toEqual(['a', 'b', 'c', 'd'])
    expect(result).toMatchObject({ ok: true, unsent: [] })
    expect(health.take()?.beaconRejected).toBe(3)
  })

  it('sends the second half by beacon when only the whole batch was refused', () => {
    beacon.mockReturnValueOnce(false)
    createTransport('/e', createHealth())(batchOf([event('a'), event('b')]), { unloading: true })
    expect(beacon).toHaveBeenCalledTimes(3)
    expect(fetch).not.toHaveBeenCalled()
  })

  it('goes straight to keepalive fetch without sendBeacon', () => {
    delete (navigator as any).sendBeacon
    Object.defineProperty(navigator, 'sendBeacon', { value: undefined, configurable: true })
    const health = createHealth()
    createTransport('/e', health)(batchOf([event('a'), event('b')]), { unloading: true })
    expect(fetch).toHaveBeenCalledTimes(1)
    expect(health.take()).toBeUndefined()
  })

  it('gives back what does not fit the keepalive budget as unsent', () => {
    beacon.mockReturnValue(false)
    const events = Array.from({ length: 8 }, (_, i) => event('e' + i, 0, noise(14_000)))
    const result = createTransport('/e', createHealth())(batchOf(events), { unloading: true }) as SendResult
    expect(result.ok).toBe(false)
    expect(result.unsent?.length).toBeGreaterThan(0)
  })

  it('gzips an exit body of 1 KB or more and marks it ?enc=gzip (sendBeacon cannot set Content-Encoding)', async () => {
    const events = Array.from({ length: 30 }, (_, i) => event('e' + i, 3000))
    const result = createTransport('/e?k=1', createHealth())(batchOf(events), { unloading: true }) as SendResult
    expect(result).toMatchObject({ ok: true, unsent: [] })
    expect(beacon).toHaveBeenCalledTimes(1)
    const [url, blob] = beacon.mock.calls[0] as [string, Blob]
    expect(url).toBe('/e?k=1&enc=gzip')
    expect(blob.type).toContain('text/plain')
    const bytes = new Uint8Array(await blob.arrayBuffer())
    expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b])
    expect(bytes.length).toBeLessThan(60_000)
    const batch = JSON.parse(await gunzip(bytes.buffer)) as WireBatch
    expect(batch.events.map((e) => e.id)).toEqual(events.map((e) => e.id))
  })

  it('sends a small exit body as plain JSON to the bare endpoint', () => {
    createTransport('/e', createHealth())(batchOf([event('a')]), { unloading: true })
    expect(beacon.mock.calls[0][0]).toBe('/e')
  })

  it('sends the gzip bytes by keepalive fetch too when the beacon is refused', async () => {
    beacon.mockReturnValue(false)
    createTransport('/e', createHealth())(batchOf([event('a', 3000)]), { unloading: true })
    expect(fetch).toHaveBeenCalledTimes(1)
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit]
    expect(url).toBe('/e?enc=gzip')
    expect(init.keepalive).toBe(true)
    // No Content-Encoding header: it would need a CORS preflight, which a closing page may not finish.
    expect((init.headers as Record<string, string>)['Content-Encoding']).toBeUndefined()
    const batch = JSON.parse(await gunzip((init.body as Uint8Array<ArrayBuffer>).slice().buffer)) as WireBatch
    expect(batch.events[0].id).toBe('a')
  })

  it('never hands sendBeacon a body over 16 KiB in a tracker with default batching', async () => {
    const { tracker } = startTracker({ transport: undefined })
    for (let i = 0; i < 60; i++) tracker.track('e' + i, { pad: 'x'.repeat(900) })
    for (let i = 0; i < 10; i++) tracker.track('emoji', { pad: '😀'.repeat(1500) })
    setVisibility('hidden')
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(beacon).toHaveBeenCalled()
    for (const [, blob] of beacon.mock.calls) expect((blob as Blob).size).toBeLessThanOrEqual(16_384)
    expect(beaconBodies.length).toBe(beacon.mock.calls.length)
  })
})
