// @vitest-environment node
// The dashboard over ClickHouse answers what it answers over the NDJSON files: the same events go
// to both stores (a batch stored twice in ClickHouse, as a retry would), and every data route of
// the two dashboards must give the same JSON. Needs clickhouse-server: fails, never skips.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startClickhouse, type ClickhouseServer } from '../../../scripts/clickhouse.mjs'
import { createClickhouseSink } from '../../../src/collector/sinks/clickhouse'
import { createNdjsonSink } from '../../../src/collector/sinks/ndjson'
import { createDashboard, type Dashboard } from '../../../src/dashboard/dashboard'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeEvent } from '../support/events'
import { generateEvents } from '../report/fixtures'

let server: ClickhouseServer
let dir: string
let fromFiles: Dashboard
let fromClickhouse: Dashboard
const BASE = 'http://127.0.0.1:8787'

const context = (w: number) => ({ ...(makeEvent().context as Record<string, unknown>), viewport: { w, h: 700 } })

/** What the generator never makes: heatmap clicks at every breakpoint, page heights and URLs, replays. */
function dashboardEvents(): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = []
  const widths = [390, 800, 1280, 1440, 0]
  for (let i = 0; i < 90; i += 1) {
    const path = ['/pricing', '/', '/cart'][i % 3]
    const url = `https://shop.example${path}?i=${i}`
    const viewportW = widths[i % widths.length]
    out.push(makeEvent({ type: 'click', url, x: 0.1 * (i % 10), y: 0.5, viewportW, selector: `#b${i % 4}`, text: '' }))
    if (i % 5 === 0) {
      // Rage and dead clicks have no viewportW: the context's width places them.
      const type = i % 10 ? 'rage_click' : 'dead_click'
      out.push(makeEvent({ type, url, context: context(widths[i % 4]), selector: '#buy', text: 'Buy', x: 3, y: 4 }))
    }
    if (i % 7 === 0) out.push(makeEvent({ type: 'scroll', url, depthPct: 80, pageHeight: 1000 + i * 10 }))
  }
  // Two page views of /tie at the same ts: the later arrival's URL is the page shown.
  const ts = 1_732_350_900_000
  out.push(makeEvent({ type: 'click', url: 'https://shop.example/tie', x: 1, y: 1, viewportW: 1280, selector: '#t' }))
  out.push(makeEvent({ type: 'page', url: 'https://shop.example/tie?first', ts, title: 't', navigation: 'load' }))
  out.push(makeEvent({ type: 'page', url: 'https://shop.example/tie?second', ts, title: 't', navigation: 'load' }))
  for (const [sessionId, seq, pageId] of [
    ['rec-1', 1, 'p2'],
    ['rec-1', 0, 'p1'],
    ['rec-2', 0, 'p3'],
  ] as const) {
    const startTs = 1_732_350_000_000 + seq * 5000
    out.push(
      makeEvent({
        type: 'replay',
        sessionId,
        pageId,
        seq,
        events: [{ type: 2, data: {}, timestamp: startTs }],
        startTs,
        endTs: startTs + 4000,
      }),
    )
  }
  out.push(makeEvent({ type: 'rage_click', sessionId: 'rec-1', selector: '#pay', text: 'Pay', x: 1, y: 1, clicks: 4 }))
  out.push(makeEvent({ type: 'error', sessionId: 'rec-1', message: 'Boom', fingerprint: 'fp', count: 3 }))
  out.push(makeEvent({ type: 'field_error', sessionId: 'rec-2', form: 'f', field: 'email', reason: 'valueMissing' }))
  return out
}

beforeAll(async () => {
  server = await startClickhouse()
  dir = await mkdtemp(join(tmpdir(), 'fl-dash-ch-'))
  const events = [...generateEvents(3000), ...(dashboardEvents() as unknown as FrictionEvent[])]
  const files = createNdjsonSink({ dir })
  const clickhouse = createClickhouseSink({ url: server.url, database: 'dash' })
  for (let i = 0; i < events.length; i += 400) {
    await files.write(events.slice(i, i + 400))
    await clickhouse.write(events.slice(i, i + 400))
  }
  await clickhouse.write(events.slice(800, 1200))
  await clickhouse.close()
  await files.close?.()
  fromFiles = createDashboard({ dir })
  fromClickhouse = createDashboard({ clickhouse: { url: server.url, database: 'dash' } })
}, 60_000)

afterAll(async () => {
  await fromClickhouse?.close()
  await server?.stop()
  if (dir) await rm(dir, { recursive: true, force: true })
})

const answer = async (dashboard: Dashboard, route: string) => {
  const response = (await dashboard.handle(new Request(BASE + route)))!
  expect(response.status).toBe(200)
  return (await response.json()) as Record<string, unknown>
}

describe('the dashboard over ClickHouse', { timeout: 60_000 }, () => {
  it.each([
    '/api/heatmap?path=/pricing&bp=desktop',
    '/api/heatmap?path=/pricing&bp=mobile',
    '/api/heatmap?path=/&bp=tablet',
    '/api/heatmap?path=/cart&bp=desktop',
    '/api/heatmap?path=/tie&bp=desktop',
    '/api/heatmap?path=/nowhere&bp=desktop',
    '/api/replays',
    '/api/replay?session=rec-1',
    '/api/replay?session=rec-2',
    '/api/replay?session=nobody',
  ])('answers %s as the NDJSON dashboard does', async (route) => {
    const expected = await answer(fromFiles, route)
    expect(await answer(fromClickhouse, route)).toEqual(expected)
  })

  it('has data on those routes, so the equality is not between empty answers', async () => {
    const heat = await answer(fromFiles, '/api/heatmap?path=/pricing&bp=desktop')
    expect((heat.points as unknown[]).length).toBeGreaterThan(5)
    expect((heat.paths as unknown[]).length).toBeGreaterThanOrEqual(3)
    expect(heat.pageHeight).toBe(1840)
    const tie = await answer(fromFiles, '/api/heatmap?path=/tie&bp=desktop')
    expect(tie.pageUrl).toBe('https://shop.example/tie?second')
    const replay = await answer(fromFiles, '/api/replay?session=rec-1')
    expect((replay.chunks as Array<{ seq: number }>).map((chunk) => chunk.seq)).toEqual([0, 1])
    expect((replay.markers as Array<{ type: string }>).map((marker) => marker.type)).toEqual(['rage_click', 'error'])
    const list = await answer(fromFiles, '/api/replays')
    expect(list.friction).toEqual({
      'rec-1': { rage: 1, dead: 0, errors: 3, formIssues: 0 },
      'rec-2': { rage: 0, dead: 0, errors: 0, formIssues: 1 },
    })
  })

  it('serves the SQL report, and a new version once more events are stored', async () => {
    const before = await answer(fromClickhouse, '/api/report')
    const files = await answer(fromFiles, '/api/report')
    expect(before.report).toEqual(files.report)
    const sink = createClickhouseSink({ url: server.url, database: 'dash' })
    await sink.write([makeEvent({ type: 'page', title: 't', navigation: 'load' }) as unknown as FrictionEvent])
    await sink.close()
    const after = await answer(fromClickhouse, '/api/report')
    expect(after.version).not.toBe(before.version)
    const totals = (report: unknown) => (report as { totals: { events: number } }).totals.events
    expect(totals(after.report)).toBe(totals(before.report) + 1)
  })

  it('shows an empty store before the first event, not an error (the table is created)', async () => {
    const fresh = createDashboard({ clickhouse: { url: server.url, database: 'not_yet' } })
    try {
      expect(await answer(fresh, '/api/version')).toEqual({ version: 'empty' })
      const { report } = (await answer(fresh, '/api/report')) as { report: { totals: { events: number } } }
      expect(report.totals.events).toBe(0)
    } finally {
      await fresh.close()
    }
  })

  it('needs exactly one store', () => {
    expect(() => createDashboard({})).toThrow(/either `dir` \(NDJSON\) or `clickhouse`/)
    expect(() => createDashboard({ dir, clickhouse: { url: server.url } })).toThrow(/not both/)
  })
})
