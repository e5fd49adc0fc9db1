// Collector ingest on one core (Node is single-threaded here), from the build:
// - handle(): 100 batches of 100 realistic events (the report fixtures' generator) through
//   `createCollector(...).handle()`, with validation and dedup, into the memory sink and the
//   NDJSON sink, as plain JSON and as gzip bodies. Fresh ids and a fresh collector per pass; one
//   warm-up pass, then the median of 5. Timed: Request construction + handle() for the batches.
// - HTTP: the same batches through `collector.listen()` in a child process (the real Node
//   listener, NDJSON sink), sent by this process over keep-alive connections; the rate is per
//   second of the server process's CPU time (what one core does, whatever else the box runs).
// Separate modes, run alone (bounded, each stops by itself):
//   node bench/ingest.mjs --dedupe [--ids 10000000]   µs per id of the dedupe window as it fills
//   node bench/ingest.mjs --hostile                     server RSS under 1,000 parallel ~1 MiB
//                                                       batches and 2,000 unfinished 1 MB bodies
//   --root <dir> runs any mode against another checkout's dist/ (to measure "before").
/* global Request, setInterval -- Node 20 globals */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { ensureTmp, markdownTable, median, ROOT, round, textTable } from './lib.mjs'

const BATCHES = 100
const PER_BATCH = 100
const PASSES = 5
/** HTTP: batches per pass and concurrent keep-alive connections. */
const HTTP_BATCHES = 400
const HTTP_CONNECTIONS = 8

const argOf = (name, fallback) => {
  const at = process.argv.indexOf(name)
  return at > 0 ? process.argv[at + 1] : fallback
}
const root = argOf('--root', ROOT)
const collectorEntry = () => import(pathToFileURL(join(root, 'dist/collector/index.js')).href)

const loadGenerator = async () => {
  const outfile = join(ensureTmp('ingest'), 'fixtures.mjs')
  await build({
    entryPoints: [join(ROOT, 'test/unit/report/fixtures.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    logLevel: 'error',
    define: { __FL_VERSION__: '"bench"' },
  })
  return import(pathToFileURL(outfile).href)
}

/** A batch body; `sentAt` just after its last event, as the SDK sends (the fixtures are dated 2024). */
const batchBody = (events) =>
  JSON.stringify({ v: 1, site: 'bench', sentAt: Math.max(...events.map((e) => e.ts)) + 1000, events })

export const run = async ({ log = () => {} } = {}) => {
  const { createCollector, createMemorySink, createNdjsonSink } = await collectorEntry()
  const { generateEvents } = await loadGenerator()
  const perPass = BATCHES * PER_BATCH
  const all = [...generateEvents(perPass * (PASSES + 1) * 4)]
  let offset = 0
  // Fresh ids for each pass, so dedup looks every id up and stores it (no shortcut on hits).
  const nextBodies = (gzip) => {
    const bodies = []
    for (let b = 0; b < BATCHES; b++) {
      const json = batchBody(all.slice(offset, offset + PER_BATCH))
      offset += PER_BATCH
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
        const sink =
          variant.sink === 'memory'
            ? createMemorySink()
            : createNdjsonSink({ dir: join(work, `${variant.sink}-${variant.gzip}-${pass}`) })
        const collector = createCollector({ sink, allowedOrigins: '*' })
        const bodies = nextBodies(variant.gzip)
        bodyBytes = bodies.reduce((sum, body) => sum + body.length, 0)
        const headers = variant.gzip
          ? { 'content-type': 'text/plain', 'content-encoding': 'gzip' }
          : { 'content-type': 'text/plain' }
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
        if (accepted !== perPass)
          throw new Error(
            `ingest: ${accepted}/${perPass} accepted, ${duplicates} duplicates, rejected ${JSON.stringify(rejected)}`,
          )
        if (pass > 0) {
          rates.push(perPass / seconds)
          cpuRates.push(perPass / cpuSeconds)
        }
        await sink.close?.()
      }
      results.push(
        row(`${variant.sink} (handle)`, variant.gzip ? 'gzip' : 'JSON', rates, cpuRates, bodyBytes / BATCHES, PASSES),
      )
      log(
        `  ingest ${results.at(-1).sink} ${results.at(-1).body}: ${results.at(-1).eventsPerCpuSecond} events per CPU-second`,
      )
    }
    const http = await runHttp(generateEvents, work)
    results.push(http)
    log(`  ingest ${http.sink} ${http.body}: ${http.eventsPerCpuSecond} events per server CPU-second`)
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return {
    method: `${BATCHES} batches × ${PER_BATCH} events per pass (HTTP: ${HTTP_BATCHES} batches over ${HTTP_CONNECTIONS} keep-alive connections), median of ${PASSES} passes after a warm-up`,
    results,
  }
}

function row(sink, body, rates, cpuRates, avgBodyBytes, passes) {
  const eventsPerSecond = median(rates)
  return {
    sink,
    body,
    batches: BATCHES,
    eventsPerBatch: PER_BATCH,
    passes,
    eventsPerSecond: Math.round(eventsPerSecond),
    // Per second of the ingesting process's CPU time (user + system, all its threads): what one
    // core would do, whatever else the machine was running.
    eventsPerCpuSecond: Math.round(median(cpuRates)),
    batchesPerSecond: Math.round(eventsPerSecond / PER_BATCH),
    msPerBatch: round(1000 / (eventsPerSecond / PER_BATCH), 2),
    avgBodyKB: round(avgBodyBytes / 1024, 1),
    allPasses: cpuRates.map((rate) => Math.round(rate)),
  }
}

// ---------------------------------------------------------------------------- HTTP

/** Starts the server child (this file with --serve) and resolves its port and a stats query. */
const startServer = (dir, execArgv = [], args = []) =>
  new Promise((resolve, reject) => {
    const child = fork(new URL(import.meta.url), ['--serve', dir, '--root', root, ...args], {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      execArgv,
    })
    let pending
    child.on('message', (message) => {
      if (message.port)
        resolve({
          child,
          port: message.port,
          query: () =>
            new Promise((done) => {
              pending = done
              child.send('stats')
            }),
        })
      else pending?.(message)
    })
    child.once('exit', (code, signal) => reject(new Error(`server exited (${code ?? signal})`)))
  })

const serve = async (dir) => {
  const { createCollector, createNdjsonSink } = await collectorEntry()
  const collector = createCollector({ sink: createNdjsonSink({ dir }), log: () => {} })
  const { port } = await collector.listen({ port: 0 })
  let peakRss = process.memoryUsage().rss
  if (process.argv.includes('--sample-rss'))
    setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20).unref()
  process.on('message', () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    const { accepted, requests, refused } = collector.stats()
    process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss, peakRss, accepted, requests, refused })
    peakRss = process.memoryUsage().rss
  })
  process.send({ port })
  process.on('disconnect', () => process.exit(0))
}

const post = (agent, port, body) =>
  new Promise((resolve) => {
    const req = request(
      { agent, host: '127.0.0.1', port, path: '/e', method: 'POST', headers: { 'content-type': 'text/plain' } },
      (res) => {
        res.resume()
        res.on('end', () => resolve(res.statusCode))
      },
    )
    req.on('error', () => resolve(0))
    req.end(body)
  })

async function runHttp(generateEvents, work) {
  const total = HTTP_BATCHES * PER_BATCH * (PASSES + 1)
  const events = [...generateEvents(total, undefined, 99)]
  const server = await startServer(
    join(work, 'http'),
    process.env.FL_PROF ? ['--cpu-prof', `--cpu-prof-dir=${ensureTmp('prof')}`] : [],
  )
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONNECTIONS })
  const rates = []
  const cpuRates = []
  let bodyBytes = 0
  try {
    for (let pass = 0; pass <= PASSES; pass++) {
      const bodies = []
      for (let b = 0; b < HTTP_BATCHES; b++) {
        const start = (pass * HTTP_BATCHES + b) * PER_BATCH
        bodies.push(batchBody(events.slice(start, start + PER_BATCH)))
      }
      bodyBytes = bodies.reduce((sum, body) => sum + body.length, 0)
      const before = await server.query()
      const started = process.hrtime.bigint()
      let next = 0
      const statuses = []
      await Promise.all(
        Array.from({ length: HTTP_CONNECTIONS }, async () => {
          while (next < bodies.length) statuses.push(await post(agent, server.port, bodies[next++]))
        }),
      )
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const after = await server.query()
      const cpuSeconds = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1e6
      const stored = after.accepted - before.accepted
      if (stored !== HTTP_BATCHES * PER_BATCH)
        throw new Error(
          `ingest http: ${stored} stored, statuses ${JSON.stringify(statuses.filter((s) => s !== 200).slice(0, 5))}`,
        )
      if (pass > 0) {
        rates.push(stored / seconds)
        cpuRates.push(stored / cpuSeconds)
      }
    }
  } finally {
    agent.destroy()
    server.child.disconnect()
  }
  return row('ndjson (HTTP listen)', 'JSON', rates, cpuRates, bodyBytes / HTTP_BATCHES, PASSES)
}

// ---------------------------------------------------------------------------- dedupe

async function runDedupe(ids) {
  const outfile = join(ensureTmp('ingest'), `dedupe-${Date.now()}.mjs`)
  await build({
    entryPoints: [join(root, 'src/collector/dedupe.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outfile,
    logLevel: 'error',
  })
  const { createDedupe } = await import(pathToFileURL(outfile).href)
  const window = 100_000
  const dedupe = createDedupe(window)
  const step = ids / 10
  const marks = []
  const rssBefore = process.memoryUsage().rss
  let t = process.hrtime.bigint()
  for (let i = 0; i < ids; i++) {
    const id = `V1StGXR8_${i.toString(36).padStart(12, '0')}`
    if (!dedupe.has(id)) dedupe.add(id)
    if ((i + 1) % step === 0) {
      const now = process.hrtime.bigint()
      marks.push(round(Number(now - t) / 1e3 / step, 3))
      t = now
    }
  }
  globalThis.gc?.()
  return {
    root,
    ids,
    window,
    usPerIdByTenth: marks,
    remembered: dedupe.size,
    rssMB: Math.round(process.memoryUsage().rss / 2 ** 20),
    rssGrowthMB: Math.round((process.memoryUsage().rss - rssBefore) / 2 ** 20),
  }
}

// ---------------------------------------------------------------------------- hostile load

async function runHostile() {
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-hostile-'))
  const out = { root }
  try {
    // 1,000 parallel valid ~1 MiB batches (1,000 events of ~1 KB each).
    {
      const server = await startServer(join(work, 'big'), ['--max-old-space-size=4096'], ['--sample-rss'])
      const died = new Promise((resolve) => server.child.once('exit', (code, signal) => resolve(signal ?? code)))
      const { generateEvents } = await loadGenerator()
      const events = [...generateEvents(1000, undefined, 5)].map((e, i) => ({
        ...e,
        id: `big-${i}`,
        url: `${e.url}#${'x'.repeat(300)}`,
      }))
      const body = Buffer.from(
        batchBody(events).slice(0, 1024 * 1024 - 200) === batchBody(events)
          ? batchBody(events)
          : batchBody(events.slice(0, 900)),
      )
      const before = await server.query()
      const agent = new Agent({ keepAlive: false, maxSockets: Infinity })
      const started = Date.now()
      const statuses = await Promise.race([
        Promise.all(Array.from({ length: 1000 }, () => post(agent, server.port, body))),
        new Promise((resolve) => setTimeout(() => resolve('timeout after 90 s'), 90_000)),
        died.then((why) => `server died (${why})`),
      ])
      const after = await Promise.race([server.query(), died.then(() => undefined)])
      out.parallelBatches = {
        bodyKB: round(body.length / 1024, 1),
        seconds: round((Date.now() - started) / 1000, 1),
        rssBeforeMB: Math.round(before.rss / 2 ** 20),
        peakRssMB: after ? Math.round(after.peakRss / 2 ** 20) : null,
        statuses: Array.isArray(statuses) ? count(statuses) : statuses,
        stored: after?.accepted ?? null,
      }
      server.child.kill()
    }
    // 2,000 unfinished 1 MB bodies: headers announce 1 MiB, 1,000,000 bytes are sent, never the rest.
    {
      const server = await startServer(join(work, 'slow'), [], ['--sample-rss'])
      const before = await server.query()
      const chunk = Buffer.alloc(1_000_000, 0x20)
      const sockets = []
      let refused = 0
      await Promise.all(
        Array.from(
          { length: 2000 },
          () =>
            new Promise((resolve) => {
              const socket = connect(server.port, '127.0.0.1', () => {
                socket.write(
                  `POST /e HTTP/1.1\r\nHost: x\r\nContent-Type: text/plain\r\nContent-Length: ${1024 * 1024}\r\n\r\n`,
                )
                socket.write(chunk, () => resolve())
              })
              socket.on('data', () => {})
              socket.on('error', () => {
                refused += 1
                resolve()
              })
              socket.on('close', resolve)
              sockets.push(socket)
              setTimeout(resolve, 15_000)
            }),
        ),
      )
      await new Promise((resolve) => setTimeout(resolve, 2000))
      const held = await server.query()
      sockets.forEach((socket) => socket.destroy())
      out.unfinishedBodies = {
        rssBeforeMB: Math.round(before.rss / 2 ** 20),
        peakRssMB: Math.round(held.peakRss / 2 ** 20),
        socketsRefusedOrReset: refused,
        requests: held.requests,
        refused: held.refused,
      }
      server.child.kill()
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return out
}

const count = (values) => values.reduce((counts, value) => ({ ...counts, [value]: (counts[value] ?? 0) + 1 }), {})

export const tables = (result) => {
  const headers = [
    'sink',
    'body',
    'events/s wall (median)',
    'events per CPU-second (median)',
    'ms per batch of 100 (wall)',
    'avg body kB',
    'passes',
  ]
  const rows = result.results.map((r) => [
    r.sink,
    r.body,
    r.eventsPerSecond.toLocaleString('en-US'),
    r.eventsPerCpuSecond?.toLocaleString('en-US'),
    r.msPerBatch,
    r.avgBodyKB,
    r.passes,
  ])
  return {
    text: textTable(`Collector ingest on one core (${result.method})`, headers, rows),
    markdown: markdownTable(headers, rows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  if (process.argv.includes('--serve')) await serve(argOf('--serve'))
  else if (process.argv.includes('--dedupe'))
    console.log(JSON.stringify(await runDedupe(Number(argOf('--ids', 10_000_000)))))
  else if (process.argv.includes('--hostile')) console.log(JSON.stringify(await runHostile(), null, 2))
  else if (process.argv.includes('--http-only')) {
    const { generateEvents } = await loadGenerator()
    const work = mkdtempSync(join(tmpdir(), 'fl-bench-http-'))
    try {
      console.log(JSON.stringify(await runHttp(generateEvents, work)))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  } else {
    const result = await run({ log: console.log })
    console.log(tables(result).text)
  }
}
