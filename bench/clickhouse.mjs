// ClickHouse as the store, against a clickhouse-server started for the run (scripts/clickhouse.mjs):
// 1. ingest through HTTP with validation: `frictionlog collect --clickhouse` processes (one, then
//    two behind a round-robin client), batches of 50 realistic events, 8 requests in flight;
// 2. the report on 1M generated events (and 10M with --scale 10m), NDJSON and ClickHouse side by
//    side on the same events (bench/storeReports.mjs), with the bulk load's rate.
// Usage: node bench/clickhouse.mjs [--scale 1m|10m] [--ingest-events 6000] [--in-flight 8]. Needs the build.
// FL_COLLECTOR_ROOT=<checkout> runs another checkout's collector processes (to measure "before").
/* global fetch -- Node 20 global */
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { startClickhouse } from '../scripts/clickhouse.mjs'
import { loadGenerator } from './dataset.mjs'
import { markdownTable, ROOT, round, textTable } from './lib.mjs'
import { reportBothStores } from './storeReports.mjs'

const PER_BATCH = 50
/** Requests in flight by default; `--in-flight` for more (many browsers at once). */
const IN_FLIGHT = 8
const COLLECTOR_ROOT = process.env.FL_COLLECTOR_ROOT ?? ROOT

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

export const run = async ({
  log = () => {},
  scales = [1_000_000],
  ingestEvents = 6_000,
  inFlight = IN_FLIGHT,
} = {}) => {
  const { generateEvents } = await loadGenerator()
  // ClickHouse's shipped per-query memory cap (10 GB); the tests' 4 GB is too little for the 10M report.
  const server = await startClickhouse({ maxMemoryBytes: 10_000_000_000 })
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-clickhouse-'))
  /** Runs `sql`; with `rows` (a SELECT) the result rows, parsed. */
  const query = async (sql, rows = true) => {
    const response = await fetch(server.url, { method: 'POST', body: rows ? `${sql} FORMAT JSONEachRow` : sql })
    const text = await response.text()
    if (!response.ok) throw new Error(`${response.status}: ${text}`)
    if (!rows) return []
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
        // Sent right after its last event: the collector takes events up to 30 days older than `sentAt`.
        bodies.push(JSON.stringify({ v: 1, site: 'bench', sentAt: events.at(-1).ts + 1000, events }))
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
    const report = await reportBothStores({ server, query, work, scales, log })
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
  const reportHeaders = [
    'events',
    'sessions',
    'NDJSON MB',
    'ClickHouse MB on disk',
    'NDJSON report s (CPU s, peak RSS MB)',
    'ClickHouse report s (server CPU s)',
    'counts agree',
  ]
  const reportRows = result.report.map((r) => [
    r.events.toLocaleString('en-US'),
    r.sessions.toLocaleString('en-US'),
    r.ndjsonMB,
    r.clickhouseMB,
    `${r.ndjsonSeconds} (${r.ndjsonCpuSeconds}, ${r.ndjsonPeakRssMB})`,
    `${r.clickhouseSeconds} (${r.clickhouseServerCpuSeconds})`,
    r.countsAgree ? 'yes' : 'NO',
  ])
  const loadHeaders = [
    'events',
    'loaded how',
    's',
    'Node CPU s',
    'ClickHouse CPU s',
    'rows per ClickHouse CPU s',
    'bench s (load + both reports)',
  ]
  const loadRows = result.report.map((r) => [
    r.events.toLocaleString('en-US'),
    r.load.how,
    r.load.seconds,
    r.load.nodeCpuSeconds,
    r.load.serverCpuSeconds,
    r.load.rowsPerServerCpuSecond.toLocaleString('en-US'),
    r.sectionSeconds ?? 'n/a',
  ])
  return {
    text: [
      textTable(`Ingest into ClickHouse ${result.server} through HTTP with validation`, ingestHeaders, ingestRows),
      textTable('Report on the same events: NDJSON (JavaScript) vs ClickHouse (SQL)', reportHeaders, reportRows),
      textTable('How the report events were loaded', loadHeaders, loadRows),
    ].join('\n'),
    markdown: markdownTable(ingestHeaders, ingestRows),
    reportMarkdown: markdownTable(reportHeaders, reportRows),
    loadMarkdown: markdownTable(loadHeaders, loadRows),
  }
}

/** `1m`, `10m` or a plain number: the report scales, 1M always first (the 10M set copies it). */
export const scalesOf = (scale) => {
  const events = Number(String(scale).toLowerCase().replace(/m$/, '')) * (/m$/i.test(scale) ? 1e6 : 1)
  if (!Number.isInteger(events) || events < 1) throw new Error(`--scale ${scale}: expected 1m, 10m or a count`)
  return events <= 1_000_000 ? [events] : [1_000_000, events]
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { parseArgs } = await import('node:util')
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '1m' },
      'ingest-events': { type: 'string', default: '6000' },
      'in-flight': { type: 'string', default: String(IN_FLIGHT) },
    },
  })
  const result = await run({
    log: console.log,
    scales: scalesOf(values.scale),
    ingestEvents: Number(values['ingest-events']),
    inFlight: Number(values['in-flight']),
  })
  console.log(tables(result).text)
  console.log(JSON.stringify(result))
}
