import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startCollector, type TestCollector } from './support/collector'

// The real collector over HTTP, fed hostile input straight from Node (no browser): right
// status codes, the good events of a batch kept, and the process still serving afterwards.
let collector: TestCollector
beforeAll(async () => {
  collector = await startCollector({ allowedOrigins: ['http://allowed.test'] })
})
afterAll(() => collector?.close())

let seq = 0
const event = (overrides: Record<string, unknown> = {}) => ({
  id: `e2e-collector-${Date.now().toString(36)}-${++seq}`,
  type: 'track',
  ts: Date.now(),
  sessionId: 'session-1',
  anonymousId: 'anon-1',
  pageId: 'page-1',
  url: 'https://example.com/pricing',
  context: {
    userAgent: 'node',
    language: 'en',
    timezone: 'UTC',
    viewport: { w: 1, h: 1 },
    screen: { w: 1, h: 1 },
    deviceType: 'desktop',
    referrer: '',
    utm: {},
    experiments: {},
    sdk: { name: 'frictionlog', version: 'test' },
  },
  name: 'collector_test',
  props: {},
  ...overrides,
})
const batch = (events: unknown[]) => JSON.stringify({ v: 1, site: 'collector', sentAt: Date.now(), events })
const post = (body: BodyInit, headers: Record<string, string> = {}) =>
  fetch(collector.directUrl, { method: 'POST', body, headers: { 'content-type': 'text/plain', ...headers } })
const stored = async (ids: string[]) => (await collector.readEvents()).filter((e) => ids.includes(e.id))

describe('collector over HTTP', () => {
  test('stores a valid batch and answers 200 with the count', async () => {
    const good = event()
    const response = await post(batch([good]))
    expect(response.status).toBe(200)
    expect(await response.json()).toMatchObject({ accepted: 1, duplicates: 0, rejected: [] })
    expect(await stored([good.id])).toHaveLength(1)
  })

  test('answers 400 to malformed JSON and to a body that is not a batch', async () => {
    expect((await post('{"v":1,"events":[')).status).toBe(400)
    expect((await post('[1,2,3]')).status).toBe(400)
    expect((await post(JSON.stringify({ v: 2, sentAt: 1, events: [event()] }))).status).toBe(400)
  })

  test('answers 413 to an oversized body and to a gzip bomb', async () => {
    const huge = batch([event({ props: { pad: 'x'.repeat(2 * 1024 * 1024) } })])
    expect((await post(huge)).status).toBe(413)
    // 64 MiB of spaces gzip to ~64 KB: refused once decompression passes the 1 MiB limit.
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024, ' '))
    expect(bomb.length).toBeLessThan(1024 * 1024)
    const response = await post(bomb, { 'content-encoding': 'gzip' })
    expect(response.status).toBe(413)
  })

  test('accepts gzip bodies', async () => {
    const good = event()
    const response = await post(gzipSync(batch([good])), { 'content-encoding': 'gzip' })
    expect(response.status).toBe(200)
    expect(await stored([good.id])).toHaveLength(1)
  })

  test('rejects wrong types and unknown event types alone, keeping the good events', async () => {
    const good = event()
    const wrongType = event({ ts: 'yesterday' })
    const unknown = event({ type: 'mouse_dance' })
    const response = await post(batch([wrongType, good, unknown]))
    expect(response.status).toBe(200)
    const answer = (await response.json()) as { accepted: number; rejected: Array<{ index: number; reason: string }> }
    expect(answer.accepted).toBe(1)
    expect(answer.rejected.map((r) => r.index)).toEqual([0, 2])
    expect(await stored([good.id, wrongType.id, unknown.id])).toEqual([expect.objectContaining({ id: good.id })])
  })

  test('drops duplicate ids, within a batch and across batches', async () => {
    const once = event()
    const first = await post(batch([once, once]))
    expect(await first.json()).toMatchObject({ accepted: 1, duplicates: 1 })
    const again = await post(batch([once]))
    expect(await again.json()).toMatchObject({ accepted: 0, duplicates: 1 })
    expect(await stored([once.id])).toHaveLength(1)
  })

  test('answers CORS preflights for allowed origins only, and refuses other media types', async () => {
    const allowed = await fetch(collector.directUrl, {
      method: 'OPTIONS',
      headers: {
        origin: 'http://allowed.test',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-encoding',
      },
    })
    expect(allowed.status).toBe(204)
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://allowed.test')
    const denied = await fetch(collector.directUrl, { method: 'OPTIONS', headers: { origin: 'http://evil.test' } })
    expect(denied.status).toBe(403)
    expect((await post(batch([event()]), { 'content-type': 'image/png' })).status).toBe(415)
    expect((await fetch(collector.directUrl)).status).toBe(405)
  })

  test('still serves after all of that', async () => {
    const good = event()
    expect((await post(batch([good]))).status).toBe(200)
    expect(await stored([good.id])).toHaveLength(1)
    expect(collector.stats().requests[500]).toBeUndefined()
  })
})
