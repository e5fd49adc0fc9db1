import { describe, expect, it, vi } from 'vitest'
import { startTracker } from './helpers'

const paths = (events: Array<{ type: string }>) =>
  events.filter((e) => e.type === 'page').map((e: any) => [e.path, e.navigation])

describe('page views', () => {
  it.each<[string, () => void]>([
    ['pushState', () => history.pushState(null, '', '/next')],
    ['replaceState', () => history.replaceState(null, '', '/next')],
    [
      'popstate',
      () => {
        history.replaceState.call(history, null, '', '/next') // an already-restored history step
        window.dispatchEvent(new PopStateEvent('popstate'))
      },
    ],
    [
      'hashchange to a new path',
      () => {
        history.replaceState.call(history, null, '', '/next#top')
        window.dispatchEvent(new HashChangeEvent('hashchange'))
      },
    ],
  ])('records a spa page view on %s', async (_name, navigate) => {
    const { tracker, events } = startTracker()
    navigate()
    await tracker.flush()
    expect(paths(events())).toHaveLength(2)
    expect(paths(events())[1][1]).toBe('spa')
  })

  it('records one view per distinct URL', async () => {
    const { tracker, events } = startTracker()
    history.pushState(null, '', '/a')
    history.replaceState(null, '', '/a')
    window.dispatchEvent(new PopStateEvent('popstate'))
    tracker.page()
    history.pushState(null, '', '/b')
    await tracker.flush()
    expect(paths(events())).toEqual([
      ['/', 'load'],
      ['/a', 'spa'],
      ['/b', 'spa'],
    ])
  })

  it('gives each view its own pageId, carried by the events of that view', async () => {
    const { tracker, events } = startTracker()
    tracker.track('first')
    history.pushState(null, '', '/a')
    tracker.track('second')
    await tracker.flush()
    const [page1, track1, , page2, track2] = events()
    expect(track1.pageId).toBe(page1.pageId)
    expect(track2.pageId).toBe(page2.pageId)
    expect(page2.pageId).not.toBe(page1.pageId)
  })

  it('ends the previous view with page_leave (engagedMs, maxScrollPct, durationMs) before the next page', async () => {
    vi.useFakeTimers()
    const { tracker, events } = startTracker()
    vi.advanceTimersByTime(3000)
    window.dispatchEvent(new Event('scroll'))
    vi.advanceTimersByTime(2000)
    history.pushState(null, '', '/a')
    await tracker.flush()
    expect(events().map((e) => e.type)).toEqual(['page', 'page_leave', 'page'])
    const leave = events('page_leave')[0] as any
    expect(leave.pageId).toBe(events()[0].pageId)
    expect(leave).toMatchObject({ durationMs: 5000, engagedMs: 5000, maxScrollPct: expect.any(Number) })
    expect(leave.maxScrollPct).toBeGreaterThanOrEqual(0)
    expect(leave.maxScrollPct).toBeLessThanOrEqual(100)
  })

  it('does not count idle or hidden time as engaged', () => {
    vi.useFakeTimers()
    const { events } = startTracker()
    vi.advanceTimersByTime(120_000) // two minutes without any activity
    window.dispatchEvent(new Event('pagehide'))
    const leave = events('page_leave')[0] as any
    expect(leave.durationMs).toBe(120_000)
    expect(leave.engagedMs).toBeLessThanOrEqual(30_000)
  })

  it('sends the pathname only as page.path: the query stays in the scrubbed url', async () => {
    history.replaceState(null, '', '/pricing?utm_source=news&email=a@b.example#plans')
    const { tracker, events } = startTracker()
    await tracker.flush()
    expect(events('page')[0]).toMatchObject({
      path: '/pricing',
      url: expect.stringContaining('/pricing?utm_source=news&email=[redacted]'),
    })
  })

  it.each<[string, () => void]>([
    [
      'an in-page link (location.hash)',
      () => {
        location.hash = '#signup'
        window.dispatchEvent(new HashChangeEvent('hashchange'))
      },
    ],
    ['pushState of a hash', () => history.pushState(null, '', '#pricing')],
    [
      'a popstate back to no hash',
      () => {
        history.pushState(null, '', '#pricing')
        history.replaceState.call(history, null, '', '/')
        window.dispatchEvent(new PopStateEvent('popstate'))
      },
    ],
  ])('keeps the page view when only the hash changes: %s', async (_name, navigate) => {
    vi.useFakeTimers()
    const { tracker, events } = startTracker({ debug: false })
    navigate()
    vi.advanceTimersByTime(10)
    await tracker.flush()
    expect(events().map((e) => e.type)).toEqual(['page'])
  })

  it('makes a hash change a new page view with hashRouting, the hash route in page.path', async () => {
    history.replaceState(null, '', '/app#/cart?step=1')
    const { tracker, events } = startTracker({ hashRouting: true })
    location.hash = '#/pay'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await tracker.flush()
    expect(events().map((e) => e.type)).toEqual(['page', 'page_leave', 'page'])
    expect(paths(events())).toEqual([
      ['/app#/cart', 'load'],
      ['/app#/pay', 'spa'],
    ])
  })

  it('restores the history methods on shutdown', () => {
    const original = { push: history.pushState, replace: history.replaceState }
    const { tracker } = startTracker()
    expect(history.pushState).not.toBe(original.push)
    tracker.shutdown()
    expect(history.pushState).toBe(original.push)
    expect(history.replaceState).toBe(original.replace)
  })

  it('leaves history alone on shutdown when someone else wrapped it after us', () => {
    const original = history.pushState
    const { tracker, events } = startTracker()
    const ours = history.pushState
    const routerWrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      return ours.apply(this, args)
    }
    history.pushState = routerWrapper
    tracker.shutdown()
    expect(history.pushState).toBe(routerWrapper)
    const count = events().length
    history.pushState(null, '', '/after') // still works, records nothing
    expect(events().length).toBe(count)
    history.pushState = original
  })

  it('records a bfcache view on pageshow with persisted', async () => {
    const { tracker, events } = startTracker()
    const pageshow = new Event('pageshow')
    Object.defineProperty(pageshow, 'persisted', { value: true })
    window.dispatchEvent(pageshow)
    await tracker.flush()
    expect(paths(events())).toEqual([
      ['/', 'load'],
      ['/', 'bfcache'],
    ])
  })
})
