import { describe, expect, it, vi } from 'vitest'
import type { Plugin } from '../../../src/core/types'
import { setVisibility, startTracker } from './helpers'

describe('listener balance', () => {
  it('binds every listener it adds to a signal that shutdown aborts', () => {
    const spies = [vi.spyOn(window, 'addEventListener'), vi.spyOn(document, 'addEventListener')]
    const plugin: Plugin = { name: 'p', setup: (ctx) => ctx.listen(document, 'click', () => {}) }
    const { tracker } = startTracker({ plugins: [plugin] })
    const calls = spies.flatMap((spy) => spy.mock.calls)
    expect(calls.length).toBeGreaterThan(5)
    for (const [, , options] of calls) expect((options as AddEventListenerOptions)?.signal).toBeInstanceOf(AbortSignal)
    tracker.shutdown()
    for (const [, , options] of calls) expect((options as AddEventListenerOptions).signal?.aborted).toBe(true)
  })

  it.each<[string, () => void]>([
    ['scroll', () => window.dispatchEvent(new Event('scroll'))],
    ['click', () => document.body.dispatchEvent(new MouseEvent('click', { bubbles: true }))],
    ['visibilitychange', () => setVisibility('hidden')],
    ['pagehide', () => window.dispatchEvent(new Event('pagehide'))],
    [
      'popstate',
      () => {
        history.replaceState(null, '', '/elsewhere')
        window.dispatchEvent(new PopStateEvent('popstate'))
      },
    ],
    ['hashchange', () => window.dispatchEvent(new HashChangeEvent('hashchange'))],
    ['pushState', () => history.pushState(null, '', '/pushed')],
    ['online', () => window.dispatchEvent(new Event('online'))],
  ])('emits and sends nothing on %s after shutdown', (_name, fire) => {
    const handler = vi.fn()
    const plugin: Plugin = {
      name: 'p',
      setup(ctx) {
        for (const type of ['scroll', 'click', 'visibilitychange', 'pagehide', 'popstate'])
          ctx.listen(window, type, handler)
        ctx.onHidden(handler)
        ctx.onRouteChange(handler)
      },
    }
    const { tracker, transport } = startTracker({ plugins: [plugin] })
    tracker.shutdown()
    const calls = transport.mock.calls.length
    fire()
    expect(handler).not.toHaveBeenCalled()
    expect(transport.mock.calls.length).toBe(calls)
  })
})
