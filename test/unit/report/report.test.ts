// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { buildReport, createReport } from '../../../src/collector/index'
import { UNREAD_KEYS } from '../../../src/report/buildReport'
import { judge, orderVariants } from '../../../src/report/experiments'
import { sampleRatioMismatch } from '../../../src/report/experiments/srm'
import type { VariantReport } from '../../../src/report/types'
import { makeEvent } from '../support/events'
import { emptyTruth, generateEvents } from './fixtures'

/** An event of `session` on `path`; the session's visitor is `v-<session>`. */
const ev = (
  session: string,
  path: string,
  type: string,
  fields: Record<string, unknown> = {},
  experiments: Record<string, string> = {},
) => {
  const base = makeEvent({
    type,
    sessionId: session,
    anonymousId: `v-${session}`,
    url: `https://shop.example${path}?x=1`,
    ...fields,
  })
  return { ...base, context: { ...(base.context as object), experiments } }
}
const step = (session: string, index: number, msSincePrevious: number | null) =>
  ev(session, '/checkout', 'funnel_step', {
    funnel: 'checkout',
    step: ['cart', 'pay', 'done'][index],
    stepIndex: index,
    msSincePrevious,
    props: {},
  })
const expose = (session: string, variant: string) => ev(session, '/', 'experiment', { experiment: 'hero', variant })
const lcp = (session: string, value: number, rating: string, target?: string) =>
  ev(session, '/cart', 'vital', {
    name: 'LCP',
    value,
    delta: value,
    rating,
    navigationType: 'navigate',
    attribution: target ? { target } : {},
  })

/**
 * A small shop: five sessions through a three-step checkout, an A/B test where s2 also saw B,
 * and one of each friction signal. Exposure of s5 comes after its conversion, on purpose.
 */
const DATASET = [
  expose('s1', 'control'),
  step('s1', 0, null),
  step('s1', 1, 1000),
  step('s1', 2, 3000),
  expose('s2', 'control'),
  step('s2', 0, null),
  step('s2', 1, 2000),
  expose('s2', 'B'),
  expose('s3', 'B'),
  step('s3', 0, null),
  ev('s3', '/', 'track', { name: 'signup', props: {} }),
  expose('s4', 'B'),
  step('s4', 0, null),
  step('s4', 1, 4000),
  step('s4', 2, 5000),
  step('s5', 0, null),
  step('s5', 1, 5000),
  step('s5', 2, 7000),
  expose('s5', 'B'),
  ev('s1', '/', 'funnel_step', { funnel: 'signup', step: 'start', stepIndex: 0, msSincePrevious: null, props: {} }),
  lcp('s1', 1200, 'good', 'img.hero'),
  lcp('s2', 5000, 'poor', 'img.hero'),
  lcp('s4', 3000, 'needs-improvement', 'img.hero'),
  lcp('s4', 1000, 'good'),
  ev(
    's1',
    '/cart',
    'rage_click',
    { selector: '#coupon', text: 'Apply', x: 1, y: 1, clicks: 4, windowMs: 500 },
    { hero: 'control' },
  ),
  ev(
    's3',
    '/cart',
    'rage_click',
    { selector: '#coupon', text: 'Apply', x: 1, y: 1, clicks: 4, windowMs: 500 },
    { hero: 'B' },
  ),
  ev(
    's4',
    '/cart',
    'rage_click',
    { selector: '#coupon', text: 'Apply', x: 1, y: 1, clicks: 5, windowMs: 500 },
    { hero: 'B' },
  ),
  ev(
    's4',
    '/pay',
    'rage_click',
    { selector: '#coupon', text: 'Apply', x: 1, y: 1, clicks: 4, windowMs: 500 },
    { hero: 'B' },
  ),
  ev('s2', '/', 'dead_click', { selector: '.tip', text: 'Info', x: 1, y: 1 }),
  ev('s2', '/pay', 'error', {
    source: 'onerror',
    message: 'boom',
    errorType: 'TypeError',
    stack: [],
    fingerprint: 'fp1',
    count: 3,
    afterClick: '#pay',
  }),
  ev('s4', '/pay', 'error', {
    source: 'onerror',
    message: 'boom',
    errorType: 'TypeError',
    stack: [],
    fingerprint: 'fp1',
    count: 2,
  }),
  ...['s1', 's2', 's3', 's4'].map((s) => ev(s, '/ship', 'form_start', { form: 'ship', fields: [], durationMs: 0 })),
  ev('s1', '/ship', 'form_submit', { form: 'ship', fields: [], durationMs: 10 }),
  ev('s2', '/ship', 'form_abandon', { form: 'ship', fields: [], lastField: 'phone', durationMs: 10 }),
  ev('s3', '/ship', 'form_abandon', { form: 'ship', fields: [], lastField: 'phone', durationMs: 10 }),
  ev('s4', '/ship', 'form_abandon', { form: 'ship', fields: [], lastField: 'zip', durationMs: 10 }),
  ev('s2', '/ship', 'field_error', { form: 'ship', field: 'email', reason: 'valueMissing' }),
  ev('s3', '/ship', 'field_error', { form: 'ship', field: 'email', reason: 'valueMissing' }),
  ...['s1', 's2', 's3', 's4'].map((s) => ev(s, '/', 'page', { path: '/', title: 'Home', navigation: 'load' })),
  ...[25, 25, 25, 25, 50, 50, 100].map((depthPct) => ev('s1', '/', 'scroll', { depthPct, pageHeight: 2000 })),
  ev('s1', '/', 'section', { section: 'hero', visibleMs: 1000, order: 1 }),
  ev('s2', '/', 'section', { section: 'hero', visibleMs: 3000, order: 1 }),
  ev('s1', '/', 'section', { section: 'pricing', visibleMs: 500, order: 2 }),
  ev('s2', '/', 'section', { section: 'pricing', visibleMs: 700, order: 3 }),
  ev('s3', '/', 'section', { section: 'pricing', visibleMs: 900, order: 3 }),
  ev('s1', '/', 'sdk_health', {
    dropped: { 'queue-full': 2 },
    retried: 1,
    beaconRejected: 0,
    persisted: 0,
    invalid: 0,
  }),
  ev('s2', '/', 'sdk_health', {
    dropped: { 'queue-full': 1, invalid: 1 },
    retried: 1,
    beaconRejected: 1,
    persisted: 0,
    invalid: 1,
  }),
]

describe('createReport', () => {
  it('counts sessions per funnel step, step conversion, drop-off and median time', async () => {
    const report = await buildReport(DATASET)
    const checkout = report.funnels.find((f) => f.funnel === 'checkout')!
    expect(checkout.steps.map((s) => [s.step, s.sessions, s.dropOff])).toEqual([
      ['cart', 5, 0],
      ['pay', 4, 1],
      ['done', 3, 1],
    ])
    expect(checkout.steps.map((s) => s.conversion)).toEqual([1, 0.8, 0.75])
    expect(checkout.steps.map((s) => s.medianMsSincePrevious)).toEqual([null, 3000, 5000])
    expect(checkout.overallConversion).toBe(0.6)
  })

  it('converts on the last step of the longest funnel by default, whatever the event order', async () => {
    const report = await buildReport(DATASET)
    expect(report.conversion).toEqual({ kind: 'funnel', funnel: 'checkout', step: 'done', stepIndex: 2 })
    const [hero] = report.experiments
    expect(hero.variants.map((v) => [v.variant, v.exposed, v.conversions])).toEqual([
      ['control', 2, 1],
      ['B', 3, 2],
    ])
    const b = hero.variants[1]
    expect(b.lift).toBeCloseTo(1 / 3, 10)
    expect(b.pValue).toBeGreaterThan(0.5)
    expect(b.isSignificant).toBe(false)
    expect(b.funnelSessions).toEqual([3, 2, 2])
    expect(hero.mixedSessions).toBe(1)
    expect(hero.hasEnoughData).toBe(false)
    expect(hero.warning).toMatch(/too small.*at least 100 exposed sessions and 10 conversions/i)
    expect(hero.verdict).toMatch(/^Too early to call/)
    // Guardrails: 3 rage clicks among B's 3 sessions, 1 among control's 2.
    expect(b.rageClicksPerSession).toBe(1)
    expect(hero.variants[0].rageClicksPerSession).toBe(0.5)
  })

  it('converts on a --goal track event when given', async () => {
    const report = await buildReport(DATASET, { goal: 'signup' })
    expect(report.conversion).toEqual({ kind: 'goal', goal: 'signup' })
    expect(report.experiments[0].variants.map((v) => v.conversions)).toEqual([0, 1])
    expect(report.experiments[0].variants[1].funnelSessions).toEqual([])
  })

  it('notes an unknown --funnel and reports experiments without conversions', async () => {
    const report = await buildReport(DATASET, { funnel: 'nope' })
    expect(report.conversion).toBeNull()
    expect(report.notes.join()).toContain('"nope"')
    expect(report.experiments[0].verdict).toMatch(/No conversion to compare/)
    expect(report.speedVsConversion).toBeNull()
  })

  it('splits conversion by the worst LCP rating of the session', async () => {
    const { speedVsConversion } = await buildReport(DATASET)
    expect(speedVsConversion!.good).toMatchObject({ n: 1, k: 1 })
    expect(speedVsConversion!.slow).toMatchObject({ n: 2, k: 1 })
    expect(speedVsConversion!.unrated).toBe(2)
  })

  it('ranks friction: selectors with their pages, errors by total count, forms by abandonment', async () => {
    const { friction } = await buildReport(DATASET)
    expect(friction.rageClicks).toEqual([{ selector: '#coupon', count: 4, text: 'Apply', pages: ['/cart', '/pay'] }])
    expect(friction.deadClicks[0]).toMatchObject({ selector: '.tip', count: 1, pages: ['/'] })
    expect(friction.errors).toEqual([
      {
        fingerprint: 'fp1',
        count: 5,
        events: 2,
        message: 'boom',
        errorType: 'TypeError',
        source: 'onerror',
        pages: ['/pay'],
        afterClick: '#pay',
      },
    ])
    expect(friction.forms).toEqual([
      {
        form: 'ship',
        starts: 4,
        submits: 1,
        abandons: 3,
        abandonRate: 0.75,
        topLastField: { field: 'phone', count: 2 },
        fieldErrors: [{ field: 'email', reason: 'valueMissing', count: 2 }],
      },
    ])
  })

  it('reports scroll reach, sections, vitals p75 with rating and blamed elements', async () => {
    const report = await buildReport(DATASET)
    expect(report.attention.scroll.map((r) => [r.depthPct, r.share])).toEqual([
      [25, 1],
      [50, 0.5],
      [75, 0],
      [90, 0],
      [100, 0.25],
    ])
    expect(report.attention.sections).toEqual([
      { section: 'hero', views: 2, avgVisibleMs: 2000, typicalOrder: 1 },
      { section: 'pricing', views: 3, avgVisibleMs: 700, typicalOrder: 3 },
    ])
    // LCP values 1000, 1200, 3000, 5000: p75 = 3000 + 0.25 × 2000.
    // p95 = 3000 + 0.85 × 2000; one poor report of four.
    expect(report.vitals.metrics).toEqual([
      {
        name: 'LCP',
        samples: 4,
        p75: 3500,
        rating: 'needs-improvement',
        p95: expect.closeTo(4700, 6),
        poorShare: 0.25,
      },
    ])
    // The good 1200 of img.hero neither counts nor enters its p75 (of 3000 and 5000).
    expect(report.vitals.worstTargets).toEqual([
      { name: 'LCP', target: 'img.hero', slowReports: 2, poorReports: 1, p75: 4500 },
    ])
    const cart = report.pages.find((p) => p.path === '/cart')!
    expect(cart.rageClicks).toBe(3)
    expect(cart.vitals[0]).toMatchObject({ name: 'LCP', p75: 3500, p95: expect.closeTo(4700, 6), poorShare: 0.25 })
    const home = report.pages.find((p) => p.path === '/')!
    expect(home.pageViews).toBe(4)
  })

  it('totals events, sessions, visitors, page views and sdk_health loss counters', async () => {
    const report = await buildReport(DATASET)
    expect(report.totals).toMatchObject({ events: DATASET.length, sessions: 5, visitors: 5, pageViews: 4, skipped: 0 })
    expect(report.totals.byType.funnel_step).toBe(13)
    expect(report.health).toEqual({
      reports: 2,
      dropped: { 'queue-full': 3, invalid: 1 },
      retried: 2,
      beaconRejected: 1,
      persisted: 0,
      invalid: 1,
    })
  })

  it('reads none of the keys the NDJSON reader leaves out', async () => {
    const events = [...generateEvents(5_000, emptyTruth(), 9)] as Array<Record<string, unknown>>
    // The generator writes every one of them, so the check below is not vacuous.
    for (const key of UNREAD_KEYS)
      expect(
        events.some((event) => key in event),
        key,
      ).toBe(true)
    const without = events.map((event) => {
      const copy = { ...event }
      for (const key of UNREAD_KEYS) delete copy[key]
      return copy
    })
    expect(await buildReport(without, { goal: 'signup' })).toEqual(await buildReport(events, { goal: 'signup' }))
  })

  it('skips lines that are not events and reports nothing for no data', () => {
    const builder = createReport()
    for (const junk of [null, 42, 'text', { foo: 1 }]) builder.add(junk)
    const report = builder.finish()
    expect(report.totals).toMatchObject({ events: 0, skipped: 4, firstTs: null, lastTs: null })
    expect(report.funnels).toEqual([])
    expect(report.experiments).toEqual([])
    expect(report.health).toBeNull()
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })
})

describe('pages by pathname', () => {
  it('groups page views by pathname whatever the query of url or page.path (UTM tags never split a page)', async () => {
    const view = (session: string, query: string) => ({
      ...ev(session, '/pricing', 'page', { path: `/pricing${query}`, title: 'Pricing', navigation: 'load' }),
      url: `https://shop.example/pricing${query}`,
    })
    const report = await buildReport([
      view('p1', '?utm_source=a'),
      view('p2', '?utm_source=b&utm_medium=c'),
      view('p3', ''),
      view('p4', '#plans'),
    ])
    expect(report.pages.map((p) => [p.path, p.pageViews])).toEqual([['/pricing', 4]])
  })
})

describe('experiment verdicts', () => {
  const variant = (
    name: string,
    exposed: number,
    conversions: number,
    pValue: number | null,
    isSignificant: boolean,
    lift: number | null,
    sequentialPValue = pValue === null ? null : pValue * 2,
  ): VariantReport => ({
    variant: name,
    exposed,
    conversions,
    rate: { n: exposed, k: conversions, rate: conversions / exposed, low: 0, high: 1 },
    lift,
    pValue,
    sequentialPValue,
    isSignificant,
    funnelSessions: [],
    rageClicksPerSession: 0,
    deadClicksPerSession: 0,
    errorsPerSession: 0,
  })

  it('names a significant winner with its lift, its always-valid p and the fixed-horizon p', () => {
    const result = judge([variant('A', 1000, 100, null, false, null), variant('B', 1000, 130, 0.0355, true, 0.3)], true)
    expect(result).toMatchObject({ hasEnoughData: true, warning: null })
    expect(result.verdict).toBe(
      'B beats A: 13.0 % vs 10.0 % conversion, +30.0 % relative (always-valid p = 0.071, fixed-horizon z-test p = ' +
        '0.035).',
    )
  })

  it('says when a challenger is significantly worse', () => {
    const result = judge(
      [variant('A', 1000, 130, null, false, null), variant('B', 1000, 100, 0.0355, true, -0.23)],
      true,
    )
    expect(result.verdict).toMatch(/B \(−23\.0 %, always-valid p = 0\.071\) converts worse than A.*Keep A/)
  })

  it('calls no difference when nothing is significant', () => {
    const result = judge([variant('A', 2000, 200, null, false, null), variant('B', 2000, 180, 0.28, false, -0.1)], true)
    expect(result.verdict).toMatch(
      /^No significant difference \(A 10\.0 %, B 9\.0 %; B always-valid p = 0\.560, z-test p = 0\.280\)/,
    )
  })

  it('never advises equivalence when only the fixed-horizon z-test calls a difference (the peeking trap)', () => {
    // z-test p 0.02 < 0.05, but the always-valid p 0.067 is not: the 200-visitor demo's case.
    const result = judge(
      [variant('A', 100, 15, null, false, null), variant('B', 100, 38, 0.02, false, 1.53, 0.067)],
      true,
    )
    expect(result.verdict).toMatch(/^No significant difference yet under daily peeking/)
    expect(result.verdict).toContain('the fixed-horizon z-test alone would call it')
    expect(result.verdict).not.toContain('equivalent')
  })

  it('warns when any variant has fewer than 100 exposures or 10 conversions', () => {
    const result = judge([variant('A', 1000, 100, null, false, null), variant('B', 1000, 9, 0.0001, true, -0.9)], true)
    expect(result.hasEnoughData).toBe(false)
    expect(result.warning).toContain('B: 1,000 exposed, 9 converted')
  })

  it('withholds the verdict when the sample ratio check fails', () => {
    // 1200 vs 800 against 50/50: χ² = (200² + 200²)/1000 = 80, p = erfc(√40) ≈ 3.7e−19
    const srm = sampleRatioMismatch([1200, 800])
    const result = judge(
      [variant('A', 1200, 120, null, false, null), variant('B', 800, 130, 0.0001, true, 0.6)],
      true,
      0.05,
      srm,
    )
    expect(result.hasEnoughData).toBe(false)
    expect(result.verdict).toBe('No verdict: the sample ratio check failed, so the groups are not comparable.')
    expect(result.warning).toMatch(
      new RegExp(
        /^Sample ratio mismatch: the variants got A 1,200 \(expected 50\.0 %\), /.source +
          /B 800 \(expected 50\.0 %\); chi-square 80\.0/.source,
      ),
    )
  })

  it('puts the control first, then the alphabet', () => {
    expect(orderVariants(['treatment', 'B', 'control'])).toEqual(['control', 'B', 'treatment'])
    expect(orderVariants(['variant-10', 'variant-2'])).toEqual(['variant-2', 'variant-10'])
  })
})
