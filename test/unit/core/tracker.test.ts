import { describe, expect, it, vi } from 'vitest'
import { createTracker } from '../../../src/core/tracker'
import type { Plugin } from '../../../src/core/types'
import { errors } from '../../../src/plugins/errors'
import { eventSchema } from '../../../src/schema'
import { setVisibility, startTracker } from './helpers'

describe('createTracker', () => {
  it('sends a page view at load and every event with the full envelope', async () => {
    history.replaceState(null, '', '/landing?utm_source=news&utm_campaign=spring&token=secret')
    const { tracker, events } = startTracker({ site: 'landing' })
    tracker.track('signup', { plan: 'pro' })
    await tracker.flush()
    const [page, track] = events()
    expect(page).toMatchObject({ type: 'page', navigation: 'load', path: '/landing' })
    expect(track).toMatchObject({
      type: 'track',
      name: 'signup',
      props: { plan: 'pro' },
      id: expect.stringMatching(/^[\w-]{21}$/),
      ts: expect.any(Number),
      sessionId: expect.any(String),
      anonymousId: expect.any(String),
      pageId: page.pageId,
      url: 'http://localhost:3000/landing?utm_source=news&utm_campaign=spring&token=[redacted]',
      context: {
        utm: { source: 'news', campaign: 'spring' },
        experiments: {},
        sdk: { name: 'frictionlog' },
        viewport: { w: innerWidth, h: innerHeight },
        deviceType: 'desktop',
      },
    })
    expect(track.id).not.toBe(page.id)
    expect(track).not.toHaveProperty('userId')
    for (const event of events()) expect(eventSchema.safeParse(event).success).toBe(true)
  })

  it('runs the scrubUrl option after the built-in rules on every URL: URL, path, referrer, error frames', async () => {
    history.replaceState(null, '', '/orders/8812?token=secret')
    vi.spyOn(document, 'referrer', 'get').mockReturnValue('https://mail.example/orders/77')
    const scrubUrl = vi.fn((url: string) => url.replace(/\/orders\/\d+/, '/orders/:id'))
    const { tracker, events } = startTracker({ scrubUrl, plugins: [errors()] })
    const error = new Error('boom')
    error.stack = 'Error: boom\n    at pay (http://localhost:3000/orders/8812/app.js:1:2)'
    tracker.captureError(error)
    await tracker.flush()
    const [page, failure] = events()
    expect(page).toMatchObject({ path: '/orders/:id', url: 'http://localhost:3000/orders/:id?token=[redacted]' })
    expect(page.context.referrer).toBe('https://mail.example/orders/:id')
    expect(failure).toMatchObject({
      type: 'error',
      stack: [{ file: 'http://localhost:3000/orders/:id/app.js', line: 1, col: 2 }],
    })
    // The app's rule sees URLs the built-in rules already scrubbed.
    expect(scrubUrl).toHaveBeenCalledWith('http://localhost:3000/orders/8812?token=[redacted]')
  })

  it('keeps the built-in scrubbing and says why when the scrubUrl option throws or returns a non-string', async () => {
    history.replaceState(null, '', '/a?token=secret')
    for (const scrubUrl of [
      () => {
        throw new Error('bad rule')
      },
      () => 42 as unknown as string,
    ]) {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { tracker, events } = startTracker({ scrubUrl, debug: true })
      await tracker.flush()
      expect(events('page')[0]).toMatchObject({ url: 'http://localhost:3000/a?token=[redacted]', path: '/a' })
      expect(warn).toHaveBeenCalledWith('[frictionlog] scrub-url-failed', expect.anything())
      tracker.shutdown()
      warn.mockRestore()
    }
  })

  it('sends the site with every batch', async () => {
    const { tracker, sent } = startTracker({ site: 'landing' })
    await tracker.flush()
    expect(sent[0].batch).toMatchObject({ v: 1, site: 'landing', sentAt: expect.any(Number) })
  })

  it('adds userId to every event after identify', async () => {
    const { tracker, events } = startTracker()
    tracker.identify('user-42', { plan: 'pro' })
    tracker.track('later')
    await tracker.flush()
    expect(events('identify')[0]).toMatchObject({ userId: 'user-42', traits: { plan: 'pro' } })
    expect(events('track')[0].userId).toBe('user-42')
  })

  it('keeps anonymousId and sessionId across page loads', async () => {
    const first = startTracker()
    await first.tracker.flush()
    first.tracker.shutdown()
    const second = startTracker()
    await second.tracker.flush()
    const [a, b] = [first.events('page')[0], second.events('page')[0]]
    expect(b.anonymousId).toBe(a.anonymousId)
    expect(b.sessionId).toBe(a.sessionId)
    expect(b.pageId).not.toBe(a.pageId)
  })

  it('records an experiment exposure once and carries it on later events', async () => {
    const { tracker, events } = startTracker()
    tracker.track('before')
    tracker.experiment('hero-copy', 'B')
    tracker.experiment('hero-copy', 'B')
    tracker.track('after')
    await tracker.flush()
    expect(events('experiment')).toHaveLength(1)
    expect(events('experiment')[0]).toMatchObject({ experiment: 'hero-copy', variant: 'B' })
    expect(events('track').map((e) => e.context.experiments)).toEqual([{}, { 'hero-copy': 'B' }])
  })

  it('sends feedback with a text or a numeric answer', async () => {
    const { tracker, events } = startTracker()
    tracker.feedback('What almost stopped you?', 'price unclear')
    tracker.feedback('NPS', 9)
    tracker.feedback('NPS', Number.NaN)
    await tracker.flush()
    expect(events('feedback').map((e: any) => e.answer)).toEqual(['price unclear', 9])
  })

  it('turns captureError into an error event with source manual', async () => {
    const { tracker, events } = startTracker()
    tracker.captureError(new TypeError('x is undefined'))
    tracker.captureError('plain string')
    await tracker.flush()
    const [typed, plain] = events('error') as any[]
    expect(typed).toMatchObject({
      source: 'manual',
      message: 'x is undefined',
      errorType: 'TypeError',
      count: 1,
      fingerprint: expect.any(String),
    })
    expect(plain).toMatchObject({ message: 'plain string', errorType: 'Error' })
    expect(typed.fingerprint).not.toBe(plain.fingerprint)
  })

  it('lets a plugin handle captureError', async () => {
    const handled = vi.fn(() => true)
    const plugin: Plugin = { name: 'errors', setup: (ctx) => ctx.onCaptureError(handled) }
    const { tracker, events } = startTracker({ plugins: [plugin] })
    tracker.captureError(new Error('x'))
    await tracker.flush()
    expect(handled).toHaveBeenCalled()
    expect(events('error')).toHaveLength(0)
  })

  it('lets beforeSend modify or drop events', async () => {
    const { tracker, events } = startTracker({
      beforeSend: (event) => (event.type === 'track' && event.name === 'secret' ? null : { ...event, url: 'changed' }),
    })
    tracker.track('secret')
    tracker.track('kept')
    await tracker.flush()
    expect(events('track').map((e: any) => [e.name, e.url])).toEqual([['kept', 'changed']])
  })

  it('sends the event unchanged when beforeSend throws', async () => {
    const { tracker, events } = startTracker({
      beforeSend: () => {
        throw new Error('hook')
      },
    })
    tracker.track('a')
    await tracker.flush()
    expect(events('track')).toHaveLength(1)
  })

  it('sends nothing with sampleRate 0', async () => {
    const { tracker, transport } = startTracker({ sampleRate: 0 })
    tracker.track('a')
    await tracker.flush()
    tracker.shutdown()
    expect(transport).not.toHaveBeenCalled()
  })

  it('sends the event as it was when tracked, whatever the app does to its props later', async () => {
    const { tracker, events } = startTracker()
    const props = { n: 1 }
    tracker.track('a', props)
    props.n = 2
    await tracker.flush()
    expect(events('track')[0]).toMatchObject({ props: { n: 1 } })
  })

  describe('bad input', () => {
    it.each<[string, (t: any) => void, string]>([
      ['a missing name', (t) => t.track(), 'invalid-event-name'],
      ['an empty name', (t) => t.track(''), 'invalid-event-name'],
      ['non-object props', (t) => t.track('a', 'props'), 'invalid-props'],
      ['array props', (t) => t.track('a', [1]), 'invalid-props'],
      [
        'circular props',
        (t) => {
          const p: any = {}
          p.p = p
          t.track('a', p)
        },
        'unserializable-event',
      ],
      ['BigInt props', (t) => t.track('a', { n: 10n }), 'unserializable-event'],
      ['a 100 KB string', (t) => t.track('a', { s: 'x'.repeat(100_000) }), 'event-too-large'],
      ['a non-string userId', (t) => t.identify(42), 'invalid-user-id'],
      ['an unknown consent', (t) => t.consent('maybe'), 'invalid-consent'],
    ])('drops %s alone, explains it, counts it and keeps working', async (_name, misuse, code) => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      const { tracker, events } = startTracker({ debug: true })
      expect(() => misuse(tracker)).not.toThrow()
      tracker.track('fine')
      await tracker.flush()
      expect(warn).toHaveBeenCalledWith('[frictionlog] ' + code, expect.anything())
      expect(events('track').map((e: any) => e.name)).toEqual(['fine'])
      setVisibility('hidden')
      if (code !== 'invalid-consent') {
        const [health] = events('sdk_health') as any[]
        const counted =
          health.invalid + Object.values(health.dropped as Record<string, number>).reduce((a, b) => a + b, 0)
        expect(counted).toBe(1)
      }
    })

    it('reports each problem once: the next sdk_health starts from zero', () => {
      const { tracker, events } = startTracker()
      tracker.track('')
      setVisibility('hidden')
      setVisibility('visible')
      setVisibility('hidden')
      expect(events('sdk_health')).toHaveLength(1)
      expect(events('sdk_health')[0]).toMatchObject({ invalid: 1 })
    })

    it('stays silent without debug', () => {
      const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
      startTracker().tracker.track('')
      expect(warn).not.toHaveBeenCalled()
    })
  })

  describe('plugins', () => {
    it('starts the other plugins when one setup throws', async () => {
      const broken: Plugin = {
        name: 'broken',
        setup: () => {
          throw new Error('setup')
        },
      }
      const working: Plugin = {
        name: 'working',
        setup: (ctx) => ctx.emit('scroll', { depthPct: 25, pageHeight: 2000 }),
      }
      const { tracker, events } = startTracker({ plugins: [broken, working] })
      await tracker.flush()
      expect(events('scroll')).toHaveLength(1)
    })

    it('never lets a throwing listener handler reach the page', () => {
      const errors: unknown[] = []
      const onError = (event: ErrorEvent) => errors.push(event.error)
      window.addEventListener('error', onError)
      const plugin: Plugin = {
        name: 'thrower',
        setup: (ctx) =>
          ctx.listen(window, 'click', () => {
            throw new Error('handler')
          }),
      }
      startTracker({ plugins: [plugin] })
      expect(() => window.dispatchEvent(new Event('click'))).not.toThrow()
      window.removeEventListener('error', onError)
      expect(errors).toEqual([])
    })

    it('runs plugin teardowns in reverse order on shutdown', () => {
      const order: string[] = []
      const plugin = (name: string): Plugin => ({ name, setup: () => () => order.push(name) })
      startTracker({ plugins: [plugin('a'), plugin('b')] }).tracker.shutdown()
      expect(order).toEqual(['b', 'a'])
    })

    it('calls onHidden callbacks before the exit flush, so what they emit goes with it', () => {
      const plugin: Plugin = {
        name: 'sections',
        setup: (ctx) => ctx.onHidden(() => ctx.emit('section', { section: 'pricing', visibleMs: 10, order: 1 })),
      }
      const { sent } = startTracker({ plugins: [plugin] })
      setVisibility('hidden')
      expect(sent.at(-1)?.unloading).toBe(true)
      expect(sent.flatMap((s) => s.batch.events).map((e) => e.type)).toContain('section')
    })
  })

  describe('batching', () => {
    it('sends after intervalMs', async () => {
      vi.useFakeTimers()
      const { tracker, transport } = startTracker({ batch: { intervalMs: 1000 } })
      tracker.track('a')
      await vi.advanceTimersByTimeAsync(999)
      expect(transport).not.toHaveBeenCalled()
      await vi.advanceTimersByTimeAsync(1)
      expect(transport).toHaveBeenCalledTimes(1)
    })

    it('sends at once when maxEvents is reached', async () => {
      vi.useFakeTimers()
      const { tracker, sent } = startTracker({ batch: { maxEvents: 3, intervalMs: 60_000 } })
      tracker.track('a')
      expect(sent).toHaveLength(0)
      tracker.track('b')
      await vi.advanceTimersByTimeAsync(0)
      expect(sent.map((s) => s.batch.events.length)).toEqual([3])
    })

    it('sends at once when maxBytes is reached, each batch within maxBytes', async () => {
      vi.useFakeTimers()
      const { tracker, sent } = startTracker({ batch: { maxBytes: 2048, intervalMs: 60_000 } })
      for (let i = 0; i < 6; i++) tracker.track('big', { s: 'x'.repeat(500) })
      await vi.advanceTimersByTimeAsync(0)
      expect(sent.length).toBeGreaterThanOrEqual(2)
      for (const { batch } of sent)
        expect(new TextEncoder().encode(JSON.stringify(batch)).length).toBeLessThanOrEqual(2048)
    })
  })

  it('pauses sending while the browser is offline and resumes on online', async () => {
    const { tracker, transport } = startTracker()
    window.dispatchEvent(new Event('offline'))
    tracker.track('a')
    await tracker.flush()
    expect(transport).not.toHaveBeenCalled()
    window.dispatchEvent(new Event('online'))
    await vi.waitFor(() => expect(transport).toHaveBeenCalledTimes(1))
  })

  describe('page exit', () => {
    it('flushes with unloading true on visibilitychange to hidden', () => {
      const { tracker, sent } = startTracker()
      tracker.track('a')
      setVisibility('hidden')
      expect(sent).toHaveLength(1)
      expect(sent[0].unloading).toBe(true)
      expect(sent[0].batch.events.map((e) => e.type)).toEqual(['page', 'track'])
    })

    it('flushes on pagehide with a page_leave, and sends only what is new at the next hidden', () => {
      const { tracker, sent } = startTracker()
      tracker.track('a')
      window.dispatchEvent(new Event('pagehide'))
      tracker.track('late')
      setVisibility('hidden')
      expect(sent.map((s) => s.unloading)).toEqual([true, true])
      expect(sent[0].batch.events.map((e) => e.type)).toEqual(['page', 'track', 'page_leave'])
      expect(sent[1].batch.events.map((e: any) => e.name)).toEqual(['late'])
    })

    it('does not park events handed to an async custom transport at exit', async () => {
      const first = startTracker({}, () => Promise.resolve({ ok: true }))
      first.tracker.track('a')
      setVisibility('hidden')
      setVisibility('visible')
      first.tracker.shutdown()
      const second = startTracker()
      await second.tracker.flush()
      expect(second.events('track')).toEqual([])
    })

    it('does nothing more after shutdown and returns a resolved flush', async () => {
      const { tracker, transport } = startTracker()
      tracker.shutdown()
      const calls = transport.mock.calls.length
      tracker.track('a')
      await tracker.flush()
      setVisibility('hidden')
      expect(transport.mock.calls.length).toBe(calls)
    })
  })

  describe('without a browser or an endpoint', () => {
    it('returns an inert tracker and reports the missing endpoint', async () => {
      const error = vi.spyOn(console, 'error').mockImplementation(() => {})
      const tracker = createTracker({} as any)
      expect(error).toHaveBeenCalledWith(expect.stringContaining('"endpoint"'))
      expect(() => {
        tracker.track('a')
        tracker.funnel('f', ['a']).step('a')
        tracker.shutdown()
      }).not.toThrow()
      await expect(tracker.flush()).resolves.toBeUndefined()
    })
  })
})
