import { describe, expect, it, vi } from 'vitest'
import { createFunnel, type FunnelHost } from '../../../src/core/funnel'
import type { FunnelProgress } from '../../../src/core/session'
import { startTracker } from './helpers'

const host = (clock = { t: 1000 }) => {
  const progress: Record<string, FunnelProgress> = {}
  const steps: unknown[] = []
  const fake: FunnelHost = {
    progress: (name) => (progress[name] ??= { reached: [], lastTs: 0 }),
    save: vi.fn(),
    emitStep: (fields) => steps.push(fields),
    debug: vi.fn(),
    now: () => clock.t,
  }
  return { fake, steps, clock }
}

describe('createFunnel', () => {
  it('emits each step with its index and the time since the previous step', () => {
    const { fake, steps, clock } = host()
    const funnel = createFunnel('checkout', ['cart', 'shipping', 'payment', 'done'], fake)
    funnel.step('cart')
    clock.t += 2500
    funnel.step('shipping', { items: 3 })
    expect(steps).toEqual([
      { funnel: 'checkout', step: 'cart', stepIndex: 0, msSincePrevious: null, props: {} },
      { funnel: 'checkout', step: 'shipping', stepIndex: 1, msSincePrevious: 2500, props: { items: 3 } },
    ])
    expect(fake.save).toHaveBeenCalledTimes(2)
  })

  it('gives an out-of-order step its real index', () => {
    const { fake, steps } = host()
    const funnel = createFunnel('checkout', ['cart', 'shipping', 'payment'], fake)
    funnel.step('payment')
    funnel.step('cart')
    expect(steps.map((s: any) => s.stepIndex)).toEqual([2, 0])
  })

  it('does not count a repeated step', () => {
    const { fake, steps } = host()
    const funnel = createFunnel('checkout', ['cart', 'shipping'], fake)
    funnel.step('cart')
    funnel.step('cart')
    expect(steps).toHaveLength(1)
    expect(fake.debug).toHaveBeenCalledWith('repeated-funnel-step', 'checkout:cart')
  })

  it('ignores a step that is not declared', () => {
    const { fake, steps } = host()
    createFunnel('checkout', ['cart'], fake).step('nope' as 'cart')
    expect(steps).toEqual([])
    expect(fake.debug).toHaveBeenCalledWith('unknown-funnel-step', 'checkout:nope')
  })

  it('appends steps in the order reached when no step list is given (declarative funnels)', () => {
    const { fake, steps } = host()
    const funnel = createFunnel<string>('signup', [], fake)
    funnel.step('start')
    funnel.step('email')
    expect(steps.map((s: any) => [s.step, s.stepIndex])).toEqual([
      ['start', 0],
      ['email', 1],
    ])
  })
})

describe('tracker.funnel', () => {
  it('sends funnel_step events', async () => {
    vi.useFakeTimers()
    const { tracker, events } = startTracker()
    const checkout = tracker.funnel('checkout', ['cart', 'shipping'])
    checkout.step('cart')
    vi.advanceTimersByTime(1200)
    checkout.step('shipping', { items: 3 })
    await tracker.flush()
    expect(events('funnel_step')).toMatchObject([
      { funnel: 'checkout', step: 'cart', stepIndex: 0, msSincePrevious: null },
      { funnel: 'checkout', step: 'shipping', stepIndex: 1, msSincePrevious: 1200, props: { items: 3 } },
    ])
  })

  it('keeps progress for a new tracker in the same session (same localStorage)', async () => {
    const first = startTracker()
    first.tracker.funnel('checkout', ['cart', 'shipping']).step('cart')
    first.tracker.shutdown()
    const second = startTracker()
    const checkout = second.tracker.funnel('checkout', ['cart', 'shipping'])
    checkout.step('cart')
    checkout.step('shipping')
    await second.tracker.flush()
    expect(second.events('funnel_step')).toMatchObject([
      { step: 'shipping', stepIndex: 1, msSincePrevious: expect.any(Number) },
    ])
  })

  it('drops an invalid funnel or step name without throwing', async () => {
    const { tracker, events } = startTracker()
    expect(() => tracker.funnel('', ['a']).step('a')).not.toThrow()
    tracker.funnel('f', ['a']).step(42 as any)
    await tracker.flush()
    expect(events('funnel_step')).toEqual([])
  })
})
