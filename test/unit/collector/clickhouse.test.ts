// @vitest-environment node
// The ClickHouse sink, its row mapping, its escaper and `frictionlog clickhouse init`, against a
// real clickhouse-server started in a temp dir (fails, never skips, when it is not installed).
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freePort, startClickhouse, type ClickhouseServer } from '../../../scripts/clickhouse.mjs'
import { createCollector } from '../../../src/collector/collector'
import { createClickhouseSink } from '../../../src/collector/sinks/clickhouse'
import { connectClickhouse, type ClickhouseConnection } from '../../../src/collector/sinks/clickhouseClient'
import { clickhouseDdl } from '../../../src/collector/sinks/clickhouseDdl'
import { sqlIdentifier, sqlString } from '../../../src/collector/sinks/clickhouseEscape'
import { clickhouseRow, eventFromRow } from '../../../src/collector/sinks/clickhouseRow'
import { runCli } from '../../../src/cli/runCli'
import { eventSchema, type FrictionEvent } from '../../../src/schema/index'
import { makeBatch, makeEvent, postBatch } from '../support/events'

let server: ClickhouseServer
let ch: ClickhouseConnection

beforeAll(async () => {
  server = await startClickhouse()
  ch = await connectClickhouse({ url: server.url })
}, 60_000)

afterAll(async () => {
  await ch?.close()
  await server?.stop()
})

const event = (overrides: Record<string, unknown>) => makeEvent(overrides) as unknown as FrictionEvent

const cli = async (argv: string[]) => {
  const out: string[] = []
  const err: string[] = []
  const code = await runCli(argv, {
    stdout: (l) => out.push(l),
    stderr: (l) => err.push(l),
    signal: new AbortController().signal,
  })
  return { code, out: out.join('\n'), err: err.join('\n') }
}

/** A port nothing listens on: ClickHouse "down". */
const closedPort = freePort

describe('sqlString', () => {
  it.each([
    ['plain', "'plain'"],
    ["it's", "'it\\'s'"],
    ['back\\slash', "'back\\\\slash'"],
    ['line\nbreak\ttab\rcr', "'line\\nbreak\\ttab\\rcr'"],
    ['nul\u0000', "'nul\\0'"],
    ['bell\u0007del\u007f', "'bell\\x07del\\x7f'"],
    ["'; DROP TABLE x; --", "'\\'; DROP TABLE x; --'"],
  ])('escapes %j', (value, literal) => {
    expect(sqlString(value)).toBe(literal)
  })

  it('round-trips every tricky string through a real server unchanged', async () => {
    const values = [
      "it's",
      'a\\b',
      '\\',
      "\\'",
      'x\ny\r\tz',
      'nul\u0000end',
      '\u0001\u001f\u007f',
      'ünïcødé 😀',
      "'; DROP TABLE x; --",
      '',
      '?{x:String}',
    ]
    const sql = `SELECT [${values.map(sqlString).join(', ')}] AS values`
    const [row] = await ch.query<{ values: string[] }>(sql)
    expect(row.values).toEqual(values)
  })
})

describe('sqlIdentifier', () => {
  it.each(['frictionlog', 'events_2024', '_x'])('quotes %s', (name) => {
    expect(sqlIdentifier(name)).toBe(`\`${name}\``)
  })
  it.each(['', 'a-b', 'a.b', 'x`; DROP', '1abc', 'a b'])('refuses %j', (name) => {
    expect(() => sqlIdentifier(name)).toThrow(/invalid ClickHouse identifier/)
  })
})

describe('clickhouseRow', () => {
  it('maps the envelope, the report fields and keeps the rest as JSON', () => {
    const source = event({
      type: 'error',
      source: 'onerror',
      message: 'boom',
      errorType: 'TypeError',
      stack: [],
      fingerprint: '',
      count: 0,
      afterClick: 'button#pay',
      url: 'https://shop.example/cart?x=1',
      context: { ...(makeEvent().context as object), experiments: { hero: 'B' } },
    })
    const row = clickhouseRow(source, 'landing', 7)
    expect(row).toMatchObject({
      id: source.id,
      ts: source.ts,
      seq: 7,
      site: 'landing',
      type: 'error',
      urlPath: '/cart',
      experimentNames: ['hero'],
      experimentVariants: ['B'],
    })
    expect(JSON.parse(row.facts as string)).toEqual({
      fingerprint: 'boom',
      message: 'boom',
      errorType: 'TypeError',
      source: 'onerror',
      occurrences: 1,
      afterClick: 'button#pay',
    })
    expect(JSON.parse(row.fields as string)).toEqual({
      depthPct: 50,
      pageHeight: 3200,
      source: 'onerror',
      message: 'boom',
      errorType: 'TypeError',
      stack: [],
      fingerprint: '',
      count: 0,
      afterClick: 'button#pay',
    })
    expect(eventFromRow(row as never)).toEqual(source)
  })

  it.each<[string, Record<string, unknown>, Record<string, unknown>]>([
    [
      'a valid funnel step',
      { type: 'funnel_step', funnel: 'checkout', step: 'pay', stepIndex: 2, msSincePrevious: 900, props: {} },
      { funnel: 'checkout', step: 'pay', stepIndex: 2, msSincePrevious: 900 },
    ],
    [
      'a step index too large',
      { type: 'funnel_step', funnel: 'f', step: 's', stepIndex: 31, msSincePrevious: null, props: {} },
      { stepIndex: -1 },
    ],
    [
      'a vital without a known rating',
      {
        type: 'vital',
        name: 'LCP',
        value: 3000,
        delta: 1,
        rating: 'meh',
        navigationType: 'navigate',
        attribution: { target: 'img' },
      },
      { name: 'LCP', value: 3000, rating: 'needs-improvement', target: 'img' },
    ],
    ['a scroll', { type: 'scroll', depthPct: 75, pageHeight: 100 }, { depthPct: 75 }],
    [
      'a section past order 50',
      { type: 'section', section: 'faq', visibleMs: -1, order: 70 },
      { section: 'faq', visibleMs: 0, sectionOrder: 70 },
    ],
    [
      'an abandon without last field',
      { type: 'form_abandon', form: '', fields: [], durationMs: 1 },
      { form: '(unknown)', lastField: '(none)' },
    ],
    [
      'sdk_health',
      { type: 'sdk_health', dropped: { a: 2, b: 3 }, retried: 1, beaconRejected: 0, persisted: 4, invalid: 0 },
      { retried: 1, persisted: 4 },
    ],
    [
      'a compressed replay chunk',
      { type: 'replay', seq: 0, events: 'abcd', compressed: true, startTs: 5, endTs: 9 },
      { replayBytes: 4, replayStart: 5, replayEnd: 9 },
    ],
  ])('%s', (_name, fields, facts) => {
    expect(JSON.parse(clickhouseRow(event(fields), '', 1).facts as string)).toMatchObject(facts)
  })

  it('leaves null facts out (read back as NULL) and keeps sdk_health drops as arrays', () => {
    const step = clickhouseRow(
      event({ type: 'funnel_step', funnel: 'f', step: 's', stepIndex: 0, msSincePrevious: null, props: {} }),
      '',
      1,
    )
    expect(JSON.parse(step.facts as string)).not.toHaveProperty('msSincePrevious')
    const health = clickhouseRow(
      event({ type: 'sdk_health', dropped: { a: 2, b: 3 }, retried: 0, beaconRejected: 0, persisted: 0, invalid: 0 }),
      '',
      1,
    )
    expect(health).toMatchObject({ droppedReasons: ['a', 'b'], droppedCounts: [2, 3] })
  })
})

describe('createClickhouseSink', () => {
  it('creates the table on first write and stores events that read back whole and valid', async () => {
    const sink = createClickhouseSink({ url: server.url, database: 'sinktest' })
    const events = [
      event({ type: 'page', path: '/pricing', title: 'Pricing ü', navigation: 'load' }),
      event({ type: 'track', name: 'signup', props: { plan: "o'neil", nested: { a: [1, 2] } }, userId: 'u-1' }),
      event({}),
    ]
    await sink.write(events)
    await sink.close()
    const rows = await ch.query<Parameters<typeof eventFromRow>[0]>(
      'SELECT id, ts, type, sessionId, anonymousId, userId, pageId, url, context, fields FROM sinktest.events FINAL ' +
        'ORDER BY seq',
    )
    const stored = rows.map(eventFromRow)
    expect(stored).toEqual(events)
    for (const item of stored) expect(eventSchema.safeParse(item).success).toBe(true)
    const [{ day }] = await ch.query<{ day: string }>(
      `SELECT toString(day) AS day FROM sinktest.events WHERE id = ${sqlString(events[0].id)}`,
    )
    expect(day).toBe(new Date(events[0].ts).toISOString().slice(0, 10))
  })

  it('stores facts that visitParamExtract reads back exactly (escapes, unicode, control chars, floats)', async () => {
    const selector = 'a[title="it\'s"] \\ ü 😀 \u0001\u001f\u2028 "name":x'
    const value = 2734.123456789012
    const sink = createClickhouseSink({ url: server.url, database: 'facts' })
    await sink.write([
      event({ type: 'rage_click', selector, text: 'x', x: 1, y: 1, clicks: 3, windowMs: 500 }),
      event({
        type: 'vital',
        name: 'LCP',
        value,
        delta: 0,
        rating: 'poor',
        navigationType: 'navigate',
        attribution: {},
      }),
    ])
    await sink.close()
    const rows = await ch.query<{
      selector: string
      value: number
    }>(`SELECT visitParamExtractString(facts, 'selector') AS selector,
      visitParamExtractFloat(facts, 'value') AS value FROM facts.events ORDER BY seq`)
    expect(rows).toEqual([
      { selector, value: 0 },
      { selector: '', value },
    ])
  })

  it('writes into a table created without the newer columns (unknown fields skipped)', async () => {
    await ch.command('CREATE DATABASE IF NOT EXISTS old')
    await ch.command(
      'CREATE TABLE old.events (id String, ts UInt64, type String, seq UInt64) ENGINE = ReplacingMergeTree() ORDER ' +
        'BY (type, ts, id)',
    )
    const sink = createClickhouseSink({ url: server.url, database: 'old', createTable: false })
    await sink.write([event({})])
    await sink.close()
    const [{ n }] = await ch.query<{ n: number }>('SELECT count() AS n FROM old.events')
    expect(n).toBe(1)
  })

  it('rejects when ClickHouse is unreachable, so the collector answers 503 with Retry-After', async () => {
    const sink = createClickhouseSink({ url: `http://127.0.0.1:${await closedPort()}`, requestTimeoutMs: 2000 })
    await expect(sink.write([event({})])).rejects.toThrow()
    const collector = createCollector({ sink })
    const response = await collector.handle(postBatch(makeBatch([makeEvent()])))
    expect(response.status).toBe(503)
    expect(response.headers.get('retry-after')).toMatch(/^\d+$/)
    await sink.close()
  })

  it('counts a batch retried after an outage once', async () => {
    const sink = createClickhouseSink({ url: server.url, database: 'outage', requestTimeoutMs: 2000 })
    const collector = createCollector({ sink })
    const batch = makeBatch([makeEvent(), makeEvent()])
    expect((await collector.handle(postBatch(batch))).status).toBe(200)
    // The 200 was lost on the way back: the browser sends the batch again, to another collector.
    const other = createCollector({ sink: createClickhouseSink({ url: server.url, database: 'outage' }) })
    expect((await other.handle(postBatch(batch))).status).toBe(200)
    const [counts] = await ch.query<{ rows: number; final: number }>(
      'SELECT (SELECT count() FROM outage.events) AS rows, (SELECT count() FROM outage.events FINAL) AS final',
    )
    expect(counts).toEqual({ rows: 4, final: 2 })
    await sink.close()
  })
})

describe('frictionlog clickhouse', () => {
  it('init creates the table, twice without error', async () => {
    expect(await cli(['clickhouse', 'init', '--url', server.url, '--database', 'clidb'])).toMatchObject({ code: 0 })
    const second = await cli(['clickhouse', 'init', '--url', server.url, '--database', 'clidb'])
    expect(second).toMatchObject({ code: 0, out: expect.stringContaining('clidb.events ready') })
    const [{ engine }] = await ch.query<{ engine: string }>(
      "SELECT engine FROM system.tables WHERE database = 'clidb' AND name = 'events'",
    )
    expect(engine).toBe('ReplacingMergeTree')
  })

  it('--print prints the DDL without a server', async () => {
    const { code, out } = await cli(['clickhouse', 'init', '--print'])
    expect(code).toBe(0)
    expect(out).toBe(
      clickhouseDdl()
        .map((sql) => `${sql};`)
        .join('\n\n'),
    )
  })

  it.each([
    [['clickhouse']],
    [['clickhouse', 'drop']],
    [['clickhouse', 'init']],
    [['clickhouse', 'init', '--url', 'nope']],
    [['clickhouse', 'init', '--print', '--table', 'a;b']],
  ])('exits 2 on %j', async (argv) => {
    expect((await cli(argv)).code).toBe(2)
  })

  it('init exits 1 with the reason when the server is down', async () => {
    const { code, err } = await cli(['clickhouse', 'init', '--url', `http://127.0.0.1:${await closedPort()}`])
    expect(code).toBe(1)
    expect(err).toMatch(/frictionlog clickhouse: /)
  })
})
