// Collector ingest throughput on one core (Node is single-threaded here): 100 batches of 100
// realistic events (the report fixtures' generator) through `createCollector(...).handle()`
// from the build, with validation and dedup, into the memory sink and the NDJSON sink, as
// plain JSON and as gzip bodies. Each pass uses fresh ids and a fresh collector; one warm-up
// pass, then the median of 5. Timed: Request construction + handle() for the 100 batches
// (for NDJSON, until every append resolved).
/* global Request -- Node 20 global */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { ensureTmp, markdownTable, median, ROOT, round, textTable } from './lib.mjs'

const BATCHES = 100
const PER_BATCH = 100
const PASSES = 5

const loadGenerator = async () => {
  const outfile = join(ensureTmp('ingest'), 'fixtures.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/unit/collector/reportFixtures.ts')],
    bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile, logLevel: 'error',
    define: { __FL_VERSION__: '"bench"' },
  })
  return import(pathToFileURL(outfile).href)
}

export const run = async ({ log = () => {} } = {}) => {
  const { createCollector, createMemorySink, createNdjsonSink } = await import(pathToFileURL(join(ROOT, 'dist/collector/index.js')).href)
  const { generateEvents } = await loadGenerator()
  const perPass = BATCHES * PER_BATCH
  const all = [...generateEvents(perPass * (PASSES + 1) * 4)]
  let offset = 0
  // Fresh ids for each pass, so dedup looks every id up and stores it (no shortcut on hits).
  const nextBodies = (gzip) => {
    const bodies = []
    for (let b = 0; b < BATCHES; b++) {
      const events = all.slice(offset, offset + PER_BATCH)
      offset += PER_BATCH
      const json = JSON.stringify({ v: 1, site: 'bench', sentAt: Date.now(), events })
      bodies.push(gzip ? gzipSync(json) : json)
    }
    return bodies
  }
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-ingest-'))
  const variants = [
    { sink: 'memory', gzip: false },
    { sink: 'ndjson', gzip: false },
    { sink: 'memory', gzip: true },
    { sink: 'ndjson', gzip: true },
  ]
  const results = []
  try {
    for (const variant of variants) {
      const rates = []
      const cpuRates = []
      let bodyBytes = 0
      for (let pass = 0; pass <= PASSES; pass++) {
        const sink = variant.sink === 'memory' ? createMemorySink() : createNdjsonSink({ dir: join(work, `${variant.sink}-${variant.gzip}-${pass}`) })
        const collector = createCollector({ sink, allowedOrigins: '*' })
        const bodies = nextBodies(variant.gzip)
        bodyBytes = bodies.reduce((sum, body) => sum + body.length, 0)
        const headers = variant.gzip ? { 'content-type': 'text/plain', 'content-encoding': 'gzip' } : { 'content-type': 'text/plain' }
        const cpuBefore = process.cpuUsage()
        const started = process.hrtime.bigint()
        for (const body of bodies) {
          const response = await collector.handle(new Request('http://127.0.0.1/e', { method: 'POST', headers, body }))
          if (response.status !== 200) throw new Error(`ingest: status ${response.status}: ${await response.text()}`)
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9
        const cpu = process.cpuUsage(cpuBefore)
        const cpuSeconds = (cpu.user + cpu.system) / 1e6
        const { accepted, duplicates, rejected } = collector.stats()
        if (accepted !== perPass) throw new Error(`ingest: ${accepted}/${perPass} accepted, ${duplicates} duplicates, rejected ${JSON.stringify(rejected)}`)
        if (pass > 0) {
          rates.push(perPass / seconds)
          cpuRates.push(perPass / cpuSeconds)
        }
      }
      const eventsPerSecond = median(rates)
      const result = {
        sink: variant.sink,
        body: variant.gzip ? 'gzip' : 'JSON',
        batches: BATCHES,
        eventsPerBatch: PER_BATCH,
        passes: PASSES,
        eventsPerSecond: Math.round(eventsPerSecond),
        // Per second of this process's CPU time (user + system, all its threads): what one
        // core would do, whatever else the machine was running.
        eventsPerCpuSecond: Math.round(median(cpuRates)),
        batchesPerSecond: Math.round(eventsPerSecond / PER_BATCH),
        msPerBatch: round(1000 / (eventsPerSecond / PER_BATCH), 2),
        avgBodyKB: round(bodyBytes / BATCHES / 1024, 1),
        allPasses: rates.map((rate) => Math.round(rate)),
      }
      log(`  ingest ${variant.sink} ${result.body}: ${result.eventsPerSecond} events/s`)
      results.push(result)
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return { method: `${BATCHES} batches × ${PER_BATCH} events per pass, median of ${PASSES} passes after a warm-up`, results }
}

export const tables = (result) => {
  const headers = ['sink', 'body', 'events/s wall (median)', 'events per CPU-second (median)', 'ms per batch of 100 (wall)', 'avg body kB', 'passes']
  const rows = result.results.map((r) => [r.sink, r.body, r.eventsPerSecond.toLocaleString('en-US'), r.eventsPerCpuSecond?.toLocaleString('en-US'), r.msPerBatch, r.avgBodyKB, r.passes])
  return {
    text: textTable(`Collector ingest, handle() on one core (${result.method})`, headers, rows),
    markdown: markdownTable(headers, rows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ log: console.log })
  console.log(tables(result).text)
}
