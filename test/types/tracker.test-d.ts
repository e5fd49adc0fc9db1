import { describe, expectTypeOf, it } from 'vitest'
import {
  createTracker,
  type EventOf,
  type FrictionEvent,
  type Funnel,
  type SendResult,
  type Tracker,
  type Transport,
  type WireBatch,
} from '../../src'

type Events = {
  signup: { plan: 'free' | 'pro' }
  cta_click: { position: string }
  newsletter: { source?: string }
}

describe('Tracker types', () => {
  const fl = createTracker<Events>({ endpoint: '/e' })

  it('checks track against the Events map', () => {
    fl.track('signup', { plan: 'pro' })
    fl.track('cta_click', { position: 'hero' })
    // @ts-expect-error an unknown event name
    fl.track('signout', { plan: 'pro' })
    // @ts-expect-error a wrong prop value
    fl.track('signup', { plan: 'enterprise' })
    // @ts-expect-error a missing required prop
    fl.track('signup', {})
    // @ts-expect-error props are required when one of them is
    fl.track('signup')
    expectTypeOf(fl.track<'signup'>)
      .parameter(1)
      .toEqualTypeOf<{ plan: 'free' | 'pro' }>()
  })

  it('makes props optional when all of them are', () => {
    fl.track('newsletter')
    fl.track('newsletter', {})
    fl.track('newsletter', { source: 'footer' })
    // @ts-expect-error still checked when given
    fl.track('newsletter', { source: 1 })
  })

  it('accepts any name and props without an Events map', () => {
    const loose = createTracker({ endpoint: '/e' })
    loose.track('anything', { a: 1 })
    loose.track('anything')
    expectTypeOf(loose).toEqualTypeOf<Tracker>()
  })

  it('types the other methods', () => {
    expectTypeOf(fl.flush).returns.toEqualTypeOf<Promise<void>>()
    expectTypeOf(fl.funnel('checkout', ['cart', 'pay'] as const)).toEqualTypeOf<Funnel<'cart' | 'pay'>>()
    // @ts-expect-error a step that is not declared
    fl.funnel('checkout', ['cart', 'pay'] as const).step('ship')
    // @ts-expect-error consent has three states
    fl.consent('maybe')
    // @ts-expect-error feedback answers are text or numbers
    fl.feedback('q', true)
    fl.feedback('q', 9)
  })

  it('gives EventOf<"scroll"> its depthPct', () => {
    expectTypeOf<EventOf<'scroll'>>().toHaveProperty('depthPct').toEqualTypeOf<number>()
    expectTypeOf<EventOf<'track'>>().toHaveProperty('props').toEqualTypeOf<Record<string, unknown>>()
  })
})

describe('Transport types', () => {
  it('accepts a custom transport that names the events it could not send', () => {
    const transport: Transport = (batch: WireBatch, { unloading }): SendResult =>
      unloading ? { ok: false, unsent: batch.events.slice(1) } : { ok: true }
    createTracker({ endpoint: '/e', transport })
    createTracker({ endpoint: '/e', transport: async () => ({ ok: false, isFatal: true }) })
    expectTypeOf<SendResult['unsent']>().toEqualTypeOf<FrictionEvent[] | undefined>()
    // @ts-expect-error `ok` is required
    createTracker({ endpoint: '/e', transport: () => ({}) })
  })
})
