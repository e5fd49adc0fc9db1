// The hesitation signals of issue #11 in the report: quick backs by the page left, excessive
// scrolling by page, field hesitation by form field, and quick backs / excessive scrolling
// priced in conversions. Hand-built events, exact numbers.
import { describe, expect, it } from 'vitest'
import { createReport, renderReportHtml, renderReportText } from '../../../src/report/index'
import { eventSchema } from '../../../src/schema/index'
import { makeEvent } from '../support/events'

const at = (session: string, path: string, type: string, fields: Record<string, unknown> = {}) =>
  makeEvent({
    sessionId: session,
    anonymousId: `a-${session}`,
    url: `https://shop.example${path}?x=1`,
    type,
    ...fields,
  })

const quickBack = (session: string, leftPath: string, durationMs: number, back = '/cart') =>
  at(session, back, 'quick_back', { leftPath, durationMs })

const scrolled = (session: string, path: string, reversals: number, distancePx: number) =>
  at(session, path, 'excessive_scroll', { reversals, windowMs: 6000, distancePx })

const formEnd = (
  session: string,
  type: 'form_submit' | 'form_abandon',
  hesitation: Array<{ field: string; focusMs: number; returns: number; corrections: number }>,
) =>
  at(session, '/checkout/shipping', type, {
    form: 'shipping',
    fields: hesitation.map((h) => h.field),
    lastField: hesitation.at(-1)?.field,
    durationMs: 20_000,
    hesitation,
  })

function build(events: Record<string, unknown>[], options = {}) {
  for (const event of events) expect(eventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true)
  const report = createReport(options)
  for (const event of events) report.add(event)
  return report.finish()
}

describe('quick backs', () => {
  const report = build([
    quickBack('s1', '/checkout/shipping', 2000),
    quickBack('s1', '/checkout/shipping', 4000),
    quickBack('s2', '/checkout/shipping', 9000, '/product'),
    quickBack('s3', '/pricing', 1500),
  ])

  it('counts them by the page left, with sessions, median time there and the pages returned to', () => {
    expect(report.friction.quickBacks).toEqual([
      {
        leftPath: '/checkout/shipping',
        count: 3,
        sessions: 2,
        medianDurationMs: 4000,
        returnedTo: ['/cart', '/product'],
      },
      { leftPath: '/pricing', count: 1, sessions: 1, medianDurationMs: 1500, returnedTo: ['/cart'] },
    ])
  })

  it('shows them in the text and HTML reports', () => {
    const text = renderReportText(report)
    expect(text).toContain('Quick backs')
    expect(text).toMatch(/\/checkout\/shipping\s+3\s+2\s+4\.0 s\s+\/cart \/product/)
    const html = renderReportHtml(report)
    expect(html).toContain('<h3>Quick backs</h3>')
    expect(html).toContain(
      '<td>/checkout/shipping</td><td class="num">3</td><td class="num">2</td><td class="num">4.0 s</td>',
    )
  })
})

describe('excessive scrolling', () => {
  const report = build([
    scrolled('s1', '/pricing', 4, 2400),
    scrolled('s1', '/pricing', 6, 3000),
    scrolled('s2', '/pricing', 5, 1800),
    scrolled('s3', '/faq', 7, 5000),
  ])

  it('counts it by page, with sessions and median reversals and distance', () => {
    expect(report.friction.excessiveScrolls).toEqual([
      { page: '/pricing', count: 3, sessions: 2, medianReversals: 5, medianDistancePx: 2400 },
      { page: '/faq', count: 1, sessions: 1, medianReversals: 7, medianDistancePx: 5000 },
    ])
  })

  it('shows it in the text and HTML reports', () => {
    const text = renderReportText(report)
    expect(text).toContain('Excessive scrolling')
    expect(text).toMatch(/\n\s+\/pricing\s+3\s+2\s+5\s+2,400\n/)
    expect(renderReportHtml(report)).toContain(
      '<td>/faq</td><td class="num">1</td><td class="num">1</td><td class="num">7</td><td class="num">5,000</td>',
    )
  })
})

describe('field hesitation', () => {
  const report = build([
    formEnd('s1', 'form_submit', [
      { field: 'email', focusMs: 1000, returns: 0, corrections: 0 },
      { field: 'zip', focusMs: 8000, returns: 2, corrections: 3 },
    ]),
    formEnd('s2', 'form_abandon', [
      { field: 'email', focusMs: 3000, returns: 1, corrections: 1 },
      { field: 'zip', focusMs: 20_000, returns: 3, corrections: 4 },
    ]),
    formEnd('s3', 'form_abandon', [{ field: 'zip', focusMs: 14_000, returns: 1, corrections: 2 }]),
    // Same session again: a second form end, the session counted once.
    formEnd('s3', 'form_submit', [{ field: 'zip', focusMs: 2000, returns: 0, corrections: 0 }]),
    // Without hesitation (older SDK builds): the form counts, no field row.
    at('s4', '/checkout/shipping', 'form_submit', { form: 'shipping', fields: ['name'], durationMs: 5000 }),
  ])

  it('gives per field the sessions, submits vs abandons and the medians', () => {
    expect(report.friction.fieldHesitation).toEqual([
      {
        form: 'shipping',
        field: 'zip',
        sessions: 3,
        submits: 2,
        abandons: 2,
        medianFocusMs: 11_000,
        medianReturns: 1.5,
        medianCorrections: 2.5,
        medianFocusMsSubmitted: 5000,
        medianFocusMsAbandoned: 17_000,
      },
      {
        form: 'shipping',
        field: 'email',
        sessions: 2,
        submits: 1,
        abandons: 1,
        medianFocusMs: 2000,
        medianReturns: 0.5,
        medianCorrections: 0.5,
        medianFocusMsSubmitted: 1000,
        medianFocusMsAbandoned: 3000,
      },
    ])
    expect(report.friction.forms[0]).toMatchObject({ form: 'shipping', submits: 3, abandons: 2 })
  })

  it('shows it in the text and HTML reports', () => {
    expect(renderReportText(report)).toMatch(/shipping › zip\s+3\s+2\s+2\s+11\.0 s\s+1\.5\s+2\.5\s+5\.0 s\s+17\.0 s/)
    expect(renderReportHtml(report)).toContain('<td>shipping › email</td><td class="num">2</td>')
  })
})

describe('quick backs and excessive scrolling priced in conversions', () => {
  // 20 desktop sessions view /cart; 8 of them come back quickly from /checkout/shipping and
  // scroll back and forth there, and those convert less.
  const events: Record<string, unknown>[] = []
  for (let i = 0; i < 20; i++) {
    const s = `c${i}`
    events.push(at(s, '/cart', 'page', { path: '/cart', title: 'Cart', navigation: 'load' }))
    const hesitant = i < 8
    if (hesitant) {
      events.push(quickBack(s, '/checkout/shipping', 3000))
      events.push(scrolled(s, '/cart', 4, 2000))
    }
    // 1 in 8 hesitant sessions converts, 10 in 12 of the others.
    if (hesitant ? i === 0 : i < 18) events.push(at(s, '/cart', 'track', { name: 'purchase', props: {} }))
  }
  const report = build(events, { goal: 'purchase' })

  it('ranks them with the other friction signals', () => {
    const back = report.frictionCost.find((r) => r.kind === 'quick_back')!
    expect(back).toMatchObject({ signal: '/checkout/shipping', page: '/cart' })
    expect(back.met).toMatchObject({ n: 8, k: 1 })
    expect(back.notMet).toMatchObject({ n: 12, k: 10 })
    expect(back.conversionsLost).toBeCloseTo(8 * (10 / 12 - 1 / 8), 6)
    const scroll = report.frictionCost.find((r) => r.kind === 'excessive_scroll')!
    expect(scroll).toMatchObject({ signal: '', page: '/cart' })
    expect(scroll.met.n).toBe(8)
    const text = renderReportText(report)
    expect(text).toContain('quick back from /checkout/shipping')
    expect(text).toContain('excessive scrolling')
  })
})
