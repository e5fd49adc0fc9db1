import { afterEach, describe, expect, it, vi } from 'vitest'
import { quickBack } from '../../../src/plugins/quickBack'
import { eventSchema } from '../../../src/schema'
import { startTracker } from '../core/helpers'

const KEY = 'fl:views'
const start = (options: Parameters<typeof startTracker>[0] = {}, withinMs?: number) => {
  const fake = startTracker({ plugins: [quickBack({ withinMs })], ...options })
  // The signal is emitted a microtask after the view begins (once the view has its pageId).
  const signals = async () => (await Promise.resolve(), await fake.tracker.flush(), fake.events('quick_back') as any[])
  return { ...fake, signals }
}

afterEach(() => {
  sessionStorage.clear()
})

describe('quickBack', () => {
  it('emits quick_back on the page returned to when an SPA route is left within 10 s', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { signals, events } = start()
    vi.advanceTimersByTime(4000)
    history.pushState(null, '', '/pricing?plan=pro')
    vi.advanceTimersByTime(2500)
    history.pushState(null, '', '/')
    const sent = await signals()
    expect(sent).toEqual([expect.objectContaining({ type: 'quick_back', leftPath: '/pricing', durationMs: 2500 })])
    // It belongs to the page view returned to, and comes after that view's page event.
    const pages = events('page')
    expect(sent[0].pageId).toBe(pages[2].pageId)
    expect(events().indexOf(sent[0])).toBeGreaterThan(events().indexOf(pages[2]))
    expect(eventSchema.safeParse(sent[0]).success).toBe(true)
  })

  it('does not emit when the page left was read for longer, or the visitor went on', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { signals } = start()
    history.pushState(null, '', '/pricing')
    vi.advanceTimersByTime(12_000)
    history.pushState(null, '', '/') // back after 12 s
    history.pushState(null, '', '/signup') // on to another page
    expect(await signals()).toEqual([])
  })

  it('follows withinMs', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { signals } = start({}, 20_000)
    history.pushState(null, '', '/pricing')
    vi.advanceTimersByTime(15_000)
    history.pushState(null, '', '/')
    expect(await signals()).toMatchObject([{ leftPath: '/pricing', durationMs: 15_000 }])
  })

  it('sees a return across full page loads through sessionStorage', async () => {
    // The previous documents of this tab: / at t-6 s, /pricing at t-3 s; this load is / again.
    sessionStorage.setItem(
      KEY,
      JSON.stringify([
        { path: '/', at: Date.now() - 6000 },
        { path: '/pricing', at: Date.now() - 3000 },
      ]),
    )
    const { signals } = start()
    const sent = await signals()
    expect(sent).toEqual([expect.objectContaining({ leftPath: '/pricing', durationMs: expect.any(Number) })])
    expect(sent[0].durationMs).toBeGreaterThanOrEqual(3000)
    expect(JSON.parse(sessionStorage.getItem(KEY)!)).toEqual([{ path: '/', at: expect.any(Number) }])
  })

  it('writes nothing with storage "memory" or without consent; removes the views when consent is denied', async () => {
    start({ storage: 'memory' }).tracker.shutdown()
    start({ consent: 'pending' }).tracker.shutdown()
    expect(sessionStorage.getItem(KEY)).toBeNull()
    const { tracker } = start()
    expect(sessionStorage.getItem(KEY)).not.toBeNull()
    tracker.consent('denied')
    expect(sessionStorage.getItem(KEY)).toBeNull()
  })

  it('ignores stored views it cannot read', async () => {
    sessionStorage.setItem(KEY, '{not json')
    const { signals } = start()
    expect(await signals()).toEqual([])
    sessionStorage.setItem(KEY, JSON.stringify([{ path: 1 }, 'x']))
    expect(await start().signals()).toEqual([])
  })

  it('compares hash routes, not in-page anchors', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const { signals } = start({ hashRouting: true })
    location.hash = '#/cart'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    vi.advanceTimersByTime(1000)
    location.hash = ''
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    expect(await signals()).toMatchObject([{ leftPath: '/#/cart', durationMs: 1000 }])
  })
})
