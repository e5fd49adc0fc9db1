import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createHealth } from '../../../src/core/health'
import { createStore } from '../../../src/core/storage'
import type { SendResult, Transport } from '../../../src/core/types'
import type { FrictionEvent } from '../../../src/schema'
import { createOutbox } from '../../../src/transport/outbox'
import { backoffMs, createQueue, toChunks } from '../../../src/transport/queue'
import { setVisibility, startTracker } from '../core/helpers'

const item = (id: string, bytes = 100) => ({ event: { id } as FrictionEvent, bytes })
const ids = (chunks: Array<Array<{ event: FrictionEvent }>>) =>
  chunks.map((chunk) => chunk.map((i) => i.event.id).join(''))

describe('backoffMs', () => {
  it.each([
    // attempt, retryAfterMs, random, expected
    [0, 0, 0, 500], // 1 s base, full jitter down to half
    [0, 0, 1, 1000],
    [3, 0, 1, 8000],
    [10, 0, 1, 60_000], // capped at one minute
    [30, 0, 0, 30_000],
    [0, 20_000, 0, 20_000], // never below the server's Retry-After
    [3, 2000, 1, 8000],
  ])('attempt %i with Retry-After %i and random %f waits %i ms', (attempt, retryAfter, random, expected) => {
    expect(backoffMs(attempt, retryAfter, random)).toBe(expected)
  })

  it('stays within half and all of the exponential step', () => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const step = Math.min(60_000, 1000 * 2 ** attempt)
      const ms = backoffMs(attempt)
      expect(ms).toBeGreaterThanOrEqual(step / 2)
      expect(ms).toBeLessThanOrEqual(step)
    }
  })
})

describe('toChunks', () => {
  it.each([
    ['splits by maxEvents', ['a', 'b', 'c', 'd', 'e'].map((id) => item(id)), 2, 10_000, ['ab', 'cd', 'e']],
    // 300 bytes of batch overhead + 3 × 101 fits 700, a fourth does not
    ['splits by maxBytes', ['a', 'b', 'c', 'd', 'e'].map((id) => item(id)), 50, 700, ['abc', 'de']],
    ['sends an oversized event alone', [item('a'), item('B', 5000), item('c')], 50, 1000, ['a', 'B', 'c']],
    ['gives nothing for nothing', [], 50, 1000, []],
  ])('%s', (_name, items, maxEvents, maxBytes, expected) => {
    expect(ids(toChunks(items, maxEvents, maxBytes))).toEqual(expected)
  })
})

describe('createQueue', () => {
  const event = (id: string) => ({ id, type: 'track' }) as FrictionEvent
  let results: SendResult[]
  let sent: string[][]
  const setup = (options: { store?: ReturnType<typeof createStore> } = {}) => {
    const health = createHealth()
    const store = options.store ?? createStore()
    const outbox = createOutbox(store, 'fl:outbox:test', health)
    const send = vi.fn<Transport>((batch) => {
      sent.push(batch.events.map((e) => e.id))
      return results.shift() ?? { ok: true }
    })
    const queue = createQueue({ send, maxEvents: 50, maxBytes: 16_384, intervalMs: 1000, outbox, health })
    return { queue, send, outbox, health, store }
  }
  beforeEach(() => {
    vi.useFakeTimers()
    results = []
    sent = []
  })
  afterEach(() => vi.useRealTimers())

  it('retries a failed batch later with the same ids', async () => {
    const { queue, health } = setup()
    results = [{ ok: false }]
    queue.push(event('a'), 50)
    queue.push(event('b'), 50)
    await queue.flush()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ])
    expect(health.take()).toMatchObject({ retried: 2, persisted: 2 })
  })

  it('waits at least the Retry-After the server asked for', async () => {
    const { queue } = setup()
    results = [{ ok: false, retryAfterMs: 30_000 }]
    queue.push(event('a'), 50)
    await queue.flush()
    await vi.advanceTimersByTimeAsync(29_000)
    expect(sent).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toHaveLength(2)
  })

  it('drops and counts a batch the server rejects for good', async () => {
    const { queue, health } = setup()
    results = [{ ok: false, isFatal: true }]
    queue.push(event('a'), 50)
    await queue.flush()
    await vi.advanceTimersByTimeAsync(120_000)
    expect(sent).toEqual([['a']])
    expect(health.take()?.dropped).toEqual({ rejected: 1 })
  })

  it('treats a throwing transport as a failure to retry', async () => {
    const { queue, send } = setup()
    send.mockImplementationOnce(() => {
      throw new Error('boom')
    })
    queue.push(event('a'), 50)
    await queue.flush()
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual([['a']])
    expect(send).toHaveBeenCalledTimes(2)
  })

  it('sends events pushed during a backoff once the retry succeeds', async () => {
    const { queue, send } = setup()
    let release!: (result: SendResult) => void
    results = [{ ok: false }]
    queue.push(event('a'), 50)
    await queue.flush()
    send.mockImplementationOnce((batch) => {
      sent.push(batch.events.map((e) => e.id))
      return new Promise((resolve) => (release = resolve))
    })
    await vi.advanceTimersByTimeAsync(1000) // the retry is in flight
    queue.push(event('b'), 50)
    release({ ok: true })
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent.flat()).toEqual(['a', 'a', 'b'])
  })

  it('pauses while offline and resumes when back online', async () => {
    const { queue } = setup()
    queue.setOnline(false)
    queue.push(event('a'), 50)
    await vi.advanceTimersByTimeAsync(5000)
    expect(sent).toEqual([])
    queue.setOnline(true)
    await vi.advanceTimersByTimeAsync(0)
    expect(sent).toEqual([['a']])
  })

  it('does not send twice events that the outbox gives back while still queued', async () => {
    const { queue, outbox } = setup()
    results = [{ ok: false }]
    queue.push(event('a'), 50)
    await queue.flush() // parked in the outbox and still queued
    queue.restore(outbox.take()) // e.g. consent('granted') called again
    await vi.advanceTimersByTimeAsync(1000)
    expect(sent).toEqual([['a'], ['a']])
  })

  it('does not take other tabs’ parked events when reclaiming its own', async () => {
    const store = createStore()
    const tabA = setup({ store })
    const tabB = setup({ store })
    results = [{ ok: false }, { ok: false }]
    tabA.queue.push(event('a'), 50)
    await tabA.queue.flush() // A parks a
    tabB.queue.push(event('b'), 50)
    await tabB.queue.flush() // B parks b
    results = [{ ok: true }]
    await tabB.queue.flush() // B retries: b only, and a stays in the outbox for A
    expect(sent.at(-1)).toEqual(['b'])
    await tabA.queue.flush()
    expect(sent.at(-1)).toEqual(['a'])
  })

  it('does not send again an event parked by this tab and claimed by another (reclaim)', async () => {
    const store = createStore()
    const tabA = setup({ store })
    results = [{ ok: false }]
    tabA.queue.push(event('a'), 50)
    await tabA.queue.flush()
    expect(tabA.outbox.take().map((e) => e.id)).toEqual(['a']) // tab B claims the backlog
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sent).toEqual([['a']])
  })

  it('forgets queued and parked events on clear', async () => {
    const { queue, outbox } = setup()
    results = [{ ok: false }]
    queue.push(event('a'), 50)
    await queue.flush()
    queue.clear()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(sent).toEqual([['a']])
    expect(outbox.take()).toEqual([])
  })
})

describe('queue after an exit flush', () => {
  it('leaves parked events in the outbox for the next page until the page is shown again', async () => {
    const health = createHealth()
    const outbox = createOutbox(createStore(), 'fl:outbox:exit', health)
    const sent: Array<{ ids: string[]; unloading: boolean }> = []
    let answer: SendResult | Promise<SendResult> = { ok: false } // the exit's beacons are refused
    const send = vi.fn<Transport>((batch, { unloading }) => {
      sent.push({ ids: batch.events.map((e) => e.id), unloading })
      return answer
    })
    const queue = createQueue({ send, maxEvents: 50, maxBytes: 16_384, intervalMs: 1000, outbox, health })
    queue.push({ id: 'a', type: 'track' } as FrictionEvent, 50)
    queue.flushAtExit()
    // A send that starts during unload (its fetch never answers: the page is gone) must not
    // take the parked events back out of the outbox.
    answer = new Promise<SendResult>(() => {})
    void queue.flush()
    await Promise.resolve()
    expect(sent.at(-1)?.unloading).toBe(false)
    expect(outbox.take().map((e) => e.id)).toEqual(['a'])
  })

  it('takes its parked events back once the page is shown again', async () => {
    const health = createHealth()
    const outbox = createOutbox(createStore(), 'fl:outbox:resume', health)
    const sent: Array<{ ids: string[]; unloading: boolean }> = []
    let answer: SendResult = { ok: false }
    const send = vi.fn<Transport>((batch, { unloading }) => {
      sent.push({ ids: batch.events.map((e) => e.id), unloading })
      return answer
    })
    const queue = createQueue({ send, maxEvents: 50, maxBytes: 16_384, intervalMs: 1000, outbox, health })
    queue.push({ id: 'a', type: 'track' } as FrictionEvent, 50)
    queue.flushAtExit()
    queue.resume()
    answer = { ok: true }
    await queue.flush()
    expect(sent.at(-1)).toEqual({ ids: ['a'], unloading: false })
    expect(outbox.take()).toEqual([])
  })
})

describe('queue and outbox across pages', () => {
  beforeEach(() => localStorage.clear())

  it('parks events after a failed send, and the next page sends the backlog with the original ids', async () => {
    const first = startTracker({}, () => ({ ok: false }))
    first.tracker.track('a')
    await first.tracker.flush()
    const ids = first.events().map((e) => e.id)
    first.tracker.shutdown()
    const second = startTracker()
    await second.tracker.flush()
    const resent = second.events().map((e) => e.id)
    for (const id of ids) expect(resent).toContain(id)
    expect(new Set(resent).size).toBe(resent.length)
  })

  it('parks what the exit beacon could not send', () => {
    const first = startTracker({}, () => ({ ok: false }))
    first.tracker.track('a')
    setVisibility('hidden')
    const parked = JSON.parse(localStorage.getItem('fl:outbox:/e|') ?? '[]') as FrictionEvent[]
    expect(parked.map((e) => e.type)).toEqual(['page', 'track'])
  })
})
