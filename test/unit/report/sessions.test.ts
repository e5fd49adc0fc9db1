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
    const session = sessions.session(landing)
    const columns = sessions.columns()
    expect([columns.firstTs(session), columns.device(session), columns.source(session)]).toEqual([
      1000,
      'mobile',
      'ads',
    ])
  })

  it('count a session as returning when its visitor has an earlier one, by first ts then arrival', () => {
    const sessions = createSessionTracker()
    const at = (sessionId: string, anonymousId: unknown, ts: number) =>
      sessions.session(withContext({}, { sessionId, anonymousId, ts }))
    const later = at('later', 'v', 5000)
    const earlier = at('earlier', 'v', 3000)
    const tied = at('tied', 'v', 3000) // same first ts, stored after: returning
    const other = at('other', 'w', 9000)
    const anonymous = at('anonymous', undefined, 1000)
    const named = at('named', '(unknown)', 1000) // the report's name for "no visitor"
    const columns = sessions.columns()
    const returning = [later, earlier, tied, other, anonymous, named].map(columns.isReturning)
    expect(returning).toEqual([true, false, true, false, false, false])
    expect(sessions.visitors).toBe(3)
  })

  it('keep the worst LCP, the goal and errors per session', () => {
    const sessions = createSessionTracker()
    const a = sessions.session(withContext({}, { sessionId: 'a' }))
    const b = sessions.session(withContext({}, { sessionId: 'b' }))
    sessions.rateLcp(a, 3)
    sessions.rateLcp(a, 1)
    sessions.markGoal(a)
    sessions.rateLcp(b, 2)
    sessions.markError(b)
    const columns = sessions.columns()
    expect([a, b].map((s) => [columns.worstLcp(s), columns.hasGoal(s), columns.hadError(s)])).toEqual([
      [3, true, false],
      [2, false, true],
    ])
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
