// Times `frictionlog report` on N generated events: writes them as NDJSON to a temp folder
// (streamed, so 10 million events, about 6.5 GB, never sit in memory), then runs the CLI's
// report command on it (read, parse, aggregate, render) in a child process of its own and
// prints its CPU time (user + system: the number to compare on a shared machine), wall time,
// throughput, peak heap, peak heap plus ArrayBuffers (the per-session columns are typed arrays,
// whose bytes are outside the heap) and peak RSS. The folder is deleted afterwards.
// Usage: node bench/report.mjs [events=1000000] [--json] [--cpu-prof]
//   --json      one JSON line (the last line) for bench/run.mjs
//   --cpu-prof  also write the report process's V8 CPU profile to the current folder
// The sources are TypeScript, so they are bundled first with esbuild (a tsup dependency).
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdir, mkdtemp, rm, stat, statfs, writeFile } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { bundleForNode, runJsonChild } from './lib.mjs'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

const { values: args, positionals } = parseArgs({
  options: { json: { type: 'boolean', default: false }, 'cpu-prof': { type: 'boolean', default: false } },
  allowPositionals: true,
})
const total = Number(positionals[0] ?? 1_000_000)
if (!Number.isSafeInteger(total) || total < 1) throw new Error(`bad event count "${positionals[0]}"`)
const asJson = args.json
/** A generated event is about 650 bytes of NDJSON; the check leaves a margin. */
const BYTES_PER_EVENT = 700

/** The report process: runs the CLI's report command, then prints its own measurements as JSON. */
const RUNNER = `
import { runCli } from './bundle.mjs'
const dir = process.argv[2]
let peakHeap = 0
let peakHeapAndBuffers = 0
const sample = () => {
  const { heapUsed, arrayBuffers } = process.memoryUsage()
  peakHeap = Math.max(peakHeap, heapUsed)
  peakHeapAndBuffers = Math.max(peakHeapAndBuffers, heapUsed + arrayBuffers)
}
sample()
const rssBefore = process.memoryUsage().rss
// The report yields to the event loop between 4 MB chunks, so this samples during the run.
const sampler = setInterval(sample, 20)
let printed = 0
const cpu = process.cpuUsage()
const started = process.hrtime.bigint()
const code = await runCli(['report', '--dir', dir], {
  stdout: (line) => (printed += line.length),
  stderr: (line) => process.stderr.write(line + '\\n'),
  signal: new AbortController().signal,
})
const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
const used = process.cpuUsage(cpu)
clearInterval(sampler)
sample()
if (code !== 0 || printed === 0) process.exit(code || 1)
console.log(JSON.stringify({
  wallSeconds,
  cpuSeconds: (used.user + used.system) / 1e6,
  peakHeapBytes: peakHeap,
  peakHeapAndBuffersBytes: peakHeapAndBuffers,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  rssBeforeBytes: rssBefore,
}))
`

const work = await mkdtemp(join(tmpdir(), 'frictionlog-bench-report-'))
try {
  const { bavail, bsize } = await statfs(work)
  if (bavail * bsize < total * BYTES_PER_EVENT) {
    throw new Error(
      `${Math.round((total * BYTES_PER_EVENT) / 1e9)} GB needed in ${tmpdir()} for ${total} events, ` +
        `${Math.round((bavail * bsize) / 1e9)} GB free`,
    )
  }
  const bundle = await bundleForNode(join(work, 'bundle.mjs'), {
    runCli: 'src/cli/runCli.ts',
    generateEvents: 'test/unit/report/fixtures.ts',
    emptyTruth: 'test/unit/report/fixtures.ts',
  })
  await writeFile(join(work, 'runner.mjs'), RUNNER)
  const { generateEvents, emptyTruth } = await import(pathToFileURL(bundle).href)

  const generateCpu = process.cpuUsage()
  const dir = join(work, 'events')
  await mkdir(dir)
  const file = join(dir, 'events-2024-11-23.ndjson')
  const out = createWriteStream(file)
  const truth = emptyTruth()
  let chunk = ''
  // A session's events share one context object (shareContext): serialized once, spliced into
  // each line where JSON.stringify puts it, which gives the same bytes at a third of the cost.
  let context
  let contextJson = ''
  for (const event of generateEvents(total, truth, 42, { shareContext: true })) {
    if (event.context !== context) {
      context = event.context
      contextJson = JSON.stringify(context)
    }
    event.context = 0
    const line = JSON.stringify(event)
    // The keys before `context` (id, ts, ids, url) hold strings, where `"context":0` cannot occur unescaped.
    const at = line.indexOf('"context":0') + '"context":'.length
    chunk += `${line.slice(0, at)}${contextJson}${line.slice(at + 1)}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
  const generated = process.cpuUsage(generateCpu)
  const bytes = (await stat(file)).size

  const loadBefore = loadavg()[0]
  const profile = args['cpu-prof'] ? ['--cpu-prof', `--cpu-prof-dir=${process.cwd()}`] : []
  const measured = await runJsonChild([...profile, join(work, 'runner.mjs'), dir])
  const mb = (value) => Math.round(value / 1e5) / 10

  const result = {
    events: total,
    sessions: truth.sessions,
    ndjsonMB: mb(bytes),
    // Wall time of the report alone, as before; cpuSeconds is the one to compare on a busy box.
    seconds: Math.round(measured.wallSeconds * 100) / 100,
    eventsPerSecond: Math.round(total / measured.wallSeconds),
    peakHeapMB: mb(measured.peakHeapBytes),
    peakHeapAndBuffersMB: mb(measured.peakHeapAndBuffersBytes),
    cpuSeconds: Math.round(measured.cpuSeconds * 100) / 100,
    cpuEventsPerSecond: Math.round(total / measured.cpuSeconds),
    peakRssMB: mb(measured.peakRssBytes),
    rssBeforeReportMB: mb(measured.rssBeforeBytes),
    generateCpuSeconds: Math.round((generated.user + generated.system) / 1e4) / 100,
    loadAverage: Math.round(Math.max(loadBefore, loadavg()[0]) * 10) / 10,
  }
  if (asJson) console.log(JSON.stringify(result))
  else {
    console.log(
      `report: ${total.toLocaleString('en-US')} events (${result.ndjsonMB} MB NDJSON, ` +
        `${truth.sessions.toLocaleString('en-US')} sessions) ` +
        `in ${result.cpuSeconds} s CPU (${result.cpuEventsPerSecond.toLocaleString('en-US')} events/s), ` +
        `${result.seconds} s wall, ` +
        `peak heap ${result.peakHeapMB} MB (${result.peakHeapAndBuffersMB} MB with ArrayBuffers), peak RSS ${result.peakRssMB} MB ` +
        `(${result.rssBeforeReportMB} MB before the report); ` +
        `load average ${result.loadAverage}`,
    )
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
