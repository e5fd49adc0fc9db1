// ClickHouse as the store, against a clickhouse-server started for the run (scripts/clickhouse.mjs):
// 1. ingest through HTTP with validation: `frictionlog collect --clickhouse` processes (one, then
//    two behind a round-robin client), batches of 50 realistic events, 8 requests in flight;
// 2. the report on N generated events (default 1M), NDJSON (`buildReport` over the day file)
//    and ClickHouse (`buildClickhouseReport`, SQL) side by side, plus the bulk insert rate.
// Usage: node bench/clickhouse.mjs [--events 1000000] [--ingest-events 20000] [--in-flight 8]. Needs the build.
// FL_COLLECTOR_ROOT=<checkout> runs another checkout's collector processes (to measure "before").
/* global fetch -- Node 20 global */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { startClickhouse } from '../scripts/clickhouse.mjs'
import { ensureTmp, markdownTable, ROOT, round, textTable } from './lib.mjs'

const PER_BATCH = 50
/** Requests in flight by default; `--in-flight` for more (many browsers at once). */
const IN_FLIGHT = 8
const COLLECTOR_ROOT = process.env.FL_COLLECTOR_ROOT ?? ROOT

const loadGenerator = async () => {
  const outfile = join(ensureTmp('clickhouse'), 'fixtures.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/unit/report/fixtures.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
  })
  return import(pathToFileURL(outfile).href)
}

const startCollector = (url) =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [join(COLLECTOR_ROOT, 'dist/cli/bin.js'), 'collect', '--port', '0', '--clickhouse', url, '--quiet'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    )
    let out = ''
    child.stdout.on('data', (chunk) => {
      out += chunk
      const match = /listening on (http:\/\/\S+),/.exec(out)
      if (match) resolve({ url: match[1], child })
    })
    child.once('exit', (code) => reject(new Error(`collector exited ${code}: ${out}`)))
  })

const stop = async (child) => {
  if (child.exitCode !== null) return
  const exited = once(child, 'exit')
  child.kill('SIGTERM')
  await exited
}

/** POSTs every body, `IN_FLIGHT` at a time, round-robin over the collectors; resolves to the seconds taken. */
const ingest = async (collectors, bodies, inFlight = IN_FLIGHT) => {
  let next = 0
  const started = process.hrtime.bigint()
  const worker = async () => {
    while (next < bodies.length) {
      const i = next++
      const response = await fetch(collectors[i % collectors.length].url, {
        method: 'POST',
        body: bodies[i],
        headers: { 'content-type': 'text/plain' },
      })
      const text = await response.text()
      if (response.status !== 200) throw new Error(`ingest: ${response.status} ${text}`)
      const { rejected } = JSON.parse(text)
      if (rejected.length > 0) throw new Error(`ingest: rejected ${JSON.stringify(rejected.slice(0, 3))}`)
    }
  }
  await Promise.all(Array.from({ length: inFlight }, worker))
  return Number(process.hrtime.bigint() - started) / 1e9
}

export const run = async ({ log = () => {}, events = 1_000_000, ingestEvents = 20_000, inFlight = IN_FLIGHT } = {}) => {
  const { createClickhouseSink, buildReport, buildClickhouseReport } = await import(
    pathToFileURL(join(ROOT, 'dist/collector/index.js')).href
  )
  const { generateEvents } = await loadGenerator()
  const server = await startClickhouse()
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-clickhouse-'))
  const query = async (sql) => {
    const response = await fetch(server.url, { method: 'POST', body: `${sql} FORMAT JSONEachRow` })
    const text = await response.text()
    if (!response.ok) throw new Error(`${response.status}: ${text}`)
    return text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
  }
  try {
    // ------------------------------------------------------------------ ingest through collectors
    const ingestResults = []
    const all = [...generateEvents(ingestEvents * 2, undefined, 7)]
    for (const processes of [1, 2]) {
      const slice = all.slice((processes - 1) * ingestEvents, processes * ingestEvents)
      const bodies = []
      for (let i = 0; i < slice.length; i += PER_BATCH) {
        const events = slice.slice(i, i + PER_BATCH)
        // sentAt just after the batch's last event: the collector refuses timestamps far from it (the fixtures are dated 2024).
        bodies.push(JSON.stringify({ v: 1, site: 'bench', sentAt: events.at(-1).ts + 50, events }))
      }
      const countFinal = async () => Number((await query('SELECT count() AS n FROM frictionlog.events FINAL'))[0].n)
      const before = processes === 1 ? 0 : await countFinal()
      const collectors = await Promise.all(Array.from({ length: processes }, () => startCollector(server.url)))
      // Warm-up: the table exists and each collector has its connection.
      await ingest(collectors, bodies.slice(0, processes * 2))
      const seconds = await ingest(collectors, bodies, inFlight)
      await Promise.all(collectors.map((collector) => stop(collector.child)))
      // Fresh ids each round (the warm-up batches are sent again in the timed run and count once).
      const stored = (await countFinal()) - before
      if (stored !== slice.length) throw new Error(`ingest: ${stored}/${slice.length} stored`)
      const result = {
        processes,
        events: slice.length,
        eventsPerBatch: PER_BATCH,
        inFlight,
        seconds: round(seconds, 2),
        eventsPerSecond: Math.round(slice.length / seconds),
      }
      log(`  ingest, ${processes} collector process${processes > 1 ? 'es' : ''}: ${result.eventsPerSecond} events/s`)
      ingestResults.push(result)
    }

    // ------------------------------------------------------------------ the report, both stores
    const dir = join(work, 'ndjson')
    mkdirSync(dir, { recursive: true })
    const file = join(dir, 'events-2024-11-23.ndjson')
    const out = createWriteStream(file)
    const sink = createClickhouseSink({ url: server.url, database: 'bench', requestTimeoutMs: 120_000 })
    let insertSeconds = 0
    let chunk = []
    const flush = async () => {
      const started = process.hrtime.bigint()
      await sink.write(chunk)
      insertSeconds += Number(process.hrtime.bigint() - started) / 1e9
      chunk = []
    }
    let text = ''
    for (const event of generateEvents(events)) {
      text += `${JSON.stringify(event)}\n`
      chunk.push(event)
      if (chunk.length === 100_000) {
        if (!out.write(text)) await once(out, 'drain')
        text = ''
        await flush()
      }
    }
    out.end(text)
    await once(out, 'finish')
    if (chunk.length) await flush()
    await sink.close()
    log(`  inserted ${events} events in ${round(insertSeconds, 1)} s`)

    let started = process.hrtime.bigint()
    const ndjson = await buildReport(dir)
    const ndjsonSeconds = Number(process.hrtime.bigint() - started) / 1e9
    log(`  NDJSON report: ${round(ndjsonSeconds, 2)} s`)
    started = process.hrtime.bigint()
    const sql = await buildClickhouseReport({ url: server.url, database: 'bench', requestTimeoutMs: 300_000 })
    const clickhouseSeconds = Number(process.hrtime.bigint() - started) / 1e9
    log(`  ClickHouse report: ${round(clickhouseSeconds, 2)} s`)
    const [{ bytes }] = await query(
      "SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = 'bench' AND active",
    )
    // Beyond 10,000 values per key the NDJSON path samples its medians and p75s, the SQL path
    // sorts them all: the counts must agree, the quantiles may differ slightly.
    const agree =
      JSON.stringify([
        ndjson.totals,
        ndjson.funnels.map((f) => f.steps.map((s) => s.sessions)),
        ndjson.experiments.map((e) => e.variants.map((v) => [v.exposed, v.conversions])),
      ]) ===
      JSON.stringify([
        sql.totals,
        sql.funnels.map((f) => f.steps.map((s) => s.sessions)),
        sql.experiments.map((e) => e.variants.map((v) => [v.exposed, v.conversions])),
      ])
    const report = {
      events,
      sessions: ndjson.totals.sessions,
      ndjsonMB: round(statSync(file).size / 1e6, 1),
      clickhouseMB: round(Number(bytes) / 1e6, 1),
      insertSeconds: round(insertSeconds, 2),
      insertRowsPerSecond: Math.round(events / insertSeconds),
      ndjsonSeconds: round(ndjsonSeconds, 2),
      clickhouseSeconds: round(clickhouseSeconds, 2),
      countsAgree: agree,
    }
    return { server: (await query('SELECT version() AS v'))[0].v, ingest: ingestResults, report }
  } finally {
    await server.stop()
    rmSync(work, { recursive: true, force: true })
  }
}

export const tables = (result) => {
  const ingestHeaders = ['collector processes', 'events', 'events/batch', 'in flight', 's', 'events/s']
  const ingestRows = result.ingest.map((r) => [
    r.processes,
    r.events.toLocaleString('en-US'),
    r.eventsPerBatch,
    r.inFlight,
    r.seconds,
    r.eventsPerSecond.toLocaleString('en-US'),
  ])
  const r = result.report
  const reportHeaders = [
    'events',
    'sessions',
    'NDJSON MB',
    'ClickHouse MB on disk',
    'insert s (rows/s)',
    'NDJSON report s',
    'ClickHouse report s',
    'counts agree',
  ]
  const reportRows = [
    [
      r.events.toLocaleString('en-US'),
      r.sessions.toLocaleString('en-US'),
      r.ndjsonMB,
      r.clickhouseMB,
      `${r.insertSeconds} (${r.insertRowsPerSecond.toLocaleString('en-US')})`,
      r.ndjsonSeconds,
      r.clickhouseSeconds,
      r.countsAgree ? 'yes' : 'NO',
    ],
  ]
  return {
    text:
      textTable(`Ingest into ClickHouse ${result.server} through HTTP with validation`, ingestHeaders, ingestRows) +
      '\n' +
      textTable('Report: NDJSON (JavaScript) vs ClickHouse (SQL)', reportHeaders, reportRows),
    markdown: markdownTable(ingestHeaders, ingestRows),
    reportMarkdown: markdownTable(reportHeaders, reportRows),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const option = (name, fallback) => {
    const i = process.argv.indexOf(`--${name}`)
    return i >= 0 ? Number(process.argv[i + 1]) : fallback
  }
  const result = await run({
    log: console.log,
    events: option('events', 1_000_000),
    ingestEvents: option('ingest-events', 20_000),
    inFlight: option('in-flight', IN_FLIGHT),
  })
  console.log(tables(result).text)
  console.log(JSON.stringify(result))
}
