import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { FrictionEvent } from '../../src/schema'

type Api = Record<string, (...args: any[]) => any>
const win = window as unknown as { frictionlog?: unknown }
const api = () => win.frictionlog as Api

describe('global (script tag)', () => {
  let bodies: Array<{ events: FrictionEvent[] }>
  const events = (type?: string) => bodies.flatMap((b) => b.events).filter((e) => !type || e.type === type)

  const load = async (data: Record<string, string> = {}) => {
    const script = document.createElement('script')
    for (const [key, value] of Object.entries(data)) script.setAttribute('data-' + key, value)
    Object.defineProperty(document, 'currentScript', { value: script, configurable: true })
    vi.resetModules()
    await import('../../src/global')
  }

  beforeEach(() => {
    bodies = []
    vi.stubGlobal(
      'fetch',
      vi.fn(async (_url: string, init: RequestInit) => {
        const isGzip = (init.headers as Record<string, string>)['Content-Encoding'] === 'gzip'
        const text = isGzip
          ? await new Response(
              new Blob([init.body as ArrayBuffer]).stream().pipeThrough(new DecompressionStream('gzip')),
            ).text()
          : (init.body as string)
        bodies.push(JSON.parse(text))
        return new Response(null, { status: 200 })
      }),
    )
    Object.defineProperty(navigator, 'sendBeacon', {
      configurable: true,
      value: vi.fn(() => true),
    })
  })
  afterEach(() => {
    ;(api()?.shutdown as () => void)?.()
    delete win.frictionlog
    delete (document as any).currentScript
    delete (navigator as any).sendBeacon
    vi.unstubAllGlobals()
    localStorage.clear()
    sessionStorage.clear()
    document.body.innerHTML = ''
    history.replaceState(null, '', '/')
  })

  it('auto-initializes from data-endpoint and exposes the tracker methods', async () => {
    await load({ endpoint: '/collect', site: 'landing' })
    for (const method of [
      'track',
      'page',
      'identify',
      'funnel',
      'experiment',
      'feedback',
      'consent',
      'captureError',
      'flush',
      'shutdown',
      'init',
    ]) {
      expect(typeof api()[method]).toBe('function')
    }
    api().track('cta_click', { position: 'hero' })
    await api().flush()
    const fetch = globalThis.fetch as unknown as ReturnType<typeof vi.fn>
    expect(fetch.mock.calls[0][0]).toBe('/collect')
    expect(bodies[0]).toMatchObject({ v: 1, site: 'landing' })
    expect(events('track')[0]).toMatchObject({ name: 'cta_click', props: { position: 'hero' } })
  })

  it('replays the snippet queue in order', async () => {
    win.frictionlog = [
      ['track', 'a'],
      ['identify', 'u'],
      ['track', 'b'],
    ]
    await load({ endpoint: '/e' })
    await api().flush()
    expect(
      events()
        .filter((e) => e.type === 'track' || e.type === 'identify')
        .map((e: any) => [e.type, e.name ?? e.userId, e.userId]),
    ).toEqual([
      ['track', 'a', undefined],
      ['identify', 'u', 'u'],
      ['track', 'b', 'u'],
    ])
  })

  it('waits for frictionlog.init() without data-endpoint, then runs the calls made meanwhile', async () => {
    await load()
    api().track('early')
    api().funnel('checkout', ['cart', 'pay']).step('cart')
    expect(globalThis.fetch).not.toHaveBeenCalled()
    api().init({ endpoint: '/later' })
    await api().flush()
    expect(events('track').map((e: any) => e.name)).toEqual(['early'])
    expect(events('funnel_step')[0]).toMatchObject({ funnel: 'checkout', step: 'cart', stepIndex: 0 })
  })

  it('takes init from the snippet queue', async () => {
    win.frictionlog = [
      ['track', 'queued'],
      ['init', { endpoint: '/q' }],
    ]
    await load()
    await api().flush()
    expect(events('track').map((e: any) => e.name)).toEqual(['queued'])
  })

  it('runs funnel steps through window.frictionlog.funnel()', async () => {
    await load({ endpoint: '/e' })
    const checkout = api().funnel('checkout', ['cart', 'pay'])
    expect(() => checkout.step('pay')).not.toThrow()
    await api().flush()
    expect(events('funnel_step')[0]).toMatchObject({ funnel: 'checkout', step: 'pay', stepIndex: 1 })
  })

  it('tracks data-fl-track clicks with data-fl-props, and data-fl-funnel steps', async () => {
    document.body.innerHTML = `
      <button data-fl-track="cta_click" data-fl-props='{"position":"hero"}'><span id="inner">Start</span></button>
      <a href="#" data-fl-funnel="checkout:cart" id="cart">Cart</a>
      <a href="#" data-fl-funnel="checkout:pay" id="pay">Pay</a>
      <button data-fl-track="broken" data-fl-props="{oops" id="broken">x</button>`
    await load({ endpoint: '/e' })
    document.getElementById('inner')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    document.getElementById('cart')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    document.getElementById('pay')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    document.getElementById('broken')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await api().flush()
    expect(events('track').map((e: any) => [e.name, e.props])).toEqual([
      ['cta_click', { position: 'hero' }],
      ['broken', {}],
    ])
    expect(events('funnel_step').map((e: any) => [e.funnel, e.step, e.stepIndex])).toEqual([
      ['checkout', 'cart', 0],
      ['checkout', 'pay', 1],
    ])
  })

  it('stops declarative tracking after shutdown', async () => {
    document.body.innerHTML = '<button data-fl-track="cta" id="b">x</button>'
    await load({ endpoint: '/e' })
    api().shutdown()
    const before = (globalThis.fetch as unknown as ReturnType<typeof vi.fn>).mock.calls.length
    document.getElementById('b')!.dispatchEvent(new MouseEvent('click', { bubbles: true }))
    await api().flush()
    expect((globalThis.fetch as unknown as ReturnType<typeof vi.fn>).mock.calls.length).toBe(before)
  })

  it('reads consent and storage from data attributes', async () => {
    await load({ endpoint: '/e', consent: 'pending', storage: 'memory' })
    api().track('held')
    await api().flush()
    expect(globalThis.fetch).not.toHaveBeenCalled()
    api().consent('granted')
    await api().flush()
    expect(events('track')).toHaveLength(1)
    expect(Object.keys(localStorage).filter((k) => k.startsWith('fl:'))).toEqual([])
  })

  it('reads data-hash-routing: a hash route is then a page view', async () => {
    await load({ endpoint: '/e', 'hash-routing': 'true' })
    location.hash = '#/cart'
    window.dispatchEvent(new HashChangeEvent('hashchange'))
    await api().flush()
    expect(events('page').map((e: any) => e.path)).toEqual(['/', '/#/cart'])
  })

  it('starts quickBack and excessiveScroll among the default plugins', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    await load({ endpoint: '/e' })
    history.pushState(null, '', '/pricing')
    vi.advanceTimersByTime(2000)
    history.pushState(null, '', '/')
    // 0, 1500, 0, 1500, 0, 1500: five legs, four reversals.
    for (let leg = 0; leg < 6; leg++) {
      Object.defineProperty(window, 'scrollY', { value: leg % 2 ? 1500 : 0, configurable: true })
      window.dispatchEvent(new Event('scroll'))
    }
    delete (window as any).scrollY
    await Promise.resolve()
    await api().flush()
    vi.useRealTimers()
    expect(events('quick_back')).toMatchObject([{ leftPath: '/pricing', durationMs: 2000 }])
    expect(events('excessive_scroll')).toMatchObject([{ reversals: 4 }])
  })

  it('ignores malformed snippet entries', async () => {
    win.frictionlog = [null, 'track', [42], ['nope'], ['track', 'ok']]
    await expect(load({ endpoint: '/e' })).resolves.toBeUndefined()
    await api().flush()
    expect(events('track').map((e: any) => e.name)).toEqual(['ok'])
  })
})
