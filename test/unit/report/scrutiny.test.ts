// @vitest-environment node
// The whole report on generated sessions whose truth is known (seeded): one experiment with a
// broken 55/45 split, a winner that raises errors, a challenger that wins at shipping and loses at
// checkout, a Simpson reversal by device, an incident day, and a rage click that costs
// conversions. Each must be caught, and the honest parts must stay quiet.
import { describe, expect, it } from 'vitest'
import { createReport, renderReportHtml, renderReportText } from '../../../src/collector/index'
import type { Report } from '../../../src/report/types'
import { makeEvent } from '../support/events'
import { mulberry32 as seeded } from '../../../src/lib/mulberry32'

const DAY_MS = 86_400_000
const START = Date.UTC(2024, 10, 1, 8)
const SESSIONS = 8000

function* generate(): Generator<Record<string, unknown>> {
  const random = seeded(2024)
  for (let i = 0; i < SESSIONS; i++) {
    const day = i % 5
    const incident = day === 2
    const mobile = random() < 0.5
    const deviceType = mobile ? 'mobile' : 'desktop'
    const experiments = {
      copy: random() < 0.5 ? 'A' : 'B',
      cta: random() < 0.5 ? 'A' : 'B',
      split: random() < 0.55 ? 'A' : 'B',
      // Unequal device mixes: desktop mostly sees A, mobile mostly B.
      mix: random() < (mobile ? 0.2 : 0.8) ? 'A' : 'B',
    }
    let ts = START + day * DAY_MS + i * 1000
    const sessionId = `s${i}`
    const ev = (type: string, path: string, fields: Record<string, unknown> = {}) => {
      const base = makeEvent({
        type,
        ts: (ts += 1000),
        sessionId,
        anonymousId: `v${i}`,
        url: `https://shop.example${path}?utm_source=ads`,
        ...fields,
      })
      return { ...base, context: { ...(base.context as object), deviceType, utm: { source: 'ads' }, experiments } }
    }
    const step = (stepIndex: number) =>
      ev('funnel_step', '/checkout', {
        funnel: 'checkout',
        step: ['cart', 'shipping', 'done'][stepIndex],
        stepIndex,
        msSincePrevious: null,
        props: {},
      })
    for (const [experiment, variant] of Object.entries(experiments))
      yield ev('experiment', '/', { experiment, variant })
    yield ev('page', '/cart', { path: '/cart', title: 'Cart', navigation: 'load' })
    yield step(0)
    if (experiments.copy === 'B' && random() < 0.3) {
      yield ev('error', '/cart', {
        source: 'onerror',
        message: 'copy widget',
        errorType: 'TypeError',
        stack: [],
        fingerprint: 'fp-copy',
        count: 1,
      })
    }
    if (incident && random() < 0.5) {
      yield ev('error', '/cart', {
        source: 'onerror',
        message: 'outage',
        errorType: 'Error',
        stack: [],
        fingerprint: 'fp-outage',
        count: 1,
      })
    }
    if (random() >= (experiments.cta === 'B' ? 0.7 : 0.5)) continue
    yield ev('page', '/pay', { path: '/pay', title: 'Pay', navigation: 'load' })
    yield step(1)
    const rage = random() < (mobile ? 0.3 : 0.1)
    if (rage)
      yield ev('rage_click', '/pay', { selector: '#coupon', text: 'Apply', x: 1, y: 1, clicks: 4, windowMs: 500 })
    let done = mobile ? 0.25 : 0.6
    if (experiments.cta === 'B') done *= 0.5
    if (experiments.copy === 'B') done *= 1.3
    if (experiments.mix === 'B') done *= 1.4
    if (rage) done *= 0.6
    if (incident) done *= 0.5
    if (random() < Math.min(1, done)) yield step(2)
  }
}

const build = (splits?: Record<string, Record<string, number>>): Report => {
  const builder = createReport({ funnel: 'checkout', splits })
  for (const event of generate()) builder.add(event)
  return builder.finish()
}

describe('experiment scrutiny on generated data', () => {
  const report = build()
  const experiment = (name: string) => report.experiments.find((e) => e.experiment === name)!

  it('withholds the verdict of the experiment with a 55/45 split', () => {
    const split = experiment('split')
    expect(split.srm!.isMismatch).toBe(true)
    expect(split.verdict).toMatch(/^No verdict: the sample ratio check failed/)
    for (const name of ['copy', 'cta', 'mix']) expect(experiment(name).srm!.isMismatch).toBe(false)
  })

  it('accepts the 55/45 split once it is declared', () => {
    const declared = build({ split: { A: 55, B: 45 } }).experiments.find((e) => e.experiment === 'split')!
    expect(declared.srm!.expectedShares[0]).toBeCloseTo(0.55, 10)
    expect(declared.srm!.isMismatch).toBe(false)
    expect(declared.verdict).toMatch(/^No significant difference/)
    // The sessions still needed at 80 % power, from the power table, close the verdict.
    const more = declared.power[0].moreSessions!.toLocaleString('en-US')
    expect(declared.verdict).toContain(
      `About ${more} more sessions would settle a difference of this size (80 % power).`,
    )
  })

  it('flags a winner that raises errors as a false positive improvement', () => {
    const copy = experiment('copy')
    expect(copy.verdict).toMatch(/^B beats A/)
    const errors = copy.guardrails[1].comparisons.find((c) => c.metric === 'errors')!
    expect(errors.isWorse).toBe(true)
    expect(copy.flags.map((f) => f.kind)).toContain('false-positive-improvement')
    expect(experiment('mix').guardrails[1].comparisons.find((c) => c.metric === 'errors')!.isWorse).toBe(false)
  })

  it('flags a lift at shipping that loses at checkout as a local optimization', () => {
    const cta = experiment('cta')
    const [b] = cta.downstream
    expect(b.steps.map((s) => s.step)).toEqual(['cart', 'shipping', 'done'])
    expect(b.steps[1].lift!).toBeGreaterThan(0.2)
    expect(b.steps[2].lift!).toBeLessThan(0)
    expect(cta.flags.find((f) => f.kind === 'local-optimization')!.message).toMatch(
      /^Local optimization: B wins at step 2 "shipping"/,
    )
    expect(experiment('copy').flags.map((f) => f.kind)).not.toContain('local-optimization')
  })

  it('catches the Simpson reversal by device', () => {
    const mix = experiment('mix')
    const overall = mix.variants[1].rate.rate - mix.variants[0].rate.rate
    expect(overall).toBeLessThan(0)
    const devices = mix.segments!.rows.filter((r) => r.dimension === 'device')
    expect(devices.map((r) => r.segment).sort()).toEqual(['desktop', 'mobile'])
    expect(devices.every((r) => r.variant.rate > r.control.rate)).toBe(true)
    expect(mix.flags.some((f) => f.kind === 'simpson' && f.message.startsWith("Simpson's paradox by device"))).toBe(
      true,
    )
    expect(experiment('copy').flags.map((f) => f.kind)).not.toContain('simpson')
  })

  it('gives the always-valid p beside the z-test, and the power, per challenger', () => {
    const copy = experiment('copy')
    const [sequential] = copy.sequential
    expect(sequential.looks).toBe(5)
    // The always-valid p pays for peeking: never below the fixed-horizon one here.
    expect(sequential.pValue).toBeGreaterThan(copy.variants[1].pValue!)
    expect(sequential.low).toBeGreaterThan(0)
    expect(copy.power[0].mdeAbsolute).toBeGreaterThan(0)
  })

  it('marks the incident day and flags it in the experiments', () => {
    expect(report.days.map((d) => d.day)).toEqual([
      '2024-11-01',
      '2024-11-02',
      '2024-11-03',
      '2024-11-04',
      '2024-11-05',
    ])
    expect(report.days.map((d) => d.errorSpike)).toEqual([false, false, true, false, false])
    expect(report.days[2].conversionDrop).toBe(true)
    expect(experiment('copy').flags.find((f) => f.kind === 'incident')!.message).toContain('2024-11-03')
  })

  it('prices the rage click in conversions, controlling for device', () => {
    const rage = report.frictionCost.find((r) => r.kind === 'rage_click')!
    expect(rage.signal).toBe('#coupon')
    expect(rage.page).toBe('/pay')
    expect(rage.strata).toBe(2)
    expect(rage.high).toBeLessThan(0)
    expect(rage.conversionsLost).toBeGreaterThan(0)
    // The errors met on /cart: the outage one costs conversions (it comes with the incident).
    expect(report.frictionCost.find((r) => r.kind === 'error' && r.signal === 'outage')!.difference).toBeLessThan(0)
  })

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(report))).toEqual(report)
  })

  it('renders every part in text and HTML', () => {
    const text = renderReportText(report)
    if (process.env.FL_PRINT) console.log(text)
    const html = renderReportHtml(report)
    for (const needle of [
      'Sample ratio check: FAILED',
      'Sample ratio check: passed',
      'always-valid p',
      'z-test p',
      'Power',
      'Guardrails (after exposure)',
      'False positive improvement',
      'Local optimization',
      "Simpson's paradox by device",
      'Downstream: B vs A',
      'Segments: B vs A',
      'error spike',
      'Friction priced in conversions (correlation, not causation)',
      'rage click #coupon',
    ]) {
      expect(text).toContain(needle)
      expect(html).toContain(needle.replace("'", '&#39;'))
    }
  })
})
