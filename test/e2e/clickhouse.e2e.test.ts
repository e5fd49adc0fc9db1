import { spawn, type ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startClickhouse, type ClickhouseServer } from '../../scripts/clickhouse.mjs'
import { eventSchema } from '../../dist/schema/index.js'
import { connectClickhouse, type ClickhouseConnection } from '../../src/collector/sinks/clickhouseClient'
import { eventFromRow } from '../../src/collector/sinks/clickhouseRow'
import { sqlString } from '../../src/collector/sinks/clickhouseEscape'
import { launchBrowser, type Browser } from './support/browser'
import { closePage, openPage, until } from './support/page'
import { startStaticServer, type StaticServer } from './support/server'

// Real Chromium → the real collector (`frictionlog collect --clickhouse`, its own process) →
// a real clickhouse-server started for this file; events are read back from ClickHouse and
// validated with frictionlog/schema, and shown by the collector's dashboard. Also: two collectors receiving the same retried batch, a
// collector SIGKILLed mid-load and restarted, and a ClickHouse outage (shortened, see below).
let clickhouse: ClickhouseServer
let ch: ClickhouseConnection
let server: StaticServer
let browser: Browser
const children = new Set<ChildProcess>()

interface CollectorProcess {
  url: string
  port: number
  child: ChildProcess
}

/** `frictionlog collect --clickhouse` from the build, resolved once it prints its URL. */
const startCollectorProcess = (port = 0): Promise<CollectorProcess> =>
  new Promise((resolve, reject) => {
    const args = ['dist/cli/bin.js', 'collect', '--port', String(port), '--clickhouse', clickhouse.url, '--quiet']
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
    children.add(child)
    child.once('exit', () => children.delete(child))
    let out = ''
    const timer = setTimeout(() => reject(new Error(`collector did not start: ${out}`)), 15_000)
    child.stderr!.on('data', (chunk) => (out += chunk))
    child.stdout!.on('data', (chunk) => {
      out += chunk
      const match = /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(out)
      if (!match) return
      clearTimeout(timer)
      resolve({ url: match[1], port: Number(match[2]), child })
    })
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)))
  })

const stopProcess = async (child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM') => {
  if (child.exitCode !== null || child.signalCode !== null) return
  const exited = new Promise((done) => child.once('exit', done))
  child.kill(signal)
  await exited
}

let counter = 0
const makeEvent = (run: string, i: number) => ({
  id: `${run}-${i}-${++counter}`,
  type: 'track',
  ts: Date.now(),
  sessionId: `${run}-s${i % 7}`,
  anonymousId: `${run}-v${i % 5}`,
  pageId: `${run}-p`,
  url: `https://shop.example/${run}`,
  context: {
    userAgent: 'node',
    language: 'en',
    timezone: 'UTC',
    viewport: { w: 1, h: 1 },
    screen: { w: 1, h: 1 },
    deviceType: 'desktop',
    referrer: '',
    utm: {},
    experiments: {},
    sdk: { name: 'frictionlog', version: 'test' },
  },
  name: 'load',
  props: { run, i },
})
const batchOf = (events: unknown[]) => JSON.stringify({ v: 1, site: 'e2e', sentAt: Date.now(), events })
const post = (url: string, body: string) =>
  fetch(url, { method: 'POST', body, headers: { 'content-type': 'text/plain' } })

/** Rows and distinct ids stored for a run (raw, and as the report reads them, FINAL). */
const countsOf = async (run: string) => {
  const where = `position(url, ${sqlString(run)}) > 0`
  const [row] = await ch.query<{ rows: number; final: number; ids: number }>(
    `SELECT (SELECT count() FROM frictionlog.events WHERE ${where}) AS rows,
      (SELECT count() FROM frictionlog.events FINAL WHERE ${where}) AS final,
      (SELECT uniqExact(id) FROM frictionlog.events WHERE ${where}) AS ids`,
  )
  return row
}

beforeAll(async () => {
  clickhouse = await startClickhouse()
  ch = await connectClickhouse({ url: clickhouse.url })
  server = await startStaticServer()
  browser = await launchBrowser()
})

afterAll(async () => {
  for (const child of children) await stopProcess(child, 'SIGKILL')
  await browser?.close()
  await server?.close()
  await ch?.close()
  await clickhouse?.stop()
})

describe('the ClickHouse sink end to end', () => {
  test('real Chromium → collector process → ClickHouse: every event stored once and valid', async () => {
    const collector = await startCollectorProcess()
    const run = `chrome-${Date.now().toString(36)}`
    const page = await openPage(browser, server.origin, 'iife', 'delivery', {
      endpoint: `${collector.url}/e`,
      site: run,
    })
    await page.evaluate((id) => {
      for (let i = 0; i < 25; i++) window.fl.track('ch_e2e', { run: id, i })
      return window.fl.flush()
    }, run)
    await closePage(page)
    const select = `SELECT id, ts, type, sessionId, anonymousId, userId, pageId, url, context, fields
      FROM frictionlog.events FINAL WHERE position(url, ${sqlString(run)}) > 0`
    let rows: Array<Parameters<typeof eventFromRow>[0]> = []
    await until(
      async () => {
        rows = await ch.query(select)
        return rows.filter((row) => row.type === 'track').length >= 25 && rows.some((row) => row.type === 'page_leave')
      },
      20_000,
      '25 track events and the page_leave in ClickHouse',
    )
    const events = rows.map(eventFromRow)
    for (const event of events) expect(eventSchema.safeParse(event).success, JSON.stringify(event)).toBe(true)
    const tracks = events.filter((event) => event.type === 'track')
    expect(tracks.map((event) => (event.props as { i: number }).i).sort((a, b) => a - b)).toEqual([...Array(25).keys()])
    expect(new Set(events.map((event) => event.id)).size).toBe(events.length)
    expect(events.some((event) => event.type === 'page')).toBe(true)

    // The CLI report reads the same table and counts them.
    const report = await new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['dist/cli/bin.js', 'report', '--clickhouse', clickhouse.url, '--json'], {
        stdio: ['ignore', 'pipe', 'inherit'],
      })
      let out = ''
      child.stdout.on('data', (chunk) => (out += chunk))
      child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`report exited ${code}`))))
    })
    expect(JSON.parse(report).totals.byType.track).toBeGreaterThanOrEqual(25)

    // The collector's dashboard reads the same table: its overview counts what ClickHouse holds.
    const [{ stored }] = await ch.query<{ stored: number }>('SELECT count() AS stored FROM frictionlog.events FINAL')
    const dashboard = await browser.newPage()
    await dashboard.goto(`${collector.url}/#/overview`)
    await dashboard.waitForSelector('main[data-page="overview"] .stats .stat-value', { timeout: 15_000 })
    expect(await dashboard.locator('main p.error').count()).toBe(0)
    expect(Number(await dashboard.getAttribute('.live', 'data-events'))).toBe(stored)
    await dashboard.close()
    await stopProcess(collector.child)
  })

  test('two collector processes receiving the same retried batch: every id counts once', async () => {
    const [a, b] = await Promise.all([startCollectorProcess(), startCollectorProcess()])
    const run = `twice-${Date.now().toString(36)}`
    const body = batchOf(Array.from({ length: 50 }, (_, i) => makeEvent(run, i)))
    // The first 200 was lost on the way back; the load balancer sends the retry to the other collector.
    expect((await post(a.url, body)).status).toBe(200)
    expect((await post(b.url, body)).status).toBe(200)
    expect(await countsOf(run)).toEqual({ rows: 100, final: 50, ids: 50 })
    await Promise.all([stopProcess(a.child), stopProcess(b.child)])
  })

  test('a collector SIGKILLed mid-load and restarted: nothing lost, nothing counted twice', async () => {
    let collector = await startCollectorProcess()
    const port = collector.port
    const run = `kill-${Date.now().toString(36)}`
    const BATCHES = 60
    const PER_BATCH = 20
    let sent = 0
    let failures = 0
    // A client that behaves like the SDK: the same batch again until a 200, after a short pause.
    const load = (async () => {
      for (let n = 0; n < BATCHES; n++) {
        const body = batchOf(Array.from({ length: PER_BATCH }, (_, i) => makeEvent(run, n * PER_BATCH + i)))
        for (let attempt = 0; ; attempt++) {
          if (attempt > 200) throw new Error(`batch ${n} never accepted`)
          const status = await post(`http://127.0.0.1:${port}`, body).then(
            (r) => r.status,
            () => 0,
          )
          if (status === 200) break
          failures += 1
          await new Promise((done) => setTimeout(done, 50))
        }
        sent = n + 1
      }
    })()
    await until(() => sent >= BATCHES / 3, 30_000, 'a third of the load')
    await stopProcess(collector.child, 'SIGKILL')
    await new Promise((done) => setTimeout(done, 300))
    collector = await startCollectorProcess(port)
    await load
    expect(failures).toBeGreaterThan(0)
    const counts = await countsOf(run)
    expect(counts.final).toBe(BATCHES * PER_BATCH)
    expect(counts.ids).toBe(BATCHES * PER_BATCH)
    await stopProcess(collector.child)
  })

  // The 30 s outage, whole: every request during it fails (503), the SDK backs off (never
  // below Retry-After: 5 s, doubling to 16–32 s by the sixth try), so the last retry may come up to
  // ~30 s after ClickHouse is back. Nothing may be dropped for having been retried that often.
  const OUTAGE_MS = 30_000
  test('a ClickHouse outage answers 503 and loses nothing: the browser retries once it is back', async () => {
    const collector = await startCollectorProcess()
    const run = `outage-${Date.now().toString(36)}`
    const page = await openPage(browser, server.origin, 'iife', 'delivery', {
      endpoint: `${collector.url}/e`,
      site: run,
    })
    await clickhouse.pause()
    const statusDuringOutage = await post(collector.url, batchOf([makeEvent(`probe-${run}`, 0)])).then((r) => r.status)
    expect(statusDuringOutage).toBe(503)
    await page.evaluate((id) => {
      for (let i = 0; i < 15; i++) window.fl.track('ch_outage', { run: id, i })
      return window.fl.flush()
    }, run)
    await new Promise((done) => setTimeout(done, OUTAGE_MS))
    await clickhouse.resume()
    const select = `SELECT count() AS n, uniqExact(id) AS ids FROM frictionlog.events FINAL
      WHERE type = 'track' AND position(url, ${sqlString(run)}) > 0`
    let stored = { n: 0, ids: 0 }
    await until(
      async () => {
        ;[stored] = await ch.query<{ n: number; ids: number }>(select)
        return stored.n >= 15
      },
      45_000,
      'the 15 events tracked during the outage',
    )
    await new Promise((done) => setTimeout(done, 500))
    ;[stored] = await ch.query<{ n: number; ids: number }>(select)
    expect(stored).toEqual({ n: 15, ids: 15 })
    await closePage(page)
    await stopProcess(collector.child)
  }, 120_000)
})
