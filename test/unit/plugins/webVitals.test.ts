import { beforeEach, describe, expect, it, vi } from 'vitest'
import { eventSchema } from '../../../src/schema'
import { webVitals } from '../../../src/plugins/webVitals'
import { vitalAttribution, type AttributionSources, type VitalEntry } from '../../../src/lib/vitalAttribution'
import { createEventFrames, MAX_EVENT_FRAMES } from '../../../src/lib/eventFrames'
import { setVisibility, startTracker } from '../core/helpers'

// The fake web-vitals: every on* call is recorded, and `report` plays a metric to the
// callbacks registered for its name, as web-vitals would.
const { registered, report } = vi.hoisted(() => {
  const registered: Array<{ name: string; callback: (metric: any) => void; options: any }> = []
  const report = (metric: any) => registered.filter((r) => r.name === metric.name).forEach((r) => r.callback(metric))
  return { registered, report }
})
vi.mock('web-vitals', () => {
  const on = (name: string) => (callback: (metric: any) => void, options: any) =>
    void registered.push({ name, callback, options })
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') }
})

const REGISTRY_KEY = Symbol.for('frictionlog.webVitals.v2')

// ---------------------------------------------------------------- vitalAttribution (pure)

const img = { nodeType: 1 } as Node
const button = { nodeType: 1 } as Node
const banner = { nodeType: 1 } as Node
const text = { nodeType: 3 } as Node
const names = new Map<Node, string>([
  [img, 'main>img.hero'],
  [button, '#buy'],
  [banner, 'div.banner'],
])
const page = (
  navigation?: Record<string, number>,
  resources: Record<string, Record<string, number>> = {},
  frameEnds: Record<number, number> = {},
): AttributionSources => ({
  navigation: () => navigation as VitalEntry | undefined,
  resource: (url) => resources[url] as VitalEntry | undefined,
  target: (node) => (node ? names.get(node) : undefined),
  processingEnd: (renderTime) => frameEnds[renderTime],
})
const NAVIGATION = {
  startTime: 0,
  fetchStart: 10,
  domainLookupStart: 10,
  connectStart: 30,
  connectEnd: 60,
  responseStart: 120.4,
}
const HERO = 'https://cdn.example.com/hero.jpg'
const lcpEntry = { startTime: 1840.6, element: img, url: HERO }
const inpEntries = [
  // pointerup and click of one interaction: same start and next paint, handlers one after the other.
  { startTime: 5000, duration: 312, processingStart: 5004.2, processingEnd: 5200, target: null },
  { startTime: 5000, duration: 312, processingStart: 5200, processingEnd: 5304.3, target: button },
]
const clsEntries = [
  { startTime: 1000, value: 0.02, sources: [{ node: banner }] },
  // The largest shift: its first element source is named, not the text node before it.
  { startTime: 2345.5, value: 0.1000049, sources: [{ node: text }, { node: banner }] },
]

describe('vitalAttribution', () => {
  it.each([
    [
      'LCP',
      1840.6,
      [lcpEntry],
      page(NAVIGATION, { [HERO]: { startTime: 140, requestStart: 150.6, responseEnd: 1051.3 } }),
      {
        target: 'main>img.hero',
        timeToFirstByte: 120,
        resourceLoadDelay: 30,
        resourceLoadDuration: 901,
        elementRenderDelay: 789,
      },
    ],
    // A text LCP (no request): everything after the first byte is render delay.
    [
      'LCP',
      900,
      [{ startTime: 900, element: img, url: '' }],
      page(NAVIGATION),
      {
        target: 'main>img.hero',
        timeToFirstByte: 120,
        resourceLoadDelay: 0,
        resourceLoadDuration: 0,
        elementRenderDelay: 780,
      },
    ],
    // A prerendered page: times count from activation.
    [
      'LCP',
      1000,
      [{ startTime: 1500, element: img, url: HERO }],
      page(
        { ...NAVIGATION, responseStart: 300, activationStart: 500 },
        { [HERO]: { startTime: 200, responseEnd: 1200 } },
      ),
      {
        target: 'main>img.hero',
        timeToFirstByte: 0,
        resourceLoadDelay: 0,
        resourceLoadDuration: 700,
        elementRenderDelay: 300,
      },
    ],
    // The element left the document: its id still names it, as web-vitals does.
    [
      'LCP',
      500,
      [{ startTime: 500, element: null, id: 'hero', url: '' }],
      page(NAVIGATION),
      { target: '#hero', timeToFirstByte: 120, resourceLoadDelay: 0, resourceLoadDuration: 0, elementRenderDelay: 380 },
    ],
    // After a bfcache restore there is no entry: the whole value is render delay.
    [
      'LCP',
      64,
      [],
      page(NAVIGATION),
      { timeToFirstByte: 0, resourceLoadDelay: 0, resourceLoadDuration: 0, elementRenderDelay: 64 },
    ],
    ['INP', 312, inpEntries, page(), { target: '#buy', inputDelay: 4, processingDuration: 300, presentationDelay: 8 }],
    // Only the pointerdown is the interaction's longest entry: the click handler that ran
    // before the same paint ends the processing (its frame's latest processingEnd).
    [
      'INP',
      320,
      [{ startTime: 4992, duration: 320, processingStart: 4996.2, processingEnd: 4997, target: button }],
      page(undefined, {}, { 5312: 5304.3 }),
      { target: '#buy', inputDelay: 4, processingDuration: 308, presentationDelay: 8 },
    ],
    [
      'INP',
      320,
      [{ startTime: 4992, duration: 320, processingStart: 4996.2, processingEnd: 4997, target: button }],
      page(),
      { target: '#buy', inputDelay: 4, processingDuration: 1, presentationDelay: 315 },
    ],
    ['CLS', 0.12, clsEntries, page(), { target: 'div.banner', largestShiftValue: 0.1, largestShiftTime: 2346 }],
    ['CLS', 0, [], page(), {}],
    [
      'FCP',
      900,
      [{ startTime: 900 }],
      page({ ...NAVIGATION, responseStart: 100 }),
      { timeToFirstByte: 100, firstByteToFCP: 800 },
    ],
    ['FCP', 40, [], page(NAVIGATION), { timeToFirstByte: 0, firstByteToFCP: 40 }],
    [
      'TTFB',
      100,
      [{ ...NAVIGATION, responseStart: 100 }],
      page(),
      { waitingDuration: 10, dnsDuration: 20, connectionDuration: 30, requestDuration: 40 },
    ],
    ['TTFB', 0, [], page(), { waitingDuration: 0, dnsDuration: 0, connectionDuration: 0, requestDuration: 0 }],
    // Missing or non-finite timings are left out, never sent as null or NaN.
    ['INP', 80, [{ startTime: 10, duration: 80, target: button }], page(), { target: '#buy' }],
    ['TTFB', 100, [{ startTime: 0, responseStart: 100 }], page(), {}],
    ['XYZ', 1, [lcpEntry], page(NAVIGATION), {}],
  ])('reduces %s (%s) to its target and timing parts', (name, value, entries, sources, expected) => {
    expect(vitalAttribution(name, value, entries as VitalEntry[], sources)).toEqual(expected)
  })

  it('cuts a target at the wire limit', () => {
    const long = vitalAttribution('LCP', 1, [{ startTime: 1, element: null, id: 'x'.repeat(600) }], page())
    expect(long.target).toHaveLength(500)
  })
})

describe('createEventFrames', () => {
  it('keeps the latest processingEnd of the entries each frame presented, for the last 10 frames', () => {
    const frames = createEventFrames()
    frames.add([
      { startTime: 4992, duration: 320, processingEnd: 4997 }, // pointerdown, render time 5312
      { startTime: 4998, duration: 312, processingEnd: 5304.3 }, // click, render time 5310: same frame
      { startTime: 6000, duration: 48, processingEnd: 6010 }, // another frame
    ])
    frames.add([{ startTime: 5000, duration: 304, processingEnd: 5200 }]) // same frame, ended earlier
    expect(frames.processingEnd(5312)).toBe(5304.3)
    expect(frames.processingEnd(6048)).toBe(6010)
    expect(frames.processingEnd(7000)).toBeUndefined()
    frames.add(
      Array.from({ length: MAX_EVENT_FRAMES }, (_, i) => ({
        startTime: 10_000 + i * 100,
        duration: 40,
        processingEnd: 10_010 + i * 100,
      })),
    )
    expect(frames.processingEnd(5312)).toBeUndefined()
    expect(frames.processingEnd(10_040)).toBe(10_010)
  })
})

// ---------------------------------------------------------------- webVitals (plugin)

// Metrics as the base web-vitals build gives them (every change reported): performance
// entries holding DOM nodes next to the numbers.
const metric = (name: string, value: number, entries: unknown[], extra: Record<string, unknown> = {}) => ({
  name,
  value,
  delta: value,
  rating: 'good',
  id: `v5-${name}`,
  navigationType: 'navigate',
  entries,
  ...extra,
})
const element = (html: string) => {
  document.body.insertAdjacentHTML('beforeend', html)
  return document.body.lastElementChild!
}
const metrics = () => {
  document.body.innerHTML = ''
  const hero = element('<img id="hero" src="https://cdn.example.com/hero.jpg?token=abc">')
  const buy = element('<button id="buy">Buy</button>')
  const shifted = element('<div class="banner">Cookies</div>')
  return {
    lcp: metric('LCP', 1840.6, [
      { startTime: 1840.6, element: hero, url: 'https://cdn.example.com/hero.jpg?token=abc' },
    ]),
    inp: metric(
      'INP',
      312,
      [
        {
          name: 'click',
          startTime: 5000,
          duration: 312,
          processingStart: 5004.2,
          processingEnd: 5304.3,
          target: buy,
          interactionId: 7,
        },
      ],
      { rating: 'needs-improvement', navigationType: 'reload' },
    ),
    cls: metric('CLS', 0.123456, [{ startTime: 2345.5, value: 0.123456, sources: [{ node: shifted.firstChild }] }], {
      navigationType: 'back-forward-cache',
    }),
    fcp: metric('FCP', 900, [{ name: 'first-contentful-paint', startTime: 900 }], { navigationType: 'prerender' }),
    ttfb: metric(
      'TTFB',
      100,
      [{ startTime: 0, fetchStart: 10, domainLookupStart: 10, connectStart: 30, connectEnd: 60, responseStart: 100 }],
      { navigationType: 'restore' },
    ),
  }
}

const vitalsOf = async (start: ReturnType<typeof startTracker>) => {
  await start.tracker.flush()
  return start.events('vital') as any[]
}

beforeEach(() => {
  delete (window as any)[REGISTRY_KEY]
  registered.length = 0
})

describe('webVitals', () => {
  it('sends FCP and TTFB at once, LCP at the first input, the final INP and CLS when the page is hidden', async () => {
    const start = startTracker({ plugins: [webVitals()] })
    const { lcp, inp, cls, fcp, ttfb } = metrics()
    for (const m of [ttfb, fcp, { ...lcp, value: 900, delta: 900 }, lcp, cls]) report(m)
    expect((await vitalsOf(start)).map((v) => v.name)).toEqual(['TTFB', 'FCP'])
    report(inp)
    expect((await vitalsOf(start)).map((v) => [v.name, v.value])).toEqual([
      ['TTFB', 100],
      ['FCP', 900],
      ['LCP', 1841],
    ])
    setVisibility('hidden')
    const vitals = await vitalsOf(start)
    expect(vitals.map((v) => v.name)).toEqual(['TTFB', 'FCP', 'LCP', 'CLS', 'INP'])
    const byName = Object.fromEntries(vitals.map((v) => [v.name, v]))
    expect(byName.LCP).toMatchObject({
      value: 1841,
      delta: 1841,
      rating: 'good',
      navigationType: 'navigate',
      attribution: { target: '#hero', timeToFirstByte: expect.any(Number), elementRenderDelay: expect.any(Number) },
    })
    expect(byName.INP).toMatchObject({
      rating: 'needs-improvement',
      navigationType: 'reload',
      attribution: { target: '#buy', inputDelay: 4, processingDuration: 300, presentationDelay: 8 },
    })
    // A text node's shift is named by its element.
    expect(byName.CLS).toMatchObject({
      value: 0.1235,
      delta: 0.1235,
      attribution: { target: 'div.banner', largestShiftValue: 0.1235, largestShiftTime: 2346 },
    })
    expect(byName.TTFB.attribution).toEqual({
      waitingDuration: 10,
      dnsDuration: 20,
      connectionDuration: 30,
      requestDuration: 40,
    })
    for (const vital of vitals) {
      expect(eventSchema.safeParse(vital).success).toBe(true)
      for (const value of Object.values(vital.attribution))
        expect(typeof value === 'string' || Number.isFinite(value)).toBe(true)
      expect(vital).not.toHaveProperty('id', expect.stringMatching(/^v5/))
      expect(vital).not.toHaveProperty('entries')
    }
    // No URL, no node, no entry leaks: the LCP url with its token is not sent at all.
    expect(JSON.stringify(vitals)).not.toMatch(/token|hero\.jpg|interactionId|sources/)
  })

  it('names the target when the metric changes, even if the element is gone when it is sent', async () => {
    const start = startTracker({ plugins: [webVitals()] })
    const { inp } = metrics()
    report(inp)
    document.getElementById('buy')!.remove()
    setVisibility('hidden')
    expect((await vitalsOf(start))[0].attribution.target).toBe('#buy')
  })

  it('sends a final metric again only when it changed, with the change as delta', async () => {
    const start = startTracker({ plugins: [webVitals()] })
    const cls = metrics().cls
    report({ ...cls, value: 0.1, delta: 0.1 })
    setVisibility('hidden')
    setVisibility('visible')
    report({ ...cls, value: 0.15, delta: 0.05 })
    report({ ...cls, value: 0.3, delta: 0.15 })
    setVisibility('hidden')
    setVisibility('visible')
    setVisibility('hidden') // unchanged: nothing new
    // A bfcache restore starts a new metric (new id): its first value is sent whole.
    setVisibility('visible')
    report({ ...cls, id: 'v5-restored', value: 0.01, delta: 0.01 })
    setVisibility('hidden')
    const vitals = await vitalsOf(start)
    expect(vitals.map((v) => [v.value, v.delta])).toEqual([
      [0.1, 0.1],
      [0.3, 0.2],
      [0.01, 0.01],
    ])
  })

  it('sends every change at once with reportAllChanges', async () => {
    const start = startTracker({ plugins: [webVitals({ reportAllChanges: true })] })
    const { lcp } = metrics()
    report({ ...lcp, value: 900, delta: 900 })
    report({ ...lcp, value: 1840, delta: 940 })
    expect((await vitalsOf(start)).map((v) => [v.name, v.value, v.delta])).toEqual([
      ['LCP', 900, 900],
      ['LCP', 1840, 940],
    ])
    setVisibility('hidden')
    expect(await vitalsOf(start)).toHaveLength(2)
  })

  it('registers web-vitals once per window, for every change, whatever plugins, modes, trackers start', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    // A second plugin of the same name in one tracker is skipped (core/pluginHost.ts).
    const second = startTracker({ plugins: [webVitals(), webVitals()] })
    const third = startTracker({ plugins: [webVitals({ reportAllChanges: true })] })
    expect(registered.map((r) => r.name)).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB'])
    expect(registered[0].options).toEqual({ reportAllChanges: true })
    report(metrics().fcp)
    expect(await vitalsOf(first)).toHaveLength(1)
    expect(await vitalsOf(second)).toHaveLength(1)
    expect(await vitalsOf(third)).toHaveLength(1)
  })

  it('sends nothing after shutdown while another tracker keeps receiving', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    const second = startTracker({ plugins: [webVitals()] })
    await first.tracker.flush()
    first.tracker.shutdown()
    const before = first.sent.length
    report(metrics().ttfb)
    expect(first.sent.length).toBe(before)
    expect(await vitalsOf(second)).toHaveLength(1)
  })

  it('gives a tracker started later the latest value of metrics already reported', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    const { ttfb, cls } = metrics()
    report(ttfb)
    report({ ...cls, value: 0.2, delta: 0.1 })
    setVisibility('hidden')
    first.tracker.shutdown()
    setVisibility('visible')
    const second = startTracker({ plugins: [webVitals()] })
    const vitals = await vitalsOf(second)
    expect(vitals.map((v) => [v.name, v.value, v.delta])).toEqual([
      ['TTFB', 100, 100],
      ['CLS', 0.2, 0.2],
    ])
  })

  it('sends vitals reported during the hidden event in the exit flush', () => {
    const start = startTracker({ plugins: [webVitals()] })
    // web-vitals reports the final INP from its own capture-phase listener on window.
    const { inp } = metrics()
    const onHidden = () => report(inp)
    window.addEventListener('visibilitychange', onHidden, true)
    setVisibility('hidden')
    window.removeEventListener('visibilitychange', onHidden, true)
    const exit = start.sent.find((s) => s.unloading)
    expect(exit?.batch.events.some((e) => e.type === 'vital' && e.name === 'INP')).toBe(true)
  })

  it("counts the click handler of the interaction's frame in the processing time", async () => {
    const observers: Array<{ callback: (list: any) => void; options: any; records: any[] }> = []
    class FakeObserver {
      static supportedEntryTypes = ['event', 'layout-shift']
      entry: { callback: (list: any) => void; options: any; records: any[] }
      constructor(callback: (list: any) => void) {
        observers.push((this.entry = { callback, options: undefined, records: [] }))
      }
      observe(options: any) {
        this.entry.options = options
      }
      takeRecords() {
        return this.entry.records.splice(0)
      }
      disconnect() {}
    }
    vi.stubGlobal('PerformanceObserver', FakeObserver)
    const start = startTracker({ plugins: [webVitals()] })
    expect(observers.map((o) => o.options)).toEqual([{ type: 'event', durationThreshold: 40 }])
    const { inp } = metrics()
    const pointerdown = { ...(inp.entries[0] as object), name: 'pointerdown', processingEnd: 5005 }
    const click = {
      name: 'click',
      startTime: 5001,
      duration: 312,
      processingStart: 5005,
      processingEnd: 5304.3,
      interactionId: 7,
    }
    observers[0].callback({ getEntries: () => [pointerdown] })
    // The click entry is still in the observer's queue when web-vitals reports (at hidden).
    observers[0].records.push(click)
    report({ ...inp, entries: [pointerdown] })
    setVisibility('hidden')
    vi.unstubAllGlobals()
    expect((await vitalsOf(start))[0].attribution).toEqual({
      target: '#buy',
      inputDelay: 4,
      processingDuration: 300,
      presentationDelay: 8,
    })
  })

  it('does not throw and sends nothing without PerformanceObserver', async () => {
    vi.stubGlobal('PerformanceObserver', undefined)
    const start = startTracker({ plugins: [webVitals()] })
    expect(registered).toHaveLength(0)
    expect(await vitalsOf(start)).toEqual([])
    vi.unstubAllGlobals()
  })

  it('drops a metric whose value is not a finite number', async () => {
    const start = startTracker({ plugins: [webVitals({ reportAllChanges: true })] })
    report({ ...metrics().lcp, value: NaN })
    expect(await vitalsOf(start)).toEqual([])
  })

  it('never throws into web-vitals: a failing attribution or emit is only reported to debug', () => {
    const debug = vi.spyOn(console, 'warn').mockImplementation(() => {})
    startTracker({
      plugins: [webVitals()],
      debug: true,
      beforeSend: () => {
        throw new Error('app bug')
      },
    })
    const broken = {
      ...metrics().inp,
      entries: [
        {
          get target(): never {
            throw new Error('entry')
          },
        },
      ],
    }
    expect(() => report(broken)).not.toThrow()
    expect(() => report(metrics().fcp)).not.toThrow()
    expect(debug.mock.calls.flat().join(' ')).toMatch(/web-vitals-failed/)
  })
})
