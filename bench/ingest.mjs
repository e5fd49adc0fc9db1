// Collector ingest on one core (Node is single-threaded here), from the build, with batches cut
// as the SDK cuts them (`sdkBatches` below): the report fixtures' sessions, one tab each, queued
// and flushed every 5 s (batch.intervalMs), at 50 events (batch.maxEvents) or 16 KiB
// (batch.maxBytes), and at each page exit (the event `page_leave`), which goes out as a beacon:
// gzip'd with `?enc=gzip` and no Content-Encoding. Visible sends of 1 KiB or more are gzip'd with
// `Content-Encoding: gzip`, as fetch.ts does; all carry an Origin header (cross-origin, as a
// site's collector is). The mix is small batches, a few events each: per-request costs count.
// - handle(): those batches through `createCollector(...).handle()`, with validation and dedup,
//   into the memory sink and the NDJSON sink. Fresh ids and a fresh collector per pass; one
//   warm-up pass, then the median of 5. Timed: Request construction + handle() for the batches.
// - HTTP: the same kind of batches through `collector.listen()` in a child process (the real
//   Node listener, NDJSON sink), sent by this process over keep-alive connections; the rate is
//   per second of the server process's CPU time (what one core does, whatever else the box runs).
//   `--full` adds the same with full batches (50 events, as a busy SPA fills them).
// Separate modes, run alone (bounded, each stops by itself):
//   node bench/ingest.mjs --dedupe [--ids 10000000]   µs per id of the dedupe window as it fills
//   node bench/ingest.mjs --hostile                     server RSS under 1,000 parallel ~1 MiB
//                                                       batches and 2,000 unfinished 1 MB bodies
//   node bench/ingest.mjs --http-only [--full] [--bare] the HTTP rows alone (FL_PROF=1: --cpu-prof
//                                                       of the server into bench/.tmp/prof; --bare:
//                                                       the floor server below instead of the collector)
// - floor: the same requests to a bare `node:http` server doing only what no NDJSON collector in
//   Node can skip (read the body, gunzip, JSON.parse, JSON.stringify each event, answer), with no
//   validation, dedupe, CORS or write: the ceiling the collector's HTTP rows are read against.
//   --root <dir> runs any mode against another checkout's dist/ (to measure "before").
/* global Request, setInterval -- Node 20 globals */
import { fork } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { Agent, createServer, request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { gunzipSync, gzipSync } from 'node:zlib'
import { bundleForNode, ensureTmp, markdownTable, median, ROOT, round, textTable } from './lib.mjs'

/** Events per pass (handle and HTTP); each pass gets fresh ids. */
const EVENTS_PER_PASS = 20_000
const PASSES = 5
/** HTTP: concurrent keep-alive connections of the load generator. */
const HTTP_CONNECTIONS = 8
/** The SDK's defaults (src/core/config.ts) and its gzip threshold (src/transport/fetch.ts). */
const SDK_MAX_EVENTS = 50
const SDK_MAX_BYTES = 16_384
const SDK_INTERVAL_MS = 5000
const SDK_GZIP_MIN_BYTES = 1024
/** What the SDK counts around the events of a batch (src/transport/queue.ts). */
const SDK_BATCH_OVERHEAD_BYTES = 300
const ORIGIN = 'https://shop.example'

const isMain = import.meta.url === `file://${process.argv[1]}`
/** This file's own options, parsed only when it runs (imported by run.mjs, argv is run.mjs's). */
const options = isMain
  ? parseArgs({
      options: {
        serve: { type: 'string' },
        root: { type: 'string', default: ROOT },
        dedupe: { type: 'boolean', default: false },
        ids: { type: 'string', default: '10000000' },
        hostile: { type: 'boolean', default: false },
        'http-only': { type: 'boolean', default: false },
        full: { type: 'boolean', default: false },
        'sample-rss': { type: 'boolean', default: false },
        bare: { type: 'boolean', default: false },
      },
    }).values
  : { root: ROOT }
const root = options.root
const collectorEntry = () => import(pathToFileURL(join(root, 'dist/collector/index.js')).href)

const loadGenerator = async () => {
  const modules = { generateEvents: 'test/unit/report/fixtures.ts' }
  return import(pathToFileURL(await bundleForNode(join(ensureTmp('ingest'), 'fixtures.mjs'), modules)).href)
}

/**
 * The requests the SDK would send for `events` (the generator's sessions, one tab each): a batch
 * leaves when 5 s have passed since its first event, when the next event would pass 50 events or
 * 16 KiB, and at page exit (`page_leave`), as a gzip beacon. Each request: `path`, `headers`,
 * `body` (string or gzip Buffer) and its event count.
 */
export const sdkBatches = (events, { maxEvents = SDK_MAX_EVENTS, intervalMs = SDK_INTERVAL_MS, exits = true } = {}) => {
  const requests = []
  const send = (batch, isExit) => {
    if (!batch.length) return
    // sentAt just after the last event, as a live tab sends (the fixtures are dated 2024).
    const json = JSON.stringify({ v: 1, site: 'bench', sentAt: batch.at(-1).ts + 50, events: batch })
    const isGzip = Buffer.byteLength(json) >= SDK_GZIP_MIN_BYTES
    const headers = { 'content-type': 'text/plain', origin: ORIGIN }
    if (isGzip && !isExit) headers['content-encoding'] = 'gzip'
    requests.push({
      path: isGzip && isExit ? '/e?enc=gzip' : '/e',
      headers,
      body: isGzip ? gzipSync(json) : json,
      events: batch.length,
      kind: isExit ? 'beacon' : 'fetch',
    })
  }
  const queues = new Map()
  for (const event of events) {
    let queue = queues.get(event.sessionId)
    if (!queue) queues.set(event.sessionId, (queue = { batch: [], bytes: SDK_BATCH_OVERHEAD_BYTES }))
    const bytes = Buffer.byteLength(JSON.stringify(event))
    const isDue = queue.batch.length > 0 && event.ts - queue.batch[0].ts >= intervalMs
    const isFull = queue.batch.length >= maxEvents || queue.bytes + bytes + 1 > SDK_MAX_BYTES
    if (isDue || isFull) {
      send(queue.batch, false)
      queue.batch = []
      queue.bytes = SDK_BATCH_OVERHEAD_BYTES
    }
    queue.batch.push(event)
    queue.bytes += bytes + 1
    if (exits && event.type === 'page_leave') {
      send(queue.batch, true)
      queue.batch = []
      queue.bytes = SDK_BATCH_OVERHEAD_BYTES
    }
  }
  for (const queue of queues.values()) send(queue.batch, true)
  return requests
}

/** A summary of a list of requests: events per request and the share of each kind. */
const mixOf = (requests) => {
  const events = requests.reduce((sum, r) => sum + r.events, 0)
  const bytes = requests.reduce((sum, r) => sum + r.body.length, 0)
  const gzip = requests.filter((r) => typeof r.body !== 'string').length
  const beacons = requests.filter((r) => r.kind === 'beacon').length
  return {
    requests: requests.length,
    eventsPerRequest: round(events / requests.length, 1),
    avgBodyKB: round(bytes / requests.length / 1024, 2),
    gzipShare: round(gzip / requests.length, 2),
    beaconShare: round(beacons / requests.length, 2),
  }
}

export const run = async ({ log = () => {} } = {}) => {
  const { createCollector, createMemorySink, createNdjsonSink } = await collectorEntry()
  const { generateEvents } = await loadGenerator()
  const all = [...generateEvents(EVENTS_PER_PASS * (PASSES + 1) * 2)]
  let offset = 0
  // Fresh ids for each pass, so dedup looks every id up and stores it (no shortcut on hits).
  const nextRequests = () => {
    const requests = sdkBatches(all.slice(offset, offset + EVENTS_PER_PASS))
    offset += EVENTS_PER_PASS
    return requests
  }
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-ingest-'))
  const results = []
  try {
    for (const sinkName of ['memory', 'ndjson']) {
      const rates = []
      const cpuRates = []
      let mix
      for (let pass = 0; pass <= PASSES; pass++) {
        const sink =
          sinkName === 'memory' ? createMemorySink() : createNdjsonSink({ dir: join(work, `${sinkName}-${pass}`) })
        const collector = createCollector({ sink, allowedOrigins: '*' })
        const requests = nextRequests()
        mix = mixOf(requests)
        const cpuBefore = process.cpuUsage()
        const started = process.hrtime.bigint()
        for (const { path, headers, body } of requests) {
          const response = await collector.handle(
            new Request(`http://127.0.0.1${path}`, { method: 'POST', headers, body }),
          )
          if (response.status !== 200) throw new Error(`ingest: status ${response.status}: ${await response.text()}`)
          await response.arrayBuffer()
        }
        const seconds = Number(process.hrtime.bigint() - started) / 1e9
        const cpu = process.cpuUsage(cpuBefore)
        const cpuSeconds = (cpu.user + cpu.system) / 1e6
        const { accepted, duplicates, rejected } = collector.stats()
        if (accepted !== EVENTS_PER_PASS)
          throw new Error(
            `ingest: ${accepted}/${EVENTS_PER_PASS} accepted, ${duplicates} duplicates, ` +
              `rejected ${JSON.stringify(rejected)}`,
          )
        if (pass > 0) {
          rates.push(EVENTS_PER_PASS / seconds)
          cpuRates.push(EVENTS_PER_PASS / cpuSeconds)
        }
        await sink.close?.()
      }
      results.push(row(`${sinkName} (handle)`, 'SDK mix', rates, cpuRates, mix))
      log(`  ingest ${results.at(-1).sink}: ${results.at(-1).eventsPerCpuSecond} events per CPU-second`)
    }
    for (const bare of [false, true]) {
      for (const full of [false, true]) {
        const http = await runHttp(generateEvents, work, { full, bare })
        results.push(http)
        log(`  ingest ${http.sink} ${http.body}: ${http.eventsPerCpuSecond} events per server CPU-second`)
      }
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
  return {
    method:
      `${EVENTS_PER_PASS.toLocaleString('en-US')} events per pass cut into requests as the SDK cuts them ` +
      `(HTTP: over ${HTTP_CONNECTIONS} keep-alive connections), median of ${PASSES} passes after a warm-up`,
    results,
  }
}

function row(sink, body, rates, cpuRates, mix) {
  const eventsPerSecond = median(rates)
  return {
    sink,
    body,
    passes: rates.length,
    eventsPerSecond: Math.round(eventsPerSecond),
    // Per second of the ingesting process's CPU time (user + system, all its threads): what one
    // core would do, whatever else the machine was running.
    eventsPerCpuSecond: Math.round(median(cpuRates)),
    ...mix,
    allPasses: cpuRates.map((rate) => Math.round(rate)),
  }
}

/** A batch body of the hostile mode; `sentAt` just after its last event. */
const batchBody = (events) =>
  JSON.stringify({ v: 1, site: 'bench', sentAt: Math.max(...events.map((e) => e.ts)) + 1000, events })

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

/**
 * The floor server: per request only the work any NDJSON collector in Node must do (read the
 * body, inflate gzip, decode, JSON.parse, one JSON.stringify per event, a small JSON answer),
 * and a count of the events for the harness. No validation, dedupe, CORS, limits or write.
 */
const serveBare = () => {
  let accepted = 0
  let requests = 0
  // The lines' length, reported with the counts: what a sink would have written.
  let chars = 0
  const server = createServer((req, res) => {
    const parts = []
    req.on('data', (chunk) => parts.push(chunk))
    req.on('end', () => {
      const raw = Buffer.concat(parts)
      const isGzip = raw[0] === 0x1f && raw[1] === 0x8b
      const { events } = JSON.parse((isGzip ? gunzipSync(raw) : raw).toString('utf8'))
      let lines = ''
      for (const event of events) lines += `${JSON.stringify(event)}\n`
      accepted += events.length
      chars += lines.length
      requests += 1
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'access-control-allow-origin': '*' })
      res.end(`{"accepted":${events.length},"duplicates":0,"rejected":[]}`)
    })
  })
  server.listen(0, '127.0.0.1', () => process.send({ port: server.address().port }))
  return () => ({ accepted, requests, chars, refused: {} })
}

const serve = async (dir) => {
  if (options.bare) {
    const stats = serveBare()
    process.on('message', () => process.send({ cpu: process.cpuUsage(), ...stats() }))
    process.on('disconnect', () => process.exit(0))
    return
  }
  const { createCollector, createMemorySink, createNdjsonSink } = await collectorEntry()
  // FL_SINK=memory: the same without the file system, to tell the sink's share.
  const sink = process.env.FL_SINK === 'memory' ? createMemorySink() : createNdjsonSink({ dir })
  const collector = createCollector({ sink, log: () => {} })
  const { port } = await collector.listen({ port: 0 })
  let peakRss = process.memoryUsage().rss
  if (options['sample-rss']) setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20).unref()
  process.on('message', () => {
    peakRss = Math.max(peakRss, process.memoryUsage().rss)
    const { accepted, requests, refused } = collector.stats()
    process.send({ cpu: process.cpuUsage(), rss: process.memoryUsage().rss, peakRss, accepted, requests, refused })
    peakRss = process.memoryUsage().rss
  })
  process.send({ port })
  process.on('disconnect', () => process.exit(0))
}

const post = (agent, port, body, path = '/e', headers = { 'content-type': 'text/plain' }) =>
  new Promise((resolve) => {
    const req = request({ agent, host: '127.0.0.1', port, path, method: 'POST', headers }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', () => resolve(0))
    req.end(body)
  })

/** The HTTP rows: SDK-cut requests (or full 50-event batches) to a collector in another process. */
async function runHttp(generateEvents, work, { full = false, bare = false } = {}) {
  const events = [...generateEvents(EVENTS_PER_PASS * (PASSES + 1), undefined, 99)]
  const server = await startServer(
    join(work, `http-${full}`),
    process.env.FL_PROF ? ['--cpu-prof', `--cpu-prof-dir=${ensureTmp('prof')}`] : [],
    bare ? ['--bare'] : [],
  )
  const agent = new Agent({ keepAlive: true, maxSockets: HTTP_CONNECTIONS })
  const rates = []
  const cpuRates = []
  const systemShares = []
  let mix
  try {
    for (let pass = 0; pass <= PASSES; pass++) {
      const slice = events.slice(pass * EVENTS_PER_PASS, (pass + 1) * EVENTS_PER_PASS)
      // Full: neither the interval nor a page exit ends a batch (a busy single-page app), only 50 events or 16 KiB do.
      const requests = full ? sdkBatches(slice, { intervalMs: Infinity, exits: false }) : sdkBatches(slice)
      mix = mixOf(requests)
      const before = await server.query()
      const started = process.hrtime.bigint()
      let next = 0
      const statuses = []
      await Promise.all(
        Array.from({ length: HTTP_CONNECTIONS }, async () => {
          while (next < requests.length) {
            const { body, path, headers } = requests[next++]
            statuses.push(await post(agent, server.port, body, path, headers))
          }
        }),
      )
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      const after = await server.query()
      const cpuSeconds = (after.cpu.user - before.cpu.user + after.cpu.system - before.cpu.system) / 1e6
      systemShares.push((after.cpu.system - before.cpu.system) / 1e6 / cpuSeconds)
      const stored = after.accepted - before.accepted
      if (stored !== EVENTS_PER_PASS)
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
  return {
    ...row(
      bare
        ? 'floor: bare node:http (gunzip, parse, stringify)'
        : `${process.env.FL_SINK === 'memory' ? 'memory' : 'ndjson'} (HTTP listen)`,
      full ? 'full batches' : 'SDK mix',
      rates,
      cpuRates,
      mix,
    ),
    // Of the server's CPU time, the share spent in the kernel (socket and file system calls).
    systemShare: round(median(systemShares), 2),
  }
}

// ---------------------------------------------------------------------------- dedupe

async function runDedupe(ids) {
  const outfile = join(ensureTmp('ingest'), `dedupe-${Date.now()}.mjs`)
  await bundleForNode(outfile, { createDedupe: 'src/collector/dedupe.ts' }, root)
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
    'events per request',
    'avg body kB',
    'gzip share',
    'passes',
  ]
  const rows = result.results.map((r) => [
    r.sink,
    r.body,
    r.eventsPerSecond.toLocaleString('en-US'),
    r.eventsPerCpuSecond?.toLocaleString('en-US'),
    r.eventsPerRequest,
    r.avgBodyKB,
    r.gzipShare,
    r.passes,
  ])
  return {
    text: textTable(`Collector ingest on one core (${result.method})`, headers, rows),
    markdown: markdownTable(headers, rows),
  }
}

if (isMain) {
  if (options.serve !== undefined) await serve(options.serve)
  else if (options.dedupe) console.log(JSON.stringify(await runDedupe(Number(options.ids))))
  else if (options.hostile) console.log(JSON.stringify(await runHostile(), null, 2))
  else if (options['http-only']) {
    const { generateEvents } = await loadGenerator()
    const work = mkdtempSync(join(tmpdir(), 'fl-bench-http-'))
    try {
      console.log(JSON.stringify(await runHttp(generateEvents, work, { full: options.full, bare: options.bare })))
    } finally {
      rmSync(work, { recursive: true, force: true })
    }
  } else {
    const result = await run({ log: console.log })
    console.log(tables(result).text)
  }
}
