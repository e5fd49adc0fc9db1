// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml, renderReportText } from '../../../src/collector/index'
import { emptyTruth, generateEvents } from './fixtures'
import { makeEvent } from '../support/events'

const report = await buildReport(generateEvents(5_000, emptyTruth(), 7))

describe('renderReportText', () => {
  it('prints the totals, the funnel, the experiment verdict and the friction lists', () => {
    const text = renderReportText(report)
    expect(text).toContain(
      `frictionlog report: ${report.totals.events.toLocaleString('en-US')} events, ` +
        `${report.totals.sessions.toLocaleString('en-US')} sessions`,
    )
    const cart = report.funnels.find((f) => f.funnel === 'checkout')!.steps[0]
    expect(text).toMatch(new RegExp(`1\\. cart\\s+${cart.sessions.toLocaleString('en-US')}\\s+100\\.0 %`))
    expect(text).toContain(report.experiments[0].verdict)
    expect(text).toContain('A (control)')
    expect(text).toContain('button#apply-coupon')
    expect(text).toContain('shipping-form')
    expect(text).toMatch(/Core Web Vitals \(p75[\s\S]*LCP/)
    expect(text).toMatch(/ {2}25 % {2}█+/)
  })

  it('limits lists to --top rows', () => {
    const text = renderReportText(report, { top: 1 })
    const pages = text.slice(text.indexOf('\nPages'), text.indexOf('\nPage speed'))
    expect(pages.match(/^ {2}\/\S*/gm)).toHaveLength(1)
  })
})

describe('renderReportHtml', () => {
  const html = renderReportHtml(report)

  it('is one self-contained document: inline CSS and SVG, no script, no external resource', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true)
    expect(html).toContain('<style>')
    expect(html).not.toMatch(/<script|<link|<img|src=|@import|url\(/i)
    expect(html).not.toMatch(/href="http/)
    // Three kinds of chart: funnel bars, variant rates with whiskers, scroll reach.
    expect(html).toMatch(/aria-label="Sessions per step of funnel checkout"/)
    expect(html).toMatch(/aria-label="Conversion rate by variant of hero-copy, with 95 % confidence intervals"/)
    expect(html).toMatch(/aria-label="Share of page views reaching each scroll depth"/)
  })

  it('shows the key numbers', () => {
    const [a, b] = report.experiments[0].variants
    expect(html).toContain(`<b>${report.totals.events.toLocaleString('en-US')}</b>events`)
    expect(html).toContain(`${(b.rate.rate * 100).toFixed(1)} %`)
    expect(html).toContain(`${(a.rate.low * 100).toFixed(1)} % – ${(a.rate.high * 100).toFixed(1)} %`)
  })

  it('escapes every string that came from a browser', async () => {
    const hostile = await buildReport([
      makeEvent({
        type: 'rage_click',
        selector: '<script>alert(1)</script>',
        text: '"><img src=x onerror=alert(1)>',
        x: 0,
        y: 0,
        clicks: 4,
        windowMs: 1,
      }),
    ])
    const out = renderReportHtml(hostile)
    expect(out).not.toContain('<script>alert')
    expect(out).not.toContain('<img src=x')
    expect(out).toContain('&#60;script&#62;alert(1)&#60;/script&#62;')
  })
})
