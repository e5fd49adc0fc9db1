// @vitest-environment node
import { gzipSync } from 'node:zlib'
import { describe, expect, it, vi } from 'vitest'
import { createCollector, createMemorySink, type Sink } from '../../../src/collector/index'
import { MAX_EVENT_CHARS, TS_WINDOW_PAST_MS } from '../../../src/schema/index'
import { makeBatch, makeEvent, post, postBatch } from '../support/events'

const SENT_AT = 1_732_350_000_000
const quiet = { log: () => {} }

/** A sink whose writes wait until `open()` is called. */
function gatedSink() {
  let open: () => void = () => {}
  const gate = new Promise<void>((resolve) => (open = resolve))
  const events: string[] = []
  const sink: Sink = {
    write: async (batch) => {
      await gate
      events.push(...batch.map((e) => e.id))
    },
  }
  return { sink, events, open: () => open() }
}

describe('collector capacity limits', () => {
  it('answers 503 with Retry-After past maxConcurrentRequests, before reading the body', async () => {
    const { sink, open } = gatedSink()
    const collector = createCollector({ sink, maxConcurrentRequests: 3, ...quiet })
    const waiting = [1, 2, 3].map(() => collector.handle(postBatch(makeBatch([makeEvent()]))))
    await new Promise((resolve) => setTimeout(resolve, 20))
    const refused = await collector.handle(postBatch(makeBatch([makeEvent()])))
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toBe('5')
    expect(await refused.json()).toEqual({ error: 'over-capacity' })
    open()
    expect((await Promise.all(waiting)).map((r) => r.status)).toEqual([200, 200, 200])
    expect(collector.stats().refused).toEqual({ 'over-capacity': 1 })
    // Capacity comes back once they are answered.
    expect((await collector.handle(postBatch(makeBatch([makeEvent()])))).status).toBe(200)
  })

  it('answers 503 when the body bytes held at once would pass maxInFlightBytes', async () => {
    const { sink, open } = gatedSink()
    const maxBodyBytes = 64 * 1024
    const collector = createCollector({ sink, maxBodyBytes, maxInFlightBytes: 2 * maxBodyBytes, ...quiet })
    const big = (n: number) =>
      makeBatch(Array.from({ length: n }, () => makeEvent({ url: `https://shop.example/${'p'.repeat(3000)}` })))
    // Two bodies of ~60 KiB fit the 128 KiB budget and wait for the sink, holding their bytes.
    const held = [collector.handle(postBatch(big(18))), collector.handle(postBatch(big(18)))]
    await new Promise((resolve) => setTimeout(resolve, 50))
    const refused = await collector.handle(postBatch(big(18)))
    expect(refused.status).toBe(503)
    expect(await refused.json()).toEqual({ error: 'over-capacity' })
    open()
    expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200])
    // The bytes were given back.
    expect((await collector.handle(postBatch(big(18)))).status).toBe(200)
  })

  it('times out a sink write that never settles, and still does not lose the late write', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const { sink, events, open } = gatedSink()
      const log = vi.fn()
      const collector = createCollector({ sink, sinkTimeoutMs: 1000, log })
      const batch = makeBatch([makeEvent()])
      const pending = collector.handle(postBatch(batch))
      // The committer starts a group's write after the event loop's I/O turn (setImmediate, not faked).
      await new Promise((resolve) => setImmediate(resolve))
      await vi.advanceTimersByTimeAsync(1001)
      const response = await pending
      expect(response.status).toBe(503)
      expect(log).toHaveBeenCalledWith(expect.stringContaining('did not settle within 1000 ms'))
      open()
      await vi.advanceTimersByTimeAsync(1)
      expect(events).toHaveLength(1)
      // The retry of a write that landed late is a duplicate, not a second copy.
      expect(await (await collector.handle(postBatch(batch))).json()).toMatchObject({ accepted: 0, duplicates: 1 })
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('collector sink failures', () => {
  it.each([
    ['rejects', async () => Promise.reject(new Error('ENOSPC: no space left on device'))],
    [
      'throws synchronously',
      () => {
        throw new Error('ENOSPC: no space left on device')
      },
    ],
  ])(
    'answers 503 with Retry-After when the sink %s, logs once, and does not remember the ids',
    async (_what, failing) => {
      let isDown = true
      const memory = createMemorySink()
      const sink: Sink = { write: (events) => (isDown ? (failing as () => Promise<void>)() : memory.write(events)) }
      const log = vi.fn()
      const collector = createCollector({ sink, log })
      const batch = makeBatch([makeEvent(), makeEvent()])
      for (let i = 0; i < 3; i += 1) {
        const failed = await collector.handle(postBatch(batch))
        expect(failed.status).toBe(503)
        expect(failed.headers.get('retry-after')).toBe('5')
        expect(await failed.json()).toEqual({ error: 'sink-unavailable' })
      }
      expect(log).toHaveBeenCalledTimes(1)
      expect(log.mock.calls[0][0]).toMatch(/^frictionlog collector: sink write failed .*503.*ENOSPC/)
      isDown = false
      expect(await (await collector.handle(postBatch(batch))).json()).toMatchObject({ accepted: 2, duplicates: 0 })
      expect(log).toHaveBeenCalledTimes(2)
      expect(log.mock.calls[1][0]).toMatch(/sink recovered after .* and 3 refused batch/)
      expect(memory.events).toHaveLength(2)
      expect(collector.stats().refused).toEqual({ 'sink-unavailable': 3 })
    },
  )
})

describe('collector sites and quota', () => {
  it('stores the batch site on every event, over any site the event claimed', async () => {
    const sink = createMemorySink()
    const collector = createCollector({ sink })
    await collector.handle(postBatch(makeBatch([makeEvent(), makeEvent({ site: 'forged' })])))
    await collector.handle(postBatch({ v: 1, sentAt: SENT_AT, events: [makeEvent({ site: 'forged' })] }))
    expect(sink.events.map((e) => e.site)).toEqual(['landing', 'landing', undefined])
  })

  it('accepts only listed sites, counting the others', async () => {
    const sink = createMemorySink()
    const collector = createCollector({ sink, sites: ['landing'] })
    expect((await collector.handle(postBatch(makeBatch([makeEvent()])))).status).toBe(200)
    const other = await collector.handle(postBatch({ ...makeBatch([makeEvent()]), site: 'attacker' }))
    expect(other.status).toBe(403)
    expect(await other.json()).toEqual({ error: 'site-not-allowed' })
    const none = await collector.handle(postBatch({ v: 1, sentAt: SENT_AT, events: [makeEvent()] }))
    expect(none.status).toBe(403)
    expect(sink.events).toHaveLength(1)
    expect(collector.stats().refused).toEqual({ 'site-not-allowed': 2 })
  })

  it('refuses events past a site quota for the day with a counted reason, other sites unaffected', async () => {
    const sink = createMemorySink()
    const collector = createCollector({ sink, quota: { eventsPerDay: 3 } })
    const first = await (await collector.handle(postBatch(makeBatch([makeEvent(), makeEvent()])))).json()
    expect(first).toMatchObject({ accepted: 2 })
    const events = [makeEvent(), makeEvent()]
    const second = await (await collector.handle(postBatch(makeBatch(events)))).json()
    expect(second).toMatchObject({ accepted: 1, duplicates: 0 })
    expect(second.rejected).toEqual([{ index: 1, id: events[1].id, reason: 'quota-exceeded' }])
    const other = await (await collector.handle(postBatch({ ...makeBatch([makeEvent()]), site: 'blog' }))).json()
    expect(other).toMatchObject({ accepted: 1 })
    expect(collector.stats().rejected).toEqual({ 'quota-exceeded': 1 })
    expect(sink.events).toHaveLength(4)
  })

  it('counts bytes against the quota, and duplicates take nothing', async () => {
    const sink = createMemorySink()
    const collector = createCollector({ sink, quota: { bytesPerDay: 3000 } })
    const event = makeEvent()
    for (let i = 0; i < 5; i += 1) await collector.handle(postBatch(makeBatch([event])))
    expect(collector.stats()).toMatchObject({ accepted: 1, duplicates: 4, rejected: {} })
    for (let i = 0; i < 10; i += 1) await collector.handle(postBatch(makeBatch([makeEvent()])))
    const accepted = collector.stats().accepted
    expect(accepted).toBeGreaterThan(1)
    expect(accepted).toBeLessThan(11)
    expect(collector.stats().rejected['quota-exceeded']).toBe(11 - accepted)
  })
})

describe('collector hostile events', () => {
  it('rejects timestamps outside the window around sentAt, and a replay startTs of 1e300', async () => {
    const sink = createMemorySink()
    const collector = createCollector({ sink })
    const replay = (startTs: number) =>
      makeEvent({
        type: 'replay',
        seq: 0,
        events: 'H4sI',
        startTs,
        endTs: SENT_AT,
        depthPct: undefined,
        pageHeight: undefined,
      })
    const batch = makeBatch([
      makeEvent({ ts: 9_000_000_000_000_000 }),
      makeEvent({ ts: SENT_AT - TS_WINDOW_PAST_MS - 1 }),
      replay(1e300),
      replay(SENT_AT - 1000),
      makeEvent({ ts: SENT_AT - 1000 }),
    ])
    const body = await (await collector.handle(postBatch(batch))).json()
    expect(body.rejected.map((r: { reason: string }) => r.reason)).toEqual([
      'invalid:ts',
      'invalid:ts',
      'invalid:startTs',
    ])
    expect(sink.events.map((e) => e.type)).toEqual(['replay', 'scroll'])
  })

  it('rejects an event whose open JSON is larger than MAX_EVENT_CHARS', async () => {
    const { collector } = { collector: createCollector({ sink: createMemorySink() }) }
    const track = (size: number) =>
      makeEvent({
        type: 'track',
        name: 'n',
        props: { blob: 'x'.repeat(size) },
        depthPct: undefined,
        pageHeight: undefined,
      })
    const body = await (await collector.handle(postBatch(makeBatch([track(MAX_EVENT_CHARS), track(1000)])))).json()
    expect(body).toMatchObject({ accepted: 1, rejected: [{ index: 0, reason: 'too-large' }] })
  })
})

describe('beacon bodies in gzip', () => {
  it.each([
    ['sniffed from the magic bytes', 'http://collector.test/e'],
    ['marked with ?enc=gzip', 'http://collector.test/e?enc=gzip'],
  ])('accepts a gzip body without Content-Encoding, %s', async (_what, url) => {
    const sink = createMemorySink()
    const collector = createCollector({ sink })
    const body = gzipSync(JSON.stringify(makeBatch([makeEvent(), makeEvent()])))
    const response = await collector.handle(
      new Request(url, { method: 'POST', headers: { 'content-type': 'text/plain' }, body }),
    )
    expect(response.status).toBe(200)
    expect(sink.events).toHaveLength(2)
  })

  it('applies maxBodyBytes to the inflated size of a sniffed gzip body', async () => {
    const collector = createCollector({ sink: createMemorySink(), maxBodyBytes: 10_000 })
    const bomb = gzipSync(Buffer.alloc(5_000_000, 0x20))
    expect(bomb.length).toBeLessThan(10_000)
    const response = await collector.handle(post(bomb))
    expect(response.status).toBe(413)
  })

  it('answers 400 to a body marked ?enc=gzip that is not gzip', async () => {
    const collector = createCollector({ sink: createMemorySink() })
    const response = await collector.handle(
      new Request('http://collector.test/e?enc=gzip', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(makeBatch([makeEvent()])),
      }),
    )
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ error: 'bad-gzip' })
  })
})
