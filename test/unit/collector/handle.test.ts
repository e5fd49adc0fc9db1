// @vitest-environment node
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { createCollector, createMemorySink, type Sink } from '../../../src/collector/index'
import { defineEvents } from '../../../src/schema/index'
import { makeBatch, makeEvent, post, postBatch, postGzip } from '../support/events'

const setup = (options: Parameters<typeof createCollector>[0] = {}) => {
  const sink = createMemorySink()
  const collector = createCollector({ sink, ...options })
  return { sink, collector }
}

describe('createCollector().handle', () => {
  it('stores a valid batch and answers 200 with the counts', async () => {
    const { sink, collector } = setup()
    const events = [makeEvent(), makeEvent({ type: 'page', path: '/pricing', title: 'Pricing', navigation: 'load' })]
    const response = await collector.handle(postBatch(makeBatch(events)))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({ accepted: 2, duplicates: 0, rejected: [] })
    expect(sink.events.map((e) => e.id)).toEqual(events.map((e) => e.id))
    expect(collector.stats()).toMatchObject({ batches: 1, accepted: 2, duplicates: 0, requests: { 200: 1 } })
  })

  it('is a bound function that can be passed around', async () => {
    const { collector } = setup()
    const { handle } = collector
    expect((await handle(postBatch(makeBatch([makeEvent()])))).status).toBe(200)
  })

  it.each([
    ['text/plain', 'text/plain'],
    ['text/plain with charset', 'text/plain;charset=UTF-8'],
    ['application/json', 'application/json'],
    ['application/json with charset', 'Application/JSON; charset=utf-8'],
  ])('accepts %s bodies', async (_label, contentType) => {
    const { collector } = setup()
    const response = await collector.handle(postBatch(makeBatch([makeEvent()]), { 'content-type': contentType }))
    expect(response.status).toBe(200)
  })

  it('accepts gzip bodies', async () => {
    const { sink, collector } = setup()
    const response = await collector.handle(postGzip(makeBatch([makeEvent(), makeEvent()])))
    expect(response.status).toBe(200)
    expect(sink.events).toHaveLength(2)
  })

  it('answers 415 to other content types and encodings', async () => {
    const { collector } = setup()
    const body = JSON.stringify(makeBatch([makeEvent()]))
    expect((await collector.handle(post(body, { 'content-type': 'application/x-www-form-urlencoded' }))).status).toBe(
      415,
    )
    expect((await collector.handle(post(body, { 'content-type': '' }))).status).toBe(415)
    expect((await collector.handle(post(body, { 'content-encoding': 'br' }))).status).toBe(415)
  })

  it('answers 405 to methods other than POST and OPTIONS', async () => {
    const { collector } = setup()
    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
      const response = await collector.handle(new Request('http://collector.test/e', { method }))
      expect(response.status).toBe(405)
      expect(response.headers.get('allow')).toBe('POST, OPTIONS')
    }
  })

  it('answers 400 to malformed JSON, empty bodies and bad UTF-8', async () => {
    const { collector } = setup()
    for (const body of ['{"v":1,', '', 'null x', new Uint8Array([0x7b, 0xff, 0xfe, 0x7d])]) {
      expect((await collector.handle(post(body))).status).toBe(400)
    }
    expect(await (await collector.handle(post('{'))).json()).toEqual({ error: 'malformed-json' })
  })

  it('answers 400 with a reason to bodies that are not a batch', async () => {
    const { collector } = setup()
    const cases = [
      { v: 2, sentAt: 1, events: [makeEvent()] },
      { v: 1, sentAt: 1 },
      { v: 1, sentAt: 1, events: {} },
      { v: 1, sentAt: 1, events: [] },
      makeBatch(Array.from({ length: 1001 }, () => makeEvent())),
      [makeEvent()],
      42,
    ]
    for (const batch of cases) {
      const response = await collector.handle(postBatch(batch))
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: 'not-a-batch', reason: expect.stringMatching(/^invalid:/) })
    }
  })

  it('answers 413 to a Content-Length over the limit without reading the body', async () => {
    const { collector } = setup({ maxBodyBytes: 1000 })
    const body = new ReadableStream({
      pull: () => {
        throw new Error('the body must not be read')
      },
    })
    const request = new Request('http://collector.test/e', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': '5000' },
      body,
      duplex: 'half',
    } as RequestInit)
    expect((await collector.handle(request)).status).toBe(413)
  })

  it('answers 413 to a streamed body over the limit', async () => {
    const { collector } = setup({ maxBodyBytes: 1000 })
    expect((await collector.handle(post('x'.repeat(1001)))).status).toBe(413)
  })

  it('answers 413 to a gzip bomb, counting decompressed bytes', async () => {
    const { collector } = setup()
    const bomb = gzipSync(Buffer.alloc(50 * 1024 * 1024))
    expect(bomb.byteLength).toBeLessThan(1024 * 1024)
    const response = await collector.handle(post(bomb, { 'content-encoding': 'gzip' }))
    expect(response.status).toBe(413)
  })

  it('answers 400 to a broken or truncated gzip stream', async () => {
    const { collector } = setup()
    const gz = gzipSync(JSON.stringify(makeBatch([makeEvent()])))
    expect((await collector.handle(post(new Uint8Array([1, 2, 3, 4]), { 'content-encoding': 'gzip' }))).status).toBe(
      400,
    )
    expect((await collector.handle(post(gz.subarray(0, gz.length - 12), { 'content-encoding': 'gzip' }))).status).toBe(
      400,
    )
  })

  it('keeps the good events of a batch and counts why the bad one was rejected', async () => {
    const { sink, collector } = setup()
    const good = [makeEvent(), makeEvent()]
    const bad = makeEvent({ depthPct: 'fifty' })
    const response = await collector.handle(postBatch(makeBatch([good[0], bad, good[1]])))
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      accepted: 2,
      duplicates: 0,
      rejected: [{ index: 1, id: bad.id, reason: 'invalid:depthPct' }],
    })
    expect(sink.events.map((e) => e.id)).toEqual(good.map((e) => e.id))
    expect(collector.stats().rejected).toEqual({ 'invalid:depthPct': 1 })
  })

  it('rejects unknown types, non-objects and prototype keys as types', async () => {
    const { collector } = setup()
    const batch = makeBatch([
      makeEvent({ type: 'nope' }),
      'x',
      null,
      makeEvent({ type: 'constructor' }),
      makeEvent({ type: '__proto__' }),
    ])
    const response = await collector.handle(postBatch(batch))
    expect(response.status).toBe(200)
    const body = await response.json()
    expect(body.accepted).toBe(0)
    expect(body.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'unknown-type',
      'not-an-object',
      'not-an-object',
      'unknown-type',
      'unknown-type',
    ])
    expect(collector.stats().rejected).toEqual({ 'unknown-type': 3, 'not-an-object': 2 })
  })

  it('answers 200 even when every event is rejected, so the client does not retry', async () => {
    const { collector } = setup()
    const response = await collector.handle(postBatch(makeBatch([makeEvent({ ts: -1 })])))
    expect(response.status).toBe(200)
    expect((await response.json()).accepted).toBe(0)
  })

  it('drops duplicate ids across batches and within one batch', async () => {
    const { sink, collector } = setup()
    const a = makeEvent()
    const b = makeEvent()
    await collector.handle(postBatch(makeBatch([a])))
    const response = await collector.handle(postBatch(makeBatch([a, b, b])))
    expect(await response.json()).toEqual({ accepted: 1, duplicates: 2, rejected: [] })
    expect(sink.events.map((e) => e.id)).toEqual([a.id, b.id])
    expect(collector.stats()).toMatchObject({ accepted: 2, duplicates: 2 })
  })

  it('asks the sink about ids the window has forgotten', async () => {
    const sink = createMemorySink()
    const first = createCollector({ sink })
    const event = makeEvent()
    await first.handle(postBatch(makeBatch([event])))
    const restarted = createCollector({ sink })
    const response = await restarted.handle(postBatch(makeBatch([event])))
    expect(await response.json()).toMatchObject({ accepted: 0, duplicates: 1 })
  })

  it('keeps only the most recent ids in the window', async () => {
    const writes: string[] = []
    const sink: Sink = { write: async (events) => void writes.push(...events.map((e) => e.id)) }
    const collector = createCollector({ sink, dedupeWindow: 2 })
    const [a, b, c] = [makeEvent(), makeEvent(), makeEvent()]
    for (const event of [a, b, c, a, c]) await collector.handle(postBatch(makeBatch([event])))
    // `a` was evicted by `c`, so it is stored again; `c` is still remembered.
    expect(writes).toEqual([a.id, b.id, c.id, a.id])
  })

  it('validates track props against defineEvents definitions', async () => {
    const events = defineEvents({ signup: z.object({ plan: z.enum(['free', 'pro']) }) })
    const { sink, collector } = setup({ events })
    const track = (name: string, props: Record<string, unknown>) =>
      makeEvent({ type: 'track', name, props, depthPct: undefined, pageHeight: undefined })
    const batch = makeBatch([
      track('signup', { plan: 'pro' }),
      track('signup', { plan: 'gold' }),
      track('other', { anything: true }),
    ])
    const body = await (await collector.handle(postBatch(batch))).json()
    expect(body.accepted).toBe(2)
    expect(body.rejected).toEqual([expect.objectContaining({ index: 1, reason: 'invalid-props:signup' })])
    expect(sink.events.map((e) => e.type === 'track' && e.name)).toEqual(['signup', 'other'])
    expect(collector.stats().rejected).toEqual({ 'invalid-props:signup': 1 })
  })

  it('answers 503 when the sink fails, and accepts the retry', async () => {
    let isDown = true
    const stored: string[] = []
    const sink: Sink = {
      write: async (events) => {
        if (isDown) throw new Error('disk full')
        stored.push(...events.map((e) => e.id))
      },
    }
    const collector = createCollector({ sink })
    const batch = makeBatch([makeEvent()])
    const failed = await collector.handle(postBatch(batch))
    expect(failed.status).toBe(503)
    expect(failed.headers.get('retry-after')).toBe('5')
    isDown = false
    const retried = await collector.handle(postBatch(batch))
    expect(await retried.json()).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(stored).toHaveLength(1)
  })

  it('calls onEvents with the stored events, and survives a throwing callback', async () => {
    const onEvents = vi.fn(() => {
      throw new Error('oops')
    })
    const { collector } = setup({ onEvents })
    const event = makeEvent()
    const response = await collector.handle(postBatch(makeBatch([event, event])))
    expect(response.status).toBe(200)
    expect(onEvents).toHaveBeenCalledOnce()
    expect(onEvents).toHaveBeenCalledWith([expect.objectContaining({ id: event.id })])
  })

  it('turns an unexpected exception into a 500', async () => {
    const sink: Sink = {
      write: async () => {},
      has: () => {
        throw new Error('boom')
      },
    }
    const collector = createCollector({ sink })
    // A throwing `has` is a sink failure: 503, so the client retries.
    expect((await collector.handle(postBatch(makeBatch([makeEvent()])))).status).toBe(503)
    const broken = {
      headers: {
        get: () => {
          throw new Error('bad request object')
        },
      },
    } as unknown as Request
    expect((await collector.handle(broken)).status).toBe(500)
    expect(collector.stats().requests).toEqual({ 503: 1, 500: 1 })
  })

  it('rejects events nested too deep to store, without overflowing the stack', async () => {
    const { collector } = setup()
    const event = makeEvent({ type: 'track', name: 'x', props: {}, depthPct: undefined, pageHeight: undefined })
    const deep = `${'['.repeat(100_000)}1${']'.repeat(100_000)}`
    const body = JSON.stringify(makeBatch([event])).replace('"props":{}', `"props":{"deep":${deep}}`)
    const response = await collector.handle(post(body))
    expect(response.status).toBe(200)
    expect((await response.json()).rejected[0].reason).toBe('too-deep')
  })

  it('does not let __proto__ keys pollute prototypes', async () => {
    const { sink, collector } = setup()
    const event = makeEvent({ type: 'track', name: 'x', props: {}, depthPct: undefined, pageHeight: undefined })
    const json = JSON.stringify(makeBatch([event])).replace(
      '"props":{}',
      '"props":{"__proto__":{"polluted":true}},"__proto__":{"polluted":true}',
    )
    const response = await collector.handle(post(json))
    expect(response.status).toBe(200)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(sink.events).toHaveLength(1)
  })

  it('rejects huge numbers that parse to Infinity', async () => {
    const { collector } = setup()
    const json = JSON.stringify(makeBatch([makeEvent()])).replace('"depthPct":50', '"depthPct":1e400')
    const body = await (await collector.handle(post(json))).json()
    expect(body.rejected[0].reason).toBe('invalid:depthPct')
  })
})

describe('CORS', () => {
  const preflight = (origin: string) =>
    new Request('http://collector.test/e', {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })

  it('answers preflights from allowed origins with 204 and the CORS headers', async () => {
    const { collector } = setup({ allowedOrigins: ['https://shop.example'] })
    const response = await collector.handle(preflight('https://shop.example'))
    expect(response.status).toBe(204)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': 'https://shop.example',
      vary: 'Origin',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Content-Type, Content-Encoding',
      'access-control-max-age': '86400',
    })
  })

  it('puts only what the page reads on a POST answer: the preflight-only headers stay on the preflight', async () => {
    const { collector } = setup({ allowedOrigins: ['https://shop.example'] })
    await collector.handle(preflight('https://shop.example'))
    const response = await collector.handle(postBatch(makeBatch([makeEvent()]), { origin: 'https://shop.example' }))
    expect(response.status).toBe(200)
    const headers = Object.fromEntries(response.headers)
    expect(headers).toMatchObject({
      'access-control-allow-origin': 'https://shop.example',
      vary: 'Origin',
      'access-control-expose-headers': 'Retry-After',
    })
    expect(
      Object.keys(headers).filter((name) => /^access-control-(allow-(methods|headers)|max-age)$/.test(name)),
    ).toEqual([])
  })

  it('answers preflights and POSTs from other origins with 403 and no CORS headers', async () => {
    const { sink, collector } = setup({ allowedOrigins: ['https://shop.example'] })
    const denied = await collector.handle(preflight('https://evil.example'))
    expect(denied.status).toBe(403)
    expect(denied.headers.get('access-control-allow-origin')).toBeNull()
    const posted = await collector.handle(postBatch(makeBatch([makeEvent()]), { origin: 'https://evil.example' }))
    expect(posted.status).toBe(403)
    expect(sink.events).toHaveLength(0)
  })

  it('echoes any origin by default and adds the headers to every response', async () => {
    const { collector } = setup()
    expect((await collector.handle(preflight('https://any.example'))).status).toBe(204)
    const bad = await collector.handle(post('{', { origin: 'https://any.example' }))
    expect(bad.status).toBe(400)
    expect(bad.headers.get('access-control-allow-origin')).toBe('https://any.example')
    expect(bad.headers.get('vary')).toBe('Origin')
  })

  it('accepts requests without an Origin header (servers, curl) whatever the list', async () => {
    const { collector } = setup({ allowedOrigins: ['https://shop.example'] })
    expect((await collector.handle(postBatch(makeBatch([makeEvent()])))).status).toBe(200)
  })
})

describe('large batches', () => {
  it('handles 10,000 events with the memory sink', async () => {
    const { sink, collector } = setup()
    const batches = Array.from({ length: 10 }, () =>
      JSON.stringify(makeBatch(Array.from({ length: 1000 }, () => makeEvent()))),
    )
    for (const body of batches) await collector.handle(post(body))
    expect(sink.events).toHaveLength(10_000)
  })
})
