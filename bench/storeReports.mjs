// The report on the same generated events from both stores, side by side, at each scale (1M,
// then 10M when asked): `buildReport` over the NDJSON day files (bench/reportChild.mjs, its own
// process) and `buildClickhouseReport` (SQL, about twenty GROUP BY queries with FINAL) over the
// same events in ClickHouse. The events are made once (bench/dataset.mjs): the base million is
// written as NDJSON and streamed into one INSERT as it is generated; 10M is that million ten
// times over with fresh ids, in both stores. Times are wall clock plus CPU seconds (Node's, the
// report child's and the ClickHouse server's), the steadier figure on a shared machine.
import { linkSync, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { isDeepStrictEqual } from 'node:util'
import {
  generateBase,
  loadGenerator,
  ownCpuSeconds,
  processCpuSeconds,
  replicateClickhouse,
  replicateNdjson,
} from './dataset.mjs'
import { ROOT, round, runJsonChild, sleep } from './lib.mjs'

const DATABASE = 'bench'
const TABLE = `${DATABASE}.events`

/** `node bench/reportChild.mjs dir`: its last stdout line, parsed. */
const ndjsonReport = (dir) => runJsonChild([join(ROOT, 'bench/reportChild.mjs'), dir])

/** Waits until ClickHouse has no merge running (parts merge in the background after inserts). */
const mergesSettled = async (query, timeoutMs = 120_000) => {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    const [{ n }] = await query(`SELECT count() AS n FROM system.merges WHERE database = '${DATABASE}'`)
    if (Number(n) === 0) return
    await sleep(200)
  }
}

const countsOf = (model) => ({
  totals: model.totals,
  funnels: model.funnels.map((funnel) => funnel.steps.map((step) => step.sessions)),
  experiments: model.experiments.map((experiment) => experiment.variants.map((v) => [v.exposed, v.conversions])),
})

/** One scale: both reports over what is loaded now, timed. */
const measure = async ({ server, query, dir, events, load, buildClickhouseReport, log }) => {
  await mergesSettled(query)
  const ndjson = await ndjsonReport(dir)
  log(`  ${events.toLocaleString('en-US')} events, NDJSON report: ${round(ndjson.seconds, 2)} s`)
  const serverCpu = processCpuSeconds(server.pid)
  const nodeCpu = ownCpuSeconds()
  const started = process.hrtime.bigint()
  const sql = await buildClickhouseReport({ url: server.url, database: DATABASE, requestTimeoutMs: 600_000 })
  const clickhouseSeconds = Number(process.hrtime.bigint() - started) / 1e9
  const clickhouseCpu = processCpuSeconds(server.pid) - serverCpu
  const clickhouseNodeCpu = ownCpuSeconds() - nodeCpu
  log(`  ${events.toLocaleString('en-US')} events, ClickHouse report: ${round(clickhouseSeconds, 2)} s`)
  const [{ bytes }] = await query(
    `SELECT sum(bytes_on_disk) AS bytes FROM system.parts WHERE database = '${DATABASE}' AND active`,
  )
  return {
    events,
    sessions: sql.totals.sessions,
    ndjsonMB: round(load.ndjsonBytes / 1e6, 1),
    clickhouseMB: round(Number(bytes) / 1e6, 1),
    load: {
      how: load.how,
      seconds: round(load.seconds, 1),
      nodeCpuSeconds: round(load.nodeCpuSeconds, 1),
      serverCpuSeconds: round(load.serverCpuSeconds, 1),
      rowsPerServerCpuSecond: Math.round(load.rows / load.serverCpuSeconds),
    },
    ndjsonSeconds: round(ndjson.seconds, 2),
    ndjsonCpuSeconds: round(ndjson.cpuSeconds, 2),
    ndjsonPeakRssMB: Math.round(ndjson.peakRssMB),
    clickhouseSeconds: round(clickhouseSeconds, 2),
    clickhouseServerCpuSeconds: round(clickhouseCpu, 2),
    clickhouseNodeCpuSeconds: round(clickhouseNodeCpu, 2),
    // Counts must be equal; medians and p75s may differ slightly (the NDJSON path samples).
    countsAgree: isDeepStrictEqual(ndjson.counts, JSON.parse(JSON.stringify(countsOf(sql)))),
  }
}

/**
 * Runs the report on both stores at 1M events and, if `scales` has it, 10M (the base million and
 * nine shifted copies). `server` is a started ClickHouse (scripts/clickhouse.mjs), `work` a
 * temp folder that the NDJSON files go in (the 10M copies are deleted as soon as measured).
 */
export const reportBothStores = async ({ server, query, work, scales = [1_000_000], log = () => {} }) => {
  const { buildClickhouseReport } = await import(pathToFileURL(join(ROOT, 'dist/report/index.js')).href)
  const generator = await loadGenerator()
  for (const statement of generator.clickhouseDdl(DATABASE, 'events')) await query(statement, false)
  const base = scales[0]
  const results = []

  const dir = join(work, `ndjson-${base}`)
  mkdirSync(dir, { recursive: true })
  const scaleStarted = Date.now()
  const serverCpu = processCpuSeconds(server.pid)
  const made = await generateBase({ generator, events: base, dir, clickhouse: { url: server.url, table: TABLE } })
  const loadCpu = processCpuSeconds(server.pid) - serverCpu
  log(`  generated ${base} events as NDJSON and as one streamed INSERT in ${round(made.seconds, 1)} s`)
  const [{ n }] = await query(`SELECT count() AS n FROM ${TABLE}`)
  if (Number(n) !== base) throw new Error(`ClickHouse holds ${n} of ${base} rows`)
  const baseLoad = {
    how: 'generated; NDJSON written, rows (worker thread) streamed into one INSERT … FORMAT JSONEachRow',
    rows: base,
    seconds: made.seconds,
    nodeCpuSeconds: made.cpuSeconds,
    serverCpuSeconds: loadCpu,
    ndjsonBytes: made.bytes,
  }
  const first = await measure({ server, query, dir, events: base, load: baseLoad, buildClickhouseReport, log })
  // What this scale costs the bench run: generation and load, both reports.
  results.push({ ...first, sectionSeconds: Math.round((Date.now() - scaleStarted) / 1000) })

  for (const events of scales.slice(1)) {
    const copies = events / base - 1
    if (!Number.isInteger(copies) || copies < 1) throw new Error(`scale ${events}: not a multiple of ${base}`)
    const began = Date.now()
    const bigDir = join(work, `ndjson-${events}`)
    mkdirSync(bigDir, { recursive: true })
    linkSync(made.file, join(bigDir, made.file.split('/').pop()))
    const wall = process.hrtime.bigint()
    const nodeCpu = ownCpuSeconds()
    const copied = await replicateNdjson({ base: made, dir: bigDir, copies })
    const ndjsonSeconds = Number(process.hrtime.bigint() - wall) / 1e9
    const before = processCpuSeconds(server.pid)
    await replicateClickhouse({ query: (sql) => query(sql, false), table: TABLE, base: made, copies, baseRows: base })
    const [{ n: rows }] = await query(`SELECT count() AS n FROM ${TABLE}`)
    if (Number(rows) !== events) throw new Error(`ClickHouse holds ${rows} of ${events} rows`)
    const load = {
      how:
        `the ${base.toLocaleString('en-US')} ${copies} more times with fresh ids, later days: ` +
        'NDJSON lines rewritten, INSERT … SELECT',
      rows: events - base,
      seconds: Number(process.hrtime.bigint() - wall) / 1e9,
      nodeCpuSeconds: ownCpuSeconds() - nodeCpu,
      serverCpuSeconds: processCpuSeconds(server.pid) - before,
      ndjsonBytes: made.bytes + copied.bytes,
    }
    log(
      `  copied to ${events} events: NDJSON in ${round(ndjsonSeconds, 1)} s, ClickHouse in ${round(load.seconds, 1)} s`,
    )
    try {
      const result = await measure({ server, query, dir: bigDir, events, load, buildClickhouseReport, log })
      results.push({ ...result, sectionSeconds: Math.round((Date.now() - began) / 1000) })
    } finally {
      rmSync(bigDir, { recursive: true, force: true })
    }
  }
  return results
}
