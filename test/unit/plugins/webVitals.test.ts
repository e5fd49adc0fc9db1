import { beforeEach, describe, expect, it, vi } from 'vitest'
import { eventSchema } from '../../../src/schema'
import { webVitals } from '../../../src/plugins/webVitals'
import { vitalAttribution } from '../../../src/lib/vitalAttribution'
import { setVisibility, startTracker } from '../core/helpers'

// The fake web-vitals: every on* call is recorded, and `report` plays a metric to the
// callbacks registered for its name, as web-vitals would.
const { registered, report } = vi.hoisted(() => {
  const registered: Array<{ name: string; callback: (metric: any) => void; options: any }> = []
  const report = (metric: any) => registered.filter((r) => r.name === metric.name).forEach((r) => r.callback(metric))
  return { registered, report }
})
vi.mock('web-vitals/attribution', () => {
  const on = (name: string) => (callback: (metric: any) => void, options: any) => void registered.push({ name, callback, options })
  return { onLCP: on('LCP'), onINP: on('INP'), onCLS: on('CLS'), onFCP: on('FCP'), onTTFB: on('TTFB') }
})

const REGISTRY_KEY = Symbol.for('frictionlog.webVitals')

// Metrics as web-vitals/attribution gives them: entries and nodes next to the numbers.
const lcp = (value = 1840.6) => {
  const img = document.createElement('img')
  return {
    name: 'LCP', value, delta: value, rating: 'good', id: 'v5-1', navigationType: 'navigate',
    entries: [{ element: img, startTime: value }],
    attribution: {
      target: 'main>img.hero', url: 'https://cdn.example.com/hero.jpg?token=abc',
      timeToFirstByte: 120.4, resourceLoadDelay: 30.2, resourceLoadDuration: 900.7, elementRenderDelay: 789.3,
      lcpEntry: { element: img }, lcpResourceEntry: { name: 'hero.jpg' }, navigationEntry: { type: 'navigate' },
    },
  }
}
const inp = {
  name: 'INP', value: 312, delta: 312, rating: 'needs-improvement', id: 'v5-2', navigationType: 'reload',
  entries: [{ target: document.createElement('button') }],
  attribution: {
    interactionTarget: '#buy', interactionType: 'pointer', interactionTime: 5000, nextPaintTime: 5312,
    inputDelay: 4.2, processingDuration: 300.1, presentationDelay: 7.7, processedEventEntries: [{}],
    longAnimationFrameEntries: [{}], longestScript: { entry: {} }, loadState: 'complete',
  },
}
const cls = {
  name: 'CLS', value: 0.123456, delta: 0.123456, rating: 'needs-improvement', id: 'v5-3', navigationType: 'back-forward-cache',
  entries: [{ sources: [{ node: document.createElement('div') }] }],
  attribution: {
    largestShiftTarget: 'div.banner', largestShiftValue: 0.1000049, largestShiftTime: 2345.5,
    largestShiftEntry: {}, largestShiftSource: { node: document.createElement('div') }, loadState: 'complete',
  },
}
const fcp = {
  name: 'FCP', value: 900, delta: 900, rating: 'good', id: 'v5-4', navigationType: 'prerender', entries: [],
  attribution: { timeToFirstByte: 100, firstByteToFCP: 800, loadState: 'dom-interactive', fcpEntry: {} },
}
const ttfb = {
  name: 'TTFB', value: 100, delta: 100, rating: 'good', id: 'v5-5', navigationType: 'restore', entries: [],
  attribution: { waitingDuration: 10, cacheDuration: 0, dnsDuration: 20, connectionDuration: 30, requestDuration: 40, navigationEntry: {} },
}

const vitalsOf = async (start: ReturnType<typeof startTracker>) => {
  await start.tracker.flush()
  return start.events('vital')
}

beforeEach(() => {
  delete (window as any)[REGISTRY_KEY]
  registered.length = 0
})

describe('vitalAttribution', () => {
  it.each([
    ['LCP', lcp().attribution, { target: 'main>img.hero', timeToFirstByte: 120, resourceLoadDelay: 30, resourceLoadDuration: 901, elementRenderDelay: 789 }],
    ['INP', inp.attribution, { target: '#buy', inputDelay: 4, processingDuration: 300, presentationDelay: 8 }],
    ['CLS', cls.attribution, { target: 'div.banner', largestShiftValue: 0.1, largestShiftTime: 2346 }],
    ['FCP', fcp.attribution, { timeToFirstByte: 100, firstByteToFCP: 800 }],
    ['TTFB', ttfb.attribution, { waitingDuration: 10, dnsDuration: 20, connectionDuration: 30, requestDuration: 40 }],
    // Non-finite or missing parts are left out; a target that is not a string is dropped.
    ['LCP', { target: document.body, timeToFirstByte: NaN, resourceLoadDelay: Infinity, elementRenderDelay: '5' }, {}],
    ['INP', undefined, {}],
    ['XYZ', { target: 'a' }, {}],
  ])('reduces %s attribution to its target and timing numbers', (name, attribution, expected) => {
    expect(vitalAttribution(name, attribution)).toEqual(expected)
  })
})

describe('webVitals', () => {
  it('sends each metric as a vital with only strings and numbers in its attribution', async () => {
    const start = startTracker({ plugins: [webVitals()] })
    for (const metric of [lcp(), inp, cls, fcp, ttfb]) report(metric)
    const vitals = await vitalsOf(start)
    expect(vitals.map((v: any) => v.name)).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB'])
    expect(vitals[0]).toMatchObject({
      name: 'LCP', value: 1841, delta: 1841, rating: 'good', navigationType: 'navigate',
      attribution: { target: 'main>img.hero', timeToFirstByte: 120, resourceLoadDelay: 30, resourceLoadDuration: 901, elementRenderDelay: 789 },
    })
    expect(vitals[2]).toMatchObject({ value: 0.1235, delta: 0.1235, navigationType: 'back-forward-cache', attribution: { target: 'div.banner', largestShiftValue: 0.1 } })
    for (const vital of vitals as any[]) {
      expect(eventSchema.safeParse(vital).success).toBe(true)
      for (const value of Object.values(vital.attribution)) expect(typeof value === 'string' || Number.isFinite(value)).toBe(true)
      expect(vital).not.toHaveProperty('id', expect.stringMatching(/^v5/))
      expect(vital).not.toHaveProperty('entries')
    }
    // No URL, no node, no entry leaks: the LCP url with its token is not sent at all.
    expect(JSON.stringify(vitals)).not.toMatch(/token|hero\.jpg|lcpEntry|navigationEntry|interactionType/)
  })

  it('drops a metric whose value is not a finite number', async () => {
    const start = startTracker({ plugins: [webVitals()] })
    report({ ...lcp(), value: NaN })
    expect(await vitalsOf(start)).toEqual([])
  })

  it('registers web-vitals once per window however many plugins and trackers start', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    const second = startTracker({ plugins: [webVitals()] })
    expect(registered.map((r) => r.name)).toEqual(['LCP', 'INP', 'CLS', 'FCP', 'TTFB'])
    expect(registered[0].options).toMatchObject({ reportAllChanges: false })
    // Targets come from the shared selector builder, never a node.
    document.body.innerHTML = '<main><img class="hero" id="hero-img"></main>'
    expect(registered[0].options.generateTarget(document.querySelector('img'))).toBe('#hero-img')
    expect(registered[0].options.generateTarget(document.createTextNode('x'))).toBeUndefined()
    report(inp)
    expect(await vitalsOf(first)).toHaveLength(1)
    expect(await vitalsOf(second)).toHaveLength(1)
  })

  it('registers a second time only for the other reporting mode', () => {
    startTracker({ plugins: [webVitals(), webVitals({ reportAllChanges: true })] })
    startTracker({ plugins: [webVitals({ reportAllChanges: true })] })
    expect(registered).toHaveLength(10)
    expect(registered[5].options).toMatchObject({ reportAllChanges: true })
  })

  it('sends nothing after shutdown while another tracker keeps receiving', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    const second = startTracker({ plugins: [webVitals()] })
    await first.tracker.flush()
    first.tracker.shutdown()
    const before = first.sent.length
    report(cls)
    expect(first.sent.length).toBe(before)
    expect(await vitalsOf(second)).toHaveLength(1)
  })

  it('gives a tracker started later the latest value of metrics already reported', async () => {
    const first = startTracker({ plugins: [webVitals()] })
    report(ttfb)
    report({ ...cls, value: 0.2, delta: 0.1 })
    first.tracker.shutdown()
    const second = startTracker({ plugins: [webVitals()] })
    const vitals = await vitalsOf(second)
    expect(vitals.map((v: any) => [v.name, v.value, v.delta])).toEqual([['TTFB', 100, 100], ['CLS', 0.2, 0.2]])
  })

  it('sends vitals reported during the hidden event in the exit flush', () => {
    const start = startTracker({ plugins: [webVitals()] })
    // web-vitals reports the final INP from its own capture-phase listener on window.
    const onHidden = () => report(inp)
    window.addEventListener('visibilitychange', onHidden, true)
    setVisibility('hidden')
    window.removeEventListener('visibilitychange', onHidden, true)
    const exit = start.sent.find((s) => s.unloading)
    expect(exit?.batch.events.some((e) => e.type === 'vital')).toBe(true)
  })

  it('does not throw and sends nothing without PerformanceObserver', async () => {
    vi.stubGlobal('PerformanceObserver', undefined)
    const start = startTracker({ plugins: [webVitals()] })
    expect(registered).toHaveLength(0)
    expect(await vitalsOf(start)).toEqual([])
    vi.unstubAllGlobals()
  })

  it('a throwing emit never reaches web-vitals', () => {
    startTracker({ plugins: [webVitals()], beforeSend: () => { throw new Error('app bug') } })
    expect(() => report(fcp)).not.toThrow()
  })
})
