// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { axisTicks } from '../../../src/report/html'
import { buildReport, renderReportHtml, renderReportText } from '../../../src/report/index'
import { worstStepIndex } from '../../../src/report/text'
import type { FunnelReport } from '../../../src/report/types'
import { makeEvent } from '../support/events'

const DAY = 86_400_000
const T0 = Date.parse('2026-11-01T00:00:00Z')
const page = (site: string | undefined, ts: number, sessionId: string) =>
  makeEvent({
    type: 'page',
    path: '/',
    title: 't',
    navigation: 'load',
    ts,
    sessionId,
    ...(site === undefined ? {} : { site }),
  })

const EVENTS = [
  page('landing', T0, 'a'),
  page('landing', T0 + DAY, 'b'),
  page('landing', T0 + 2 * DAY, 'c'),
  page('demo', T0 + DAY, 'd'),
  page(undefined, T0 + DAY, 'e'),
]

describe('report filters: site, since, until', () => {
  it.each([
    [{}, 5, 0],
    [{ site: 'landing' }, 3, 2],
    [{ site: 'demo' }, 1, 4],
    [{ since: T0 + DAY }, 4, 1],
    [{ until: T0 + DAY }, 1, 4],
    [{ site: 'landing', since: T0 + DAY, until: T0 + 2 * DAY }, 1, 4],
    [{ site: 'nope' }, 0, 5],
  ])('%j keeps %i events', async (options, kept, filteredOut) => {
    const report = await buildReport(EVENTS, options)
    expect(report.totals.events).toBe(kept)
    expect(report.totals.pageViews).toBe(kept)
    expect(report.totals.filteredOut).toBe(filteredOut)
  })

  it('says what it filtered in both renderers', async () => {
    const report = await buildReport(EVENTS, { site: 'landing', since: T0 + DAY })
    expect(renderReportText(report)).toContain(
      'filtered: site "landing", since 2026-11-02 00:00 UTC (3 events left out)',
    )
    expect(renderReportHtml(report)).toContain(
      'Filtered: site &#34;landing&#34;, since 2026-11-02 00:00 UTC (3 events left out).',
    )
  })

  it('leaves out events whose ts is not a number under a time filter', async () => {
    const report = await buildReport([page('x', T0, 'a'), { ...page('x', T0, 'b'), ts: 'yesterday' }], { since: 0 })
    expect(report.totals.events).toBe(1)
  })
})

const funnel = (sessions: number[]): FunnelReport => ({
  funnel: 'f',
  overallConversion: null,
  steps: sessions.map((n, i) => ({
    stepIndex: i,
    step: `s${i}`,
    sessions: n,
    conversion: i === 0 ? 1 : sessions[i - 1] ? n / sessions[i - 1] : null,
    dropOff: i === 0 ? 0 : sessions[i - 1] - n,
    medianMsSincePrevious: null,
  })),
})

describe('worstStepIndex', () => {
  it.each([
    [[100, 80, 20, 18], 2],
    [[100, 50, 25], 1], // 50 % twice: the tie goes to the step losing more sessions (50, not 25)
    [[100, 100, 100], -1],
    [[10], -1],
    [[0, 0], -1],
  ])('%j → %i', (sessions, expected) => {
    expect(worstStepIndex(funnel(sessions))).toBe(expected)
  })

  it('is marked in the text report and highlighted in the HTML report', async () => {
    const steps = ['cart', 'shipping', 'payment']
    const events = []
    for (let s = 0; s < 10; s++) {
      const reached = s < 3 ? 3 : s < 8 ? 2 : 1 // 10 → 8 (80 %) → 3 (37.5 %)
      for (let i = 0; i < reached; i++) {
        events.push(
          makeEvent({
            type: 'funnel_step',
            sessionId: `s${s}`,
            funnel: 'checkout',
            step: steps[i],
            stepIndex: i,
            msSincePrevious: null,
            props: {},
          }),
        )
      }
    }
    const report = await buildReport(events)
    expect(renderReportText(report)).toMatch(/3\. payment +3 +37\.5 % +5 +– +◀ worst step/)
    const html = renderReportHtml(report)
    expect(html).toMatch(/<tr class="worst"><td>3\. payment<\/td>/)
    expect(html).toContain('fill="#c4271b"')
    expect(html).toContain('worst step, 37.5 % from previous')
  })
})

describe('the experiment chart axis', () => {
  it.each([
    [0.62, [0, 0.2, 0.4, 0.6, 0.8]],
    [0.05, [0, 0.02, 0.04, 0.06]],
    [1, [0, 0.5, 1]],
    [0, [0, 1]],
  ])('ticks up to %f: %j', (max, ticks) => {
    expect(axisTicks(max)).toEqual(ticks)
  })

  it('draws the ticks with percent labels and an axis title', async () => {
    const events = []
    for (let s = 0; s < 40; s++) {
      const variant = s % 2 ? 'B' : 'A'
      const ctx = { ...(makeEvent().context as object), experiments: { hero: variant } }
      events.push(makeEvent({ type: 'experiment', sessionId: `s${s}`, experiment: 'hero', variant, context: ctx }))
      events.push(
        makeEvent({
          type: 'funnel_step',
          sessionId: `s${s}`,
          funnel: 'f',
          step: 'a',
          stepIndex: 0,
          msSincePrevious: null,
          props: {},
        }),
      )
      if (s % 3 === 0)
        events.push(
          makeEvent({
            type: 'funnel_step',
            sessionId: `s${s}`,
            funnel: 'f',
            step: 'b',
            stepIndex: 1,
            msSincePrevious: 5,
            props: {},
          }),
        )
    }
    const html = renderReportHtml(await buildReport(events, { funnel: 'f' }))
    const chart = html.slice(
      html.indexOf('aria-label="Conversion rate by variant'),
      html.indexOf('</svg>', html.indexOf('aria-label="Conversion rate by variant')),
    )
    expect(chart).toContain('class="axis"')
    expect(chart).toMatch(/>0 %<\/text>/)
    expect(chart).toMatch(/>20 %<\/text>/)
    expect(chart).toContain('conversion rate (bar) and 95 % CI (whiskers)')
  })
})

describe('SDK health line', () => {
  const health = (dropped: Record<string, number>, invalid = 0) =>
    makeEvent({ type: 'sdk_health', dropped, retried: 2, beaconRejected: 0, persisted: 1, invalid })

  it('says "nothing dropped" and is no warning when nothing was lost', async () => {
    const report = await buildReport([health({})])
    expect(renderReportText(report)).toContain('SDK health (1 reports): nothing dropped; retried 2')
    expect(renderReportHtml(report)).toMatch(/<p class="muted">SDK health: nothing dropped;/)
  })

  it('warns when something was dropped or invalid', async () => {
    expect(renderReportHtml(await buildReport([health({ 'queue-full': 3 })]))).toMatch(
      /<p class="warn">SDK health: dropped queue-full 3;/,
    )
    expect(renderReportHtml(await buildReport([health({}, 2)]))).toMatch(/<p class="warn">SDK health: nothing dropped;/)
  })
})

describe('the page speed table', () => {
  const vital = (url: string, name: string, value: number, rating: string) =>
    makeEvent({ type: 'vital', url, name, value, delta: value, rating, navigationType: 'navigate', attribution: {} })

  it('lists p75, p95 and the poor share of LCP and INP per path, and skips paths without LCP, INP or CLS', async () => {
    const cart = 'https://shop.example/cart'
    const events = [
      ...Array.from({ length: 9 }, () => vital(cart, 'LCP', 1000, 'good')),
      vital(cart, 'LCP', 4600, 'poor'), // one visitor in ten: the p75 stays good, the p95 is 1000 + 0.55 × 3600
      vital('https://shop.example/fcp-only', 'FCP', 900, 'good'),
    ]
    const report = await buildReport(events)
    const text = renderReportText(report)
    const table = text.slice(text.indexOf('Page speed'))
    expect(table).toMatch(/\/cart +1\.0 s +3\.0 s +10\.0 % +– +– +– +–/)
    expect(table).not.toContain('/fcp-only')
    expect(renderReportHtml(report)).toContain('<h3>Page speed</h3>')
  })
})
