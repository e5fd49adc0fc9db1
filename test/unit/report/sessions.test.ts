// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createSessionTracker, sourceOf } from '../../../src/report/sessions'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeEvent } from '../support/events'

const withContext = (context: Record<string, unknown>, fields: Record<string, unknown> = {}) => {
  const base = makeEvent(fields)
  return { ...base, context: { ...(base.context as object), ...context } } as unknown as FrictionEvent
}

describe('sourceOf', () => {
  it.each([
    [{ utm: { source: 'Newsletter' }, referrer: 'https://www.google.com/' }, 'newsletter'],
    [{ utm: {}, referrer: 'https://www.google.com/search?q=x' }, 'google.com'],
    [{ utm: {}, referrer: 'https://shop.example/cart' }, 'direct'], // a page of the site itself
    [{ utm: {}, referrer: '' }, 'direct'],
    [{ utm: {}, referrer: 'not a url' }, 'direct'],
  ])('reads %j as %s', (context, source) => {
    expect(sourceOf(withContext(context, { url: 'https://shop.example/pricing' }))).toBe(source)
  })
})

describe('session segments', () => {
  it('come from the earliest event of the session, whatever the arrival order', () => {
    const sessions = createSessionTracker()
    const later = withContext(
      { deviceType: 'desktop', utm: {}, referrer: '' },
      { ts: 2000, sessionId: 's', anonymousId: 'v' },
    )
    const landing = withContext(
      { deviceType: 'mobile', utm: { source: 'ads' }, referrer: '' },
      { ts: 1000, sessionId: 's', anonymousId: 'v' },
    )
    sessions.session(later)
    const state = sessions.session(landing)
    expect(state).toMatchObject({ firstTs: 1000, device: 'mobile', source: 'ads', visitor: 'v' })
  })
})

describe('new vs returning', () => {
  it('counts a visitor’s later sessions as returning, its earliest stored one as new', async () => {
    const { buildReport } = await import('../../../src/collector/index')
    const exposure = (sessionId: string, anonymousId: string, ts: number, variant: string) =>
      withContext(
        { experiments: { hero: variant } },
        { type: 'experiment', experiment: 'hero', variant, sessionId, anonymousId, ts },
      )
    const step = (sessionId: string, ts: number) =>
      withContext(
        {},
        {
          type: 'funnel_step',
          funnel: 'checkout',
          step: 'done',
          stepIndex: 0,
          msSincePrevious: null,
          props: {},
          sessionId,
          ts,
        },
      )
    const report = await buildReport([
      exposure('late', 'v1', 5000, 'B'),
      step('late', 5001), // stored first, happened last
      exposure('early', 'v1', 1000, 'A'),
      exposure('other', 'v2', 3000, 'B'),
    ])
    const rows = report.experiments[0].segments!.rows.filter((r) => r.dimension === 'visitor')
    const returning = rows.find((r) => r.segment === 'returning')!
    expect(returning.sessions).toBe(1)
    expect(returning.variant.k).toBe(1)
    expect(rows.find((r) => r.segment === 'new')!.sessions).toBe(2)
  })
})
