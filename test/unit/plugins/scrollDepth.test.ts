import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FrictionEvent } from '../../../src/schema'
import { scrollDepth, type ScrollDepthOptions } from '../../../src/plugins/scrollDepth'
import { startTracker } from '../core/helpers'

let heightReads = 0
let pageHeight = 0
const observers: Array<() => void> = []

/** A ResizeObserver whose callbacks the test fires, as a browser does after layout. */
class FakeResizeObserver {
  constructor(private callback: () => void) {}
  observe() {
    observers.push(this.callback)
  }
  disconnect() {
    observers.splice(observers.indexOf(this.callback), 1)
  }
}

/** happy-dom has no layout: the page's height, viewport and scroll position are set here. */
const layout = ({
  height = pageHeight,
  viewport = 1000,
  scroll = 0,
}: {
  height?: number
  viewport?: number
  scroll?: number
}) => {
  pageHeight = height
  Object.defineProperty(window, 'innerHeight', { value: viewport, configurable: true })
  Object.defineProperty(window, 'scrollY', { value: scroll, configurable: true })
}
const scrollTo = (scroll: number) => {
  layout({ scroll })
  window.dispatchEvent(new Event('scroll'))
}

const start = (options?: ScrollDepthOptions) => {
  const seen: FrictionEvent[] = []
  const { tracker } = startTracker({
    plugins: [scrollDepth(options)],
    beforeSend: (event) => (seen.push(event), event),
  })
  // flush() first: the pipeline processes events (and runs beforeSend) deferred, in slices.
  const depths = () => (
    void tracker.flush(),
    seen.flatMap((event) => (event.type === 'scroll' ? [event.depthPct] : []))
  )
  return { tracker, seen, depths }
}

beforeEach(() => {
  heightReads = 0
  vi.stubGlobal('ResizeObserver', FakeResizeObserver)
  Object.defineProperty(document.documentElement, 'scrollHeight', {
    configurable: true,
    get: () => (heightReads++, pageHeight),
  })
  Object.defineProperty(document.body, 'scrollHeight', { configurable: true, get: () => 0 })
})
afterEach(() => {
  vi.unstubAllGlobals()
  observers.length = 0
  delete (document.documentElement as any).scrollHeight
  delete (document.body as any).scrollHeight
  delete (document as any).readyState
})

describe('scrollDepth', () => {
  it('emits 25 and 50 once when the page is scrolled past half, with the page height', () => {
    layout({ height: 4000, viewport: 500 })
    const { seen, depths } = start()
    scrollTo(1600) // bottom of the viewport at 2100 px of 4000: 52 %
    scrollTo(1600)
    expect(depths()).toEqual([25, 50])
    expect(seen.find((event) => event.type === 'scroll')).toMatchObject({
      type: 'scroll',
      depthPct: 25,
      pageHeight: 4000,
    })
  })

  it('emits every milestone once, in order, when scrolled to the bottom in steps and back', () => {
    layout({ height: 5000, viewport: 1000 })
    const { depths } = start()
    for (let y = 0; y <= 4000; y += 250) scrollTo(y)
    scrollTo(0)
    scrollTo(4000)
    expect(depths()).toEqual([25, 50, 75, 90, 100])
  })

  it('emits all milestones at once, lowest first, for a page shorter than the viewport', () => {
    layout({ height: 600, viewport: 1000 })
    expect(start().depths()).toEqual([25, 50, 75, 90, 100])
  })

  it('reports the depth of a page that loads already scrolled', () => {
    layout({ height: 4000, viewport: 1000, scroll: 2000 })
    expect(start().depths()).toEqual([25, 50, 75])
  })

  it('waits for load before the first check, so a half-parsed page does not look short', () => {
    Object.defineProperty(document, 'readyState', { value: 'loading', configurable: true })
    layout({ height: 300, viewport: 1000 })
    const { depths } = start()
    expect(depths()).toEqual([])
    layout({ height: 4000 })
    window.dispatchEvent(new Event('load'))
    expect(depths()).toEqual([25])
  })

  it('confirms a milestone against the current height when the page grew (lazy content)', () => {
    layout({ height: 2000, viewport: 1000 })
    const { seen, depths } = start() // 50 % of 2000 px
    layout({ height: 8000 }) // grew, and no observer told us
    scrollTo(1000) // looks like 100 % of the cached 2000 px, is 25 % of 8000 px
    expect(depths()).toEqual([25, 50])
    scrollTo(3000) // 50 % of 8000 px, already reported
    scrollTo(5000) // 75 %
    expect(depths()).toEqual([25, 50, 75])
    expect(seen.at(-1)).toMatchObject({ depthPct: 75, pageHeight: 8000 })
  })

  it('refreshes the cached height from the ResizeObserver when the page shrinks', () => {
    layout({ height: 8000, viewport: 1000 })
    const { depths } = start()
    layout({ height: 2000 })
    observers.forEach((callback) => callback())
    scrollTo(1000) // the bottom of 2000 px; the stale 8000 px would say 25 %
    expect(depths()).toEqual([25, 50, 75, 90, 100])
  })

  it('does no layout read while scrolling between milestones', () => {
    layout({ height: 10_000, viewport: 1000 })
    start()
    const before = heightReads
    for (let y = 0; y < 1400; y += 10) scrollTo(y) // below 25 % all along
    expect(heightReads).toBe(before)
  })

  it('uses custom milestones', () => {
    layout({ height: 4000, viewport: 1000 })
    const { depths } = start({ milestones: [10, 60] })
    scrollTo(3000)
    expect(depths()).toEqual([10, 60])
  })

  it('starts over on an SPA route change, once the new view has rendered', () => {
    vi.useFakeTimers()
    layout({ height: 4000, viewport: 1000 })
    const { depths } = start()
    scrollTo(3000)
    expect(depths()).toEqual([25, 50, 75, 90, 100])
    history.pushState(null, '', '/next')
    layout({ height: 900, scroll: 0 }) // the new view is short
    expect(depths()).toHaveLength(5)
    vi.advanceTimersByTime(500)
    expect(depths()).toEqual([25, 50, 75, 90, 100, 25, 50, 75, 90, 100])
  })

  it('works without ResizeObserver', () => {
    vi.stubGlobal('ResizeObserver', undefined)
    layout({ height: 4000, viewport: 1000 })
    const { depths } = start()
    scrollTo(3000)
    expect(depths()).toEqual([25, 50, 75, 90, 100])
  })

  it('emits nothing and observes nothing after shutdown', () => {
    vi.useFakeTimers()
    layout({ height: 4000, viewport: 1000 })
    const { tracker, depths } = start()
    expect(depths()).toEqual([25]) // the viewport shows the first quarter
    history.pushState(null, '', '/next') // leaves a pending route timer
    tracker.shutdown()
    expect(observers).toHaveLength(0)
    scrollTo(3000)
    vi.advanceTimersByTime(1000)
    expect(depths()).toEqual([25])
  })
})
