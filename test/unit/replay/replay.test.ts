import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const recorder = vi.hoisted(() => ({
  options: undefined as any,
  stop: vi.fn(),
  onStart: undefined as undefined | ((options: any) => void),
}))
vi.mock('rrweb', () => ({
  record: vi.fn((options: any) => {
    recorder.options = options
    recorder.onStart?.(options)
    return recorder.stop
  }),
}))

import { record } from 'rrweb'
import { replay, MAX_ENCODED_CHARS } from '../../../src/replay/replay'
import { decodeReplayEvents } from '../../../src/replay/codec'
import { sessionUnit } from '../../../src/replay/sample'
import { element, fakeContext, mutation, snapshotEvents, text, type Emitted } from './helpers'

const emitAll = (events: unknown[]) => events.forEach((event) => recorder.options.emit(event))
const decodeAll = async (chunks: Emitted[]) =>
  (
    await Promise.all([...chunks].sort((a, b) => a.seq - b.seq).map((chunk) => decodeReplayEvents(chunk.events)))
  ).flat() as any[]

/** Applies the mutation adds to the snapshot's shell, as rrweb's player does (nextId null appends). */
const rebuild = (decoded: any[]) => {
  expect(decoded[0].type).toBe(4)
  expect(decoded[1].type).toBe(2)
  const byId = new Map<number, any>()
  const index = (node: any) => {
    byId.set(node.id, node)
    node.childNodes?.forEach(index)
  }
  const rebuilt = decoded[1].data.node
  index(rebuilt)
  for (const event of decoded.slice(2)) {
    expect(event).toMatchObject({ type: 3, data: { source: 0 } })
    for (const add of event.data.adds) {
      byId.get(add.parentId).childNodes.push(add.node)
      index(add.node)
    }
  }
  return rebuilt
}
/**
 * A page of `rows` rows of 5 nodes each (under the default 10,000-node cap for 1500), with a link
 * per row whose URL holds a secret.
 */
const bigPage = (rows: number) =>
  snapshotEvents(
    Array.from({ length: rows }, (_, i) =>
      element('div', { class: 'row' }, [
        element('a', { href: `/item/${i}?token=t0k3n${i}` }, [text('**** ' + i)]),
        element('span', {}, [text('*****')]),
      ]),
    ),
  )
/** A clock that moves `stepMs` each time it is read: every few steps of the replay pump overrun its slice. */
const slowClock = (stepMs: number) => {
  let now = 0
  return vi.spyOn(performance, 'now').mockImplementation(() => (now += stepMs))
}

beforeEach(() => {
  recorder.options = undefined
  recorder.onStart = undefined
  recorder.stop.mockClear()
  vi.mocked(record).mockClear()
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
  vi.setSystemTime(10_000)
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('replay', () => {
  it('passes private-by-default options to rrweb', () => {
    const { ctx } = fakeContext()
    replay().setup(ctx)
    const options = recorder.options
    expect(options.maskInputOptions).toMatchObject({ input: true, textarea: true, select: true, password: true })
    expect(options.maskTextSelector).toBe('*')
    expect(options.blockSelector).toContain('[data-fl-block]')
    expect(options.recordCanvas).toBe(false)
    expect(options.inlineImages).toBe(false)
    expect(options.collectFonts).toBe(false)
    expect(options.sampling).toMatchObject({ input: 'last', mousemove: expect.any(Number), scroll: expect.any(Number) })
  })

  it('records text unmasked only with maskText: false, and takes a custom blockSelector', () => {
    const { ctx } = fakeContext()
    replay({ maskText: false, blockSelector: '.secret' }).setup(ctx)
    expect(recorder.options.maskTextSelector).toBeUndefined()
    expect(recorder.options.blockSelector.split(',')).toContain('.secret')
    expect(recorder.options.maskInputOptions.input).toBe(true)
  })

  it('batches events into one gzipped chunk per chunkMs, with seq and time bounds', async () => {
    const { ctx, emitted } = fakeContext()
    replay({ chunkMs: 5000 }).setup(ctx)
    const events = [
      ...snapshotEvents([text('hello')]),
      mutation({ texts: [{ id: 1, value: '*****' }] }, 1500),
      mutation({ removes: [{ parentId: 1, id: 2 }] }, 2500),
    ]
    emitAll(events)
    await vi.advanceTimersByTimeAsync(5000)
    await vi.waitFor(() => expect(emitted.length).toBeGreaterThan(0))
    expect(emitted).toHaveLength(1)
    expect(emitted[0]).toMatchObject({ type: 'replay', seq: 0, startTs: 1000, endTs: 2500 })
    expect(typeof emitted[0].events).toBe('string')
    expect((emitted[0].events as string).length).toBeLessThanOrEqual(MAX_ENCODED_CHARS)
    expect(await decodeAll(emitted)).toEqual(events)

    emitAll([mutation({ texts: [{ id: 1, value: '**' }] }, 7000)])
    await vi.advanceTimersByTimeAsync(5000)
    await vi.waitFor(() => expect(emitted.length).toBe(2))
    expect(emitted[1]).toMatchObject({ seq: 1, startTs: 7000, endTs: 7000 })
  })

  it('scrubs every URL inside the recording', async () => {
    const { ctx, emitted } = fakeContext()
    replay().setup(ctx)
    emitAll([
      ...snapshotEvents(
        [
          element('img', { src: 'https://cdn.example/a.png?token=abc123&w=10' }),
          element('a', { href: '/reset?email=jane@example.com' }),
          element('div', { style: 'background: url("/bg.png?sig=s3cret")', title: 'mail jane.doe@example.com' }),
        ],
        'https://shop.example/welcome?session=xyz789&utm_source=ads',
      ),
      mutation({ attributes: [{ id: 3, attributes: { href: 'https://shop.example/p?auth=k3y' } }] }, 1200),
    ])
    vi.advanceTimersByTime(1000)
    await vi.waitFor(() => expect(emitted.length).toBeGreaterThan(0))
    const json = JSON.stringify(await decodeAll(emitted))
    for (const secret of ['abc123', 'jane', 's3cret', 'xyz789', 'k3y']) expect(json).not.toContain(secret)
    expect(json).toContain('utm_source=ads')
    expect(json).toContain('[redacted]')
  })

  it('splits a big snapshot into chunks under the size limit that rebuild the same DOM', async () => {
    const { ctx, emitted } = fakeContext()
    replay().setup(ctx)
    // Random-ish text compresses badly, so the snapshot needs several chunks. With dots in it, so
    // the text scrubber does not take it for a base64 token.
    let seed = 7
    const noise = () =>
      Array.from(
        { length: 400 },
        () =>
          'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789.'[(seed = (seed * 16807) % 2147483647) % 63],
      ).join('')
    const events = snapshotEvents(Array.from({ length: 120 }, () => element('p', {}, [text(noise())])))
    const original = JSON.parse(JSON.stringify(events[1]))
    emitAll(events)
    vi.advanceTimersByTime(1000)
    await vi.waitFor(async () => expect(rebuild(await decodeAll(emitted))).toEqual(original.data.node), {
      timeout: 5000,
    })
    expect(emitted.length).toBeGreaterThan(2)
    for (const chunk of emitted) expect((chunk.events as string).length).toBeLessThanOrEqual(MAX_ENCODED_CHARS)
    expect(emitted.map((chunk) => chunk.seq)).toEqual(emitted.map((_, i) => i))
  })

  it("prepares a big snapshot in parts between the page's tasks, rebuilding the same DOM, scrubbed", async () => {
    const { ctx, emitted } = fakeContext()
    replay().setup(ctx)
    const events = bigPage(1500)
    const expected = JSON.parse(JSON.stringify(events[1].data.node).replace(/token=t0k3n\d+/g, 'token=[redacted]'))
    emitAll(events)
    slowClock(3)
    const timeouts = vi.spyOn(globalThis, 'setTimeout')
    vi.advanceTimersByTime(1000)
    // The first-chunk timer started the work, which then went on in later tasks.
    const yields = timeouts.mock.calls.filter(([, ms]) => ms === 0).length
    expect(yields).toBeGreaterThan(0)
    await vi.waitFor(async () => expect(rebuild(await decodeAll(emitted))).toEqual(expected), { timeout: 5000 })
    expect(timeouts.mock.calls.filter(([, ms]) => ms === 0).length).toBeGreaterThan(10)
    expect(emitted.map((chunk) => chunk.seq)).toEqual(emitted.map((_, i) => i))
    for (const chunk of emitted) expect((chunk.events as string).length).toBeLessThanOrEqual(MAX_ENCODED_CHARS)
  })

  it('sends all at once, scrubbed, nothing twice, when the page exits while a big snapshot is prepared', async () => {
    const { ctx, emitted, hide, abort } = fakeContext()
    replay().setup(ctx)
    const events = bigPage(1500)
    const expected = JSON.parse(JSON.stringify(events[1].data.node).replace(/token=t0k3n\d+/g, 'token=[redacted]'))
    emitAll(events)
    slowClock(3)
    vi.advanceTimersByTime(1000)
    await vi.advanceTimersByTimeAsync(0)
    hide()
    const sentAtExit = emitted.length
    // Work the pump had left must not send anything again.
    await vi.advanceTimersByTimeAsync(100)
    await new Promise((resolve) => setImmediate(resolve))
    expect(emitted.length).toBe(sentAtExit)
    expect(emitted.some((chunk) => Array.isArray(chunk.events))).toBe(true)
    expect(rebuild(await decodeAll(emitted))).toEqual(expected)
    expect(emitted.map((chunk) => chunk.seq)).toEqual(emitted.map((_, i) => i))
    abort() // its document listeners would restart it when a later test shows the page
  })

  it('records only with consent granted for replay', () => {
    const { ctx, setConsent } = fakeContext({ consent: 'pending' })
    replay().setup(ctx)
    expect(record).not.toHaveBeenCalled()
    setConsent('granted', { replay: false })
    expect(record).not.toHaveBeenCalled()
    setConsent('granted')
    expect(record).toHaveBeenCalledTimes(1)
    setConsent('denied')
    expect(recorder.stop).toHaveBeenCalledTimes(1)
  })

  it('drops what was recorded when consent is withdrawn', async () => {
    const { ctx, emitted, setConsent, hide } = fakeContext()
    replay().setup(ctx)
    emitAll(snapshotEvents([text('x')]))
    setConsent('granted', { replay: false })
    hide()
    await vi.advanceTimersByTimeAsync(20_000)
    expect(emitted).toHaveLength(0)
  })

  it('samples per session, from the session id', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']
    const kept = ids.filter((id) => sessionUnit(id) < 0.5)
    expect(kept.length).toBeGreaterThan(0)
    expect(kept.length).toBeLessThan(ids.length)
    for (const id of ids) {
      vi.mocked(record).mockClear()
      replay({ sampleRate: 0.5 }).setup(fakeContext({ sessionId: id }).ctx)
      expect(vi.mocked(record).mock.calls.length).toBe(kept.includes(id) ? 1 : 0)
    }
    vi.mocked(record).mockClear()
    replay().setup(fakeContext({ isSampled: false }).ctx)
    expect(record).not.toHaveBeenCalled()
  })

  it('pauses while hidden, sends the pending events uncompressed at once, and restarts with a fresh snapshot', () => {
    const { ctx, emitted, hide } = fakeContext()
    replay().setup(ctx)
    emitAll([...snapshotEvents([text('x')]), mutation({ texts: [{ id: 1, value: '*' }] }, 1100)])
    hide()
    expect(recorder.stop).toHaveBeenCalledTimes(1)
    expect(emitted).toHaveLength(1)
    expect(Array.isArray(emitted[0].events)).toBe(true)
    expect(emitted[0]).toMatchObject({ seq: 0, startTs: 1000, endTs: 1100 })

    Object.defineProperty(document, 'visibilityState', { value: 'visible', configurable: true })
    document.dispatchEvent(new Event('visibilitychange'))
    expect(record).toHaveBeenCalledTimes(2)
  })

  it('does not start on a page with more elements than maxSnapshotNodes, and counts it', () => {
    document.body.innerHTML = '<div></div>'.repeat(50)
    const { ctx } = fakeContext()
    replay({ maxSnapshotNodes: 20 }).setup(ctx)
    expect(record).not.toHaveBeenCalled()
    expect(ctx.drop).toHaveBeenCalledWith('replay-dom-too-large')
    document.body.innerHTML = ''
  })

  it('stops when a later snapshot is bigger than maxSnapshotNodes', async () => {
    const { ctx, emitted } = fakeContext()
    replay({ maxSnapshotNodes: 30 }).setup(ctx)
    emitAll(snapshotEvents(Array.from({ length: 40 }, () => text('x'))))
    expect(recorder.stop).toHaveBeenCalled()
    expect(ctx.drop).toHaveBeenCalledWith('replay-dom-too-large')
    await vi.advanceTimersByTimeAsync(20_000)
    expect(emitted).toHaveLength(0)
  })

  it('stops the recorder and sends what is pending on teardown', () => {
    const { ctx, emitted } = fakeContext()
    const teardown = replay().setup(ctx) as () => void
    emitAll(snapshotEvents([text('x')]))
    teardown()
    expect(recorder.stop).toHaveBeenCalledTimes(1)
    expect(emitted).toHaveLength(1)
  })

  it('throttles style-only mutations and keeps the last style', async () => {
    const { ctx, emitted, hide } = fakeContext()
    replay({ styleMutationThrottleMs: 100 }).setup(ctx)
    emitAll(snapshotEvents([]))
    for (let i = 0; i < 50; i++) {
      vi.setSystemTime(2000 + i * 10)
      recorder.options.emit(
        mutation({ attributes: [{ id: 9, attributes: { style: { left: i + 'px' } } }] }, 2000 + i * 10),
      )
    }
    hide()
    const styles = (emitted.flatMap((chunk) => chunk.events) as any[]).filter((event) => event.type === 3)
    expect(styles.length).toBeLessThanOrEqual(6)
    expect(styles.at(-1).data.attributes[0].attributes.style).toEqual({ left: '49px' })
  })
})
