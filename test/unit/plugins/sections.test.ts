import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { eventSchema } from '../../../src/schema'
import { sections } from '../../../src/plugins/sections'
import { setVisibility, startTracker } from '../core/helpers'

// A hand-driven IntersectionObserver: `show(el, ratio)` delivers an entry as the browser would.
interface FakeObserver {
  callback: IntersectionObserverCallback
  options?: IntersectionObserverInit
  targets: Set<Element>
  isDisconnected: boolean
}
let observers: FakeObserver[] = []
class FakeIntersectionObserver {
  record: FakeObserver
  constructor(callback: IntersectionObserverCallback, options?: IntersectionObserverInit) {
    this.record = { callback, options, targets: new Set(), isDisconnected: false }
    observers.push(this.record)
  }
  observe(el: Element) {
    this.record.targets.add(el)
  }
  unobserve(el: Element) {
    this.record.targets.delete(el)
  }
  disconnect() {
    this.record.targets.clear()
    this.record.isDisconnected = true
  }
  takeRecords() {
    return []
  }
}
const VIEWPORT_PX = 800
const show = (selector: string, ratio: number, heightPx = 400) => {
  const target = document.querySelector(selector)!
  const observer = observers[0]
  if (!observer.targets.has(target)) return
  const entry = {
    target,
    isIntersecting: ratio > 0,
    intersectionRatio: ratio,
    intersectionRect: { height: heightPx * ratio },
    rootBounds: { height: VIEWPORT_PX },
  } as unknown as IntersectionObserverEntry
  observer.callback([entry], observer as unknown as IntersectionObserver)
}
const sectionsOf = async (start: ReturnType<typeof startTracker>) => {
  await start.tracker.flush()
  return start.events('section') as any[]
}

beforeEach(() => {
  observers = []
  vi.stubGlobal('IntersectionObserver', FakeIntersectionObserver)
  vi.useFakeTimers()
  document.body.innerHTML = `
    <section data-fl-section="hero"></section>
    <section id="features" data-fl-section></section>
    <section data-fl-section="pricing"></section>
    <section data-fl-section=""></section>`
})
afterEach(() => {
  vi.unstubAllGlobals()
  document.body.innerHTML = ''
})

describe('sections', () => {
  it('sends each seen section at page hide with visible time and the order first seen', async () => {
    const start = startTracker({ plugins: [sections()] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(1500)
    show('#features', 0.6)
    vi.advanceTimersByTime(300)
    show('[data-fl-section=hero]', 0.2)
    vi.advanceTimersByTime(900)
    show('[data-fl-section=pricing]', 0.5)
    vi.advanceTimersByTime(2000)
    setVisibility('hidden')
    const events = await sectionsOf(start)
    expect(events.map((e) => [e.section, e.visibleMs, e.order])).toEqual([
      ['hero', 1800, 1],
      ['features', 3200, 2],
      ['pricing', 2000, 3],
    ])
    for (const event of events) expect(eventSchema.safeParse(event).success).toBe(true)
    // In the exit batch, sent with the page's other events.
    expect(start.sent.find((s) => s.unloading)?.batch.events.filter((e) => e.type === 'section')).toHaveLength(3)
  })

  it('orders by the moment minVisibleMs was reached, not by when a section appeared', async () => {
    const start = startTracker({ plugins: [sections({ minVisibleMs: 1000 })] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(500)
    show('[data-fl-section=hero]', 0)
    show('#features', 1)
    vi.advanceTimersByTime(1000)
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(600)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => [e.section, e.order])).toEqual([
      ['features', 1],
      ['hero', 2],
    ])
  })

  it('does not count a section seen for less than minVisibleMs or below the threshold', async () => {
    const start = startTracker({ plugins: [sections()] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(999)
    show('[data-fl-section=hero]', 0)
    show('#features', 0.4)
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    expect(await sectionsOf(start)).toEqual([])
  })

  it('counts a section taller than the viewport once it fills the threshold share of it', async () => {
    const start = startTracker({ plugins: [sections()] })
    // 3 viewports tall: 30 % of it covers the whole viewport.
    show('[data-fl-section=pricing]', 0.3, VIEWPORT_PX * 3)
    vi.advanceTimersByTime(1200)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => e.section)).toEqual(['pricing'])
  })

  it('does not count time while the page is hidden', async () => {
    const start = startTracker({ plugins: [sections()] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(600)
    setVisibility('hidden')
    vi.advanceTimersByTime(60_000)
    setVisibility('visible')
    vi.advanceTimersByTime(600)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => [e.section, e.visibleMs])).toEqual([['hero', 1200]])
  })

  it('sends a section at most once per page view; sections seen later go at the next exit', async () => {
    const start = startTracker({ plugins: [sections()] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    window.dispatchEvent(new Event('pagehide'))
    setVisibility('visible')
    show('#features', 1)
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => [e.section, e.order])).toEqual([
      ['hero', 1],
      ['features', 2],
    ])
  })

  it('sends at a route change and restarts time and order for the new page view', async () => {
    const start = startTracker({ plugins: [sections()] })
    show('[data-fl-section=hero]', 1)
    vi.advanceTimersByTime(1000)
    history.pushState(null, '', '/next')
    vi.advanceTimersByTime(1500)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => [e.section, e.visibleMs, e.order])).toEqual([
      ['hero', 1000, 1],
      ['hero', 1500, 1],
    ])
  })

  it('observes sections added to the DOM later, once per burst of mutations', async () => {
    const start = startTracker({ plugins: [sections()] })
    const observer = observers[0]
    expect(observer.targets.size).toBe(4)
    const observe = vi.spyOn(FakeIntersectionObserver.prototype, 'observe')
    document.body.insertAdjacentHTML('beforeend', '<div data-fl-section="faq"></div>')
    document.body.insertAdjacentHTML('beforeend', '<p>text</p>')
    await vi.advanceTimersByTimeAsync(500)
    expect(observer.targets.size).toBe(5)
    expect(observe).toHaveBeenCalledTimes(5)
    show('[data-fl-section=faq]', 1)
    vi.advanceTimersByTime(1000)
    setVisibility('hidden')
    expect((await sectionsOf(start)).map((e) => e.section)).toEqual(['faq'])
  })

  it('skips sections with neither a name nor an id', async () => {
    const start = startTracker({ plugins: [sections({ minVisibleMs: 0 })] })
    show('[data-fl-section=""]:not([id])', 1)
    setVisibility('hidden')
    expect(await sectionsOf(start)).toEqual([])
  })

  it('honours selector and threshold options', () => {
    document.body.innerHTML = '<div class="block" id="a"></div>'
    startTracker({ plugins: [sections({ selector: '.block', threshold: 0.25 })] })
    expect([...observers[0].targets].map((el) => el.id)).toEqual(['a'])
    expect(observers[0].options?.threshold).toContain(0.25)
  })

  it('disconnects its observers and timers on shutdown and sends nothing after', async () => {
    const start = startTracker({ plugins: [sections()] })
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect')
    document.body.insertAdjacentHTML('beforeend', '<div data-fl-section="late"></div>')
    await Promise.resolve()
    show('[data-fl-section=hero]', 1)
    start.tracker.shutdown()
    expect(observers[0].isDisconnected).toBe(true)
    expect(disconnect).toHaveBeenCalled()
    expect(vi.getTimerCount()).toBe(0)
    const before = start.sent.length
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    expect(start.sent.length).toBe(before)
  })

  it('does not throw and sends nothing without IntersectionObserver', async () => {
    vi.stubGlobal('IntersectionObserver', undefined)
    const start = startTracker({ plugins: [sections()] })
    vi.advanceTimersByTime(5000)
    setVisibility('hidden')
    expect(await sectionsOf(start)).toEqual([])
  })
})
