// Stored events come from anonymous browsers. This corpus puts attacker strings in every string
// field a renderer prints, and numbers the schema accepts but no Date holds, then asserts that
// each renderer (terminal text, HTML, the demo/collect event stream) neither throws nor lets
// anything executable or terminal-controlling through. Every event is checked against the
// schema first: these are values the collector stores today.
import { describe, expect, it } from 'vitest'
import { buildReport, formatEvent, renderReportHtml, renderReportText } from '../../../src/report/index'
import { eventSchema, type FrictionEvent } from '../../../src/schema/index'
import { makeEvent } from '../support/events'

/** Terminal controls an attacker would send: OSC title + BEL, clear screen, C1 CSI, bidi override, line forging. */
const ANSI = '\x1b]0;pwned\x07\x1b[2J\x1b[31mred'
const C1 = '\u009b2Jc1'
const BIDI = '\u202Eevil\u2066'
const FORGED = 'ok\n12:00:00 page         / forged line\r'
const HTML_PAYLOADS = [
  '<script>alert(1)</script>',
  '"><img src=x onerror=alert(2)>',
  "'><svg onload=alert(3)>",
  'javascript:alert(4)',
  '</style><style>body{display:none}</style>',
  '<a href="javascript:alert(5)">x</a>',
  '&lt;b&gt;entity&amp;',
]
const HOSTILE = [ANSI, C1, BIDI, FORGED, ...HTML_PAYLOADS]

/** Every hostile string in turn, cycling, so each field meets each payload across the corpus. */
let n = 0
const h = (max = 100) => {
  n += 1
  return `${HOSTILE[n % HOSTILE.length]}${HOSTILE[(n + 3) % HOSTILE.length]}`.slice(0, max)
}

const session = (i: number) => ({ sessionId: `s${i}${h(20)}`, anonymousId: `a${i}`, pageId: `p${i}` })
const url = () => `https://shop.example/${encodeURIComponent(h(40))}?q=${h(40)}`

function corpus(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = []
  for (let i = 0; i < 12; i++) {
    const base = {
      ...session(i),
      url: url(),
      context: { ...(makeEvent().context as object), experiments: { [h(30)]: h(30) } },
    }
    const ev = (type: string, fields: Record<string, unknown>) => events.push(makeEvent({ ...base, type, ...fields }))
    ev('page', { path: `/${h()}`, title: h(), navigation: 'load' })
    ev('page_leave', { engagedMs: 1000, maxScrollPct: 50, durationMs: 2000 })
    ev('track', { name: h(), props: { [h(20)]: h() } })
    ev('funnel_step', { funnel: h(), step: h(), stepIndex: 0, msSincePrevious: null, props: {} })
    if (i % 2 === 0) ev('funnel_step', { funnel: 'f', step: h(), stepIndex: 1, msSincePrevious: 500, props: {} })
    ev('funnel_step', { funnel: 'f', step: `start${h(30)}`, stepIndex: 0, msSincePrevious: null, props: {} })
    ev('experiment', { experiment: h(), variant: h() })
    ev('experiment', { experiment: 'exp', variant: i % 2 ? h(50) : 'A' })
    ev('feedback', { question: h(), answer: h() })
    ev('feedback', { question: `Q${h(50)}`, answer: i })
    ev('scroll', { depthPct: 50, pageHeight: 3000 })
    ev('rage_click', { selector: h(), text: h(), x: 1, y: 2, clicks: 4, windowMs: 500 })
    ev('dead_click', { selector: h(), text: h(), x: 1, y: 2 })
    ev('error', {
      source: 'onerror',
      message: h(),
      errorType: h(),
      fingerprint: h(64),
      count: 1,
      afterClick: h(),
      stack: [{ file: `javascript:${h()}`, line: 1, col: 1, fn: h() }],
    })
    ev('vital', {
      name: 'LCP',
      value: 5000,
      delta: 5000,
      rating: 'poor',
      navigationType: 'navigate',
      attribution: { target: h() },
    })
    ev('vital', {
      name: 'INP',
      value: 900,
      delta: 900,
      rating: 'poor',
      navigationType: 'navigate',
      attribution: { target: h() },
    })
    ev('form_abandon', {
      form: h(),
      fields: [h()],
      lastField: h(),
      durationMs: 10,
      hesitation: [{ field: h(), focusMs: 900, returns: 1, corrections: 2 }],
    })
    ev('quick_back', { leftPath: `/${h()}`, durationMs: 3000 })
    ev('excessive_scroll', { reversals: 4, windowMs: 5000, distancePx: 2400 })
    ev('field_error', { form: h(), field: h(), reason: 'valueMissing' })
    ev('section', { section: h(), visibleMs: 1500, order: 1 })
    // startTs 1e300 is in the numbers corpus below: the schema refuses it since #15.
    ev('replay', { seq: 0, events: h(), startTs: 1_732_350_000_000, endTs: 1_732_350_001_000 })
    ev('sdk_health', { dropped: { [h(30)]: 3 }, retried: 1, beaconRejected: 0, persisted: 0, invalid: 0 })
  }
  return events
}

/**
 * Numbers no Date holds (±8.64e15 ms is the limit). The schema of round 1 accepts them; a bound
 * on timestamps in the schema keeps new ones out, but files written before stay, and the report
 * does not re-validate stored lines: the renderers must survive them regardless.
 */
function extremeNumbers(): Record<string, unknown>[] {
  const events: Record<string, unknown>[] = []
  events.push(makeEvent({ ts: 9_000_000_000_000_000 }))
  events.push(makeEvent({ ts: -9_000_000_000_000_000 }))
  events.push(makeEvent({ type: 'replay', seq: 1, events: [], startTs: 1e300, endTs: 1e300, ts: 1e300 }))
  events.push(
    makeEvent({
      type: 'vital',
      name: 'CLS',
      value: 1e300,
      delta: 1e300,
      rating: 'poor',
      navigationType: 'navigate',
      attribution: {},
    }),
  )
  events.push(makeEvent({ type: 'feedback', question: 'score', answer: 1e300, ts: 9e15 }))
  return events
}

const STRINGS = corpus()
const CORPUS = [...STRINGS, ...extremeNumbers()]

/** Control characters but newline, C1 controls and bidi overrides/isolates. */
// eslint-disable-next-line no-control-regex
const TERMINAL_UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/

describe('the hostile corpus', () => {
  it('is accepted by the schema (so the collector stores it)', () => {
    for (const event of STRINGS) {
      const result = eventSchema.safeParse(event)
      expect(result.success, `${event.type}: ${result.error?.message}`).toBe(true)
    }
  })
})

describe('renderReportText with hostile events', async () => {
  const report = await buildReport(CORPUS, { funnel: 'f' })
  const text = renderReportText(report, { top: 50 })

  it('renders, with the feedback, friction, vitals and replay sections present', () => {
    expect(text).toContain('Rage clicks')
    expect(text).toContain('Feedback')
    expect(text).toContain('Elements blamed for slow values')
    expect(text).toContain('Recorded sessions')
    expect(text).toContain('invalid time')
  })

  it('lets no control character, escape sequence or bidi override reach the terminal', () => {
    expect(text).not.toMatch(TERMINAL_UNSAFE)
    // The payload is visible, defanged: the reader sees someone tried.
    expect(text).toContain('?]0;pwned?')
  })

  it('lets no value forge a line of its own', () => {
    expect(text.split('\n').some((line) => line.startsWith('12:00:00 page'))).toBe(false)
  })

  it('survives a report object holding any number (renderers never throw)', () => {
    const doctored = structuredClone(report)
    doctored.totals.firstTs = 9e15
    doctored.totals.lastTs = Number.MAX_VALUE
    doctored.replays.list[0] = { ...doctored.replays.list[0], firstTs: -1e300, lastTs: 1e300, durationMs: 2e300 }
    expect(() => renderReportText(doctored)).not.toThrow()
    expect(() => renderReportHtml(doctored)).not.toThrow()
  })
})

describe('renderReportHtml with hostile events', async () => {
  const report = await buildReport(CORPUS, { funnel: 'f' })
  const html = renderReportHtml(report, { top: 50 })
  const doc = new DOMParser().parseFromString(html, 'text/html')

  it('parses to a document without scripts, event handlers or javascript: URLs', () => {
    expect(doc.querySelectorAll('script, iframe, object, embed, img, link, base, meta[http-equiv]')).toHaveLength(0)
    expect(doc.querySelectorAll('style')).toHaveLength(1)
    for (const element of doc.querySelectorAll('*')) {
      for (const attribute of element.attributes) {
        expect(attribute.name, `${element.tagName} ${attribute.name}`).not.toMatch(/^on/i)
        if (/^(href|src|xlink:href|action|formaction)$/i.test(attribute.name)) {
          expect(attribute.value).not.toMatch(/^\s*(javascript|data|vbscript):/i)
        }
      }
    }
    expect(html).not.toMatch(/<script|<img|<svg onload|href="javascript/i)
  })

  it('shows the hostile strings as text, escaped, in the sections that carry them', () => {
    const body = doc.body.textContent ?? ''
    expect(body).toContain('<script>alert(1)</script>')
    expect(body).toContain('"><img src=x onerror=alert(2)>')
    expect(body).toContain('&lt;b&gt;entity&amp;')
    for (const heading of ['Friction', 'Feedback', 'Core Web Vitals (p75)', 'Recorded sessions']) {
      expect([...doc.querySelectorAll('h2')].map((e) => e.textContent)).toContain(heading)
    }
  })

  it('keeps the only <style> the renderer wrote', () => {
    expect(doc.querySelector('style')!.textContent).toContain('font:14px/1.45 system-ui')
  })
})

describe('formatEvent (the demo and `frictionlog collect` stream) with hostile events', () => {
  it('prints one line per event, without controls, for every event of the corpus', () => {
    for (const event of CORPUS) {
      const line = formatEvent(event as unknown as FrictionEvent)
      expect(line).not.toMatch(TERMINAL_UNSAFE)
      expect(line).not.toMatch(/[\n\r\u2028\u2029]/)
    }
  })

  it('prints a time placeholder for a ts no Date holds', () => {
    expect(formatEvent(makeEvent({ ts: 9e15 }) as unknown as FrictionEvent)).toMatch(/^--:--:-- scroll/)
  })
})
