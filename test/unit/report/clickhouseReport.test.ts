// @vitest-environment node
// The equality test: the same generated events through the NDJSON path (buildReport) and through
// a real clickhouse-server (sink → SQL report) give deep-equal report models. Fails, never skips,
// when clickhouse-server is missing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickhouse, type ClickhouseServer } from '../../../scripts/clickhouse.mjs'
import { createClickhouseSink } from '../../../src/collector/sinks/clickhouse'
import { connectClickhouse, type ClickhouseConnection } from '../../../src/collector/sinks/clickhouseClient'
import { runCli } from '../../../src/cli/runCli'
import { buildReport } from '../../../src/report/buildReport'
import { buildClickhouseReport } from '../../../src/report/clickhouse/clickhouseReport'
import type { Report, ReportOptions } from '../../../src/report/types'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeEvent } from '../support/events'
import { generateEvents } from './fixtures'

let server: ClickhouseServer
let ch: ClickhouseConnection
const events: FrictionEvent[] = []

/** Events the generator never makes: replay chunks, odd selectors (quotes, backslashes, unicode), a second site. */
function extraEvents(): FrictionEvent[] {
  const extra = [
    makeEvent({
      type: 'replay',
      sessionId: 'rec-1',
      pageId: 'p1',
      seq: 0,
      events: 'H4sIAAAA',
      compressed: true,
      startTs: 1_732_350_000_100,
      endTs: 1_732_350_004_000,
    }),
    makeEvent({
      type: 'replay',
      sessionId: 'rec-1',
      pageId: 'p2',
      seq: 1,
      events: [{ type: 2, data: {}, timestamp: 1 }],
      startTs: 1_732_350_005_000,
      endTs: 1_732_350_009_000,
    }),
    makeEvent({
      type: 'replay',
      sessionId: 'rec-2',
      pageId: 'p3',
      seq: 0,
      events: 'H4sIBBBBBB',
      compressed: true,
      startTs: 1_732_350_001_000,
      endTs: 1_732_350_002_000,
    }),
    ...Array.from({ length: 3 }, () =>
      makeEvent({
        type: 'rage_click',
        selector: 'a[title="it\'s"] > span.\\31 ü',
        text: 'Ça va',
        x: 1,
        y: 2,
        clicks: 4,
        windowMs: 500,
      }),
    ),
    makeEvent({ type: 'dead_click', selector: "div'; DROP TABLE x; --", text: '', x: 1, y: 2 }),
    makeEvent({ type: 'form_abandon', form: 'newsletter', fields: ['email'], lastField: 'email', durationMs: 100 }),
    ...hesitationEvents(),
    makeEvent({
      type: 'sdk_health',
      dropped: { 'too-large': 1, 'queue-full': 4 },
      retried: 0,
      beaconRejected: 2,
      persisted: 0,
      invalid: 1,
    }),
  ]
  return extra as unknown as FrictionEvent[]
}

const NEXT_DAY = 1_732_350_000_000 + 86_400_000

/** Context of a next-day session: its device and landing source (utm, referrer, or none). */
const contextOf = (i: number, experiments: Record<string, string>) => ({
  userAgent: 'test',
  language: 'en',
  timezone: 'UTC',
  viewport: { w: 800, h: 600 },
  screen: { w: 800, h: 600 },
  deviceType: ['tablet', 'mobile', 'desktop'][i % 3],
  referrer: ['https://WWW.Example.org/a?b', 'https://shop.example/self', '', 'https://news.site:8080/x'][i % 4],
  utm: i % 5 === 0 ? { source: 'NewsLetter' } : {},
  experiments,
  sdk: { name: 'frictionlog', version: 'test' },
})

/**
 * Next-day sessions with what the generator never makes: quick backs, excessive scrolling,
 * per-field hesitation, feedback (scores, free text to scrub, ties), landing sources and devices,
 * returning visitors, and friction on exposed pages.
 */
function hesitationEvents(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  for (let i = 0; i < 60; i += 1) {
    const sessionId = `next-${i}`
    const anonymousId = `nv-${i % 40}`
    const variant = i % 2 ? 'A' : 'B'
    let ts = NEXT_DAY + i * 60_000
    const add = (fields: Record<string, unknown>, experiments: Record<string, string> = {}) => {
      ts += 1000
      const page = (fields.path as string | undefined) ?? ['/', '/cart', '/faq'][i % 3]
      out.push(
        makeEvent({
          sessionId,
          anonymousId,
          ts,
          url: `https://shop.example${page}?q=${i}`,
          context: contextOf(i, experiments),
          ...fields,
        }),
      )
    }
    add({ type: 'page', path: ['/', '/cart', '/faq'][i % 3], title: 't', navigation: 'load' })
    add({ type: 'experiment', experiment: 'hero-copy', variant })
    const exposed = { 'hero-copy': variant }
    if (i % 3 !== 2)
      add({ type: 'quick_back', leftPath: ['/pricing', '/blog', ''][(i % 4) % 3], durationMs: i * 37 }, exposed)
    if (i % 4 === 0) add({ type: 'excessive_scroll', reversals: 3 + (i % 5), windowMs: 900, distancePx: 1200 + i * 10 })
    if (i % 2 === 0)
      add({ type: 'rage_click', selector: '#promo', text: 'Promo', x: 1, y: 1, clicks: 3, windowMs: 400 }, exposed)
    if (i % 7 === 0) add({ type: 'error', message: i % 14 ? 'Boom' : '', fingerprint: 'fp-next', count: 1 }, exposed)
    add({ type: 'vital', name: 'LCP', value: 1800 + i * 90, rating: i % 3 ? 'good' : 'poor' }, exposed)
    add({ type: 'vital', name: 'INP', value: 90 + i * 7, rating: i % 4 ? 'good' : 'needs-improvement' }, exposed)
    add({ type: 'form_start', form: 'signup-form', fields: ['email'], durationMs: 0 }, exposed)
    const hesitation = [
      { field: 'email', focusMs: 500 + i * 11, returns: i % 3, corrections: i % 2 },
      { field: i % 2 ? 'password' : 'name', focusMs: 300 + i, returns: 0, corrections: i % 4 },
      ...(i % 5 === 0 ? [{ field: '', focusMs: 10, returns: 1, corrections: 0 }] : []),
    ]
    const end = i % 3 === 0 ? 'form_abandon' : 'form_submit'
    add({ type: end, form: 'signup-form', fields: ['email'], lastField: 'email', durationMs: 900, hesitation }, exposed)
    if (i % 6 === 0) add({ type: 'field_error', form: 'signup-form', field: 'email', reason: 'typeMismatch' }, exposed)
    if (end === 'form_submit' && i % 2 === 0) add({ type: 'track', name: 'signup' }, exposed)
    add({ type: 'feedback', question: 'How likely are you to recommend us?', answer: i % 11 })
    if (i % 4 !== 3) {
      const texts = ['Great  shop', 'great shop', 'Mail me at jo@example.com', 'Call +1 415 555 0100', 'Too slow']
      add({
        type: 'feedback',
        question: i % 8 ? 'What could we improve?' : 'What could we  improve? jo@example.com',
        answer: texts[i % 5],
      })
    }
    if (i % 9 === 0) add({ type: 'feedback', question: 'Mixed?', answer: i % 2 ? 'yes' : 4.5 })
  }
  return out
}

beforeAll(async () => {
  server = await startClickhouse()
  ch = await connectClickhouse({ url: server.url })
  for (const event of generateEvents(8000)) events.push(event)
  events.push(...extraEvents())
  const sink = createClickhouseSink({ url: server.url, database: 'eq' })
  for (let i = 0; i < events.length; i += 500) await sink.write(events.slice(i, i + 500))
  // A retried batch stored a second time (another collector, a lost 200): counted once.
  await sink.write(events.slice(1000, 1500))
  await sink.close()
}, 60_000)

afterAll(async () => {
  await ch?.close()
  await server?.stop()
})

// About forty queries per report against a real server: seconds on a loaded machine, not the default 5.
describe('the report on ClickHouse', { timeout: 60_000 }, () => {
  it('stores each retried id once as read with FINAL', async () => {
    const [raw] = await ch.query<{ rows: number }>('SELECT count() AS rows FROM eq.events')
    const [final] = await ch.query<{ rows: number; ids: number }>(
      'SELECT count() AS rows, uniqExact(id) AS ids FROM eq.events FINAL',
    )
    expect(raw.rows).toBe(events.length + 500)
    expect(final).toEqual({ rows: events.length, ids: events.length })
  })

  it.each<[string, ReportOptions]>([
    ['default conversion (longest funnel)', {}],
    ['--funnel signup', { funnel: 'signup' }],
    ['--goal signup', { goal: 'signup' }],
    ['--funnel that was never stored', { funnel: 'nope' }],
  ])('equals the NDJSON report over the same events: %s', async (_name, options) => {
    const expected = await buildReport(events, options)
    const actual = await buildClickhouseReport({ url: server.url, database: 'eq', connection: ch, ...options })
    // Sanity: the data exercises every section, so equality is not between two empty reports.
    expect(expected.experiments.length).toBeGreaterThan(0)
    expect(expected.friction.rageClicks.length).toBeGreaterThan(1)
    expect(expected.replays.sessions).toBe(2)
    expect(expected.health).not.toBeNull()
    expect(expected.days.length).toBe(2)
    for (const key of ['quickBacks', 'excessiveScrolls', 'fieldHesitation'] as const) {
      expect(expected.friction[key].length).toBeGreaterThan(1)
    }
    expect(expected.feedback.length).toBeGreaterThan(2)
    if (expected.conversion) expect(expected.frictionCost.length).toBeGreaterThan(1)
    expect(actual).toEqual(expected)
  })

  it('reads only the requested site, and an empty table gives the empty report', async () => {
    const sink = createClickhouseSink({ url: server.url, database: 'eq', table: 'sites', site: "o'neil" })
    await sink.write(events.slice(0, 300))
    await sink.close()
    const other = createClickhouseSink({ url: server.url, database: 'eq', table: 'sites', site: 'other' })
    await other.write(events.slice(300, 400))
    await other.close()
    const actual = await buildClickhouseReport({
      url: server.url,
      database: 'eq',
      table: 'sites',
      site: "o'neil",
      connection: ch,
    })
    // NDJSON events carry no site, so the expected report is the unfiltered one of the same events.
    const expected = await buildReport(events.slice(0, 300))
    expect(actual).toEqual({
      ...expected,
      options: { site: "o'neil" },
      totals: { ...expected.totals, filteredOut: 100 },
    })
    const empty = await buildClickhouseReport({
      url: server.url,
      database: 'eq',
      table: 'sites',
      site: 'nobody',
      connection: ch,
    })
    const none = await buildReport([])
    expect(empty).toEqual({ ...none, options: { site: 'nobody' }, totals: { ...none.totals, filteredOut: 400 } })
  })

  it('applies --since/--until as the NDJSON report does', async () => {
    const since = events[2000].ts
    const until = events[5000].ts
    const expected = await buildReport(events, { since, until })
    const actual = await buildClickhouseReport({ url: server.url, database: 'eq', connection: ch, since, until })
    expect(expected.totals.filteredOut).toBeGreaterThan(0)
    expect(actual).toEqual(expected)
  })

  it('frictionlog report --clickhouse prints the same report as --dir would', async () => {
    const sink = createClickhouseSink({ url: server.url })
    await sink.write(events.slice(0, 2000))
    await sink.close()
    const out: string[] = []
    const io = { stdout: (line: string) => out.push(line), stderr: () => {}, signal: new AbortController().signal }
    expect(await runCli(['report', '--clickhouse', server.url, '--json', '--goal', 'signup'], io)).toBe(0)
    const printed = JSON.parse(out.join('\n')) as Report
    expect(printed).toEqual(JSON.parse(JSON.stringify(await buildReport(events.slice(0, 2000), { goal: 'signup' }))))
    const text: string[] = []
    expect(await runCli(['report', '--clickhouse', server.url], { ...io, stdout: (line) => text.push(line) })).toBe(0)
    expect(text.join('\n')).toMatch(/checkout/)
    expect(await runCli(['report', '--site', 'x'], io)).toBe(2)
  })
})
