// Times `frictionlog report` on N generated events: writes them as NDJSON to a temp folder,
// then runs the CLI's report command on it (read, parse, aggregate, render) and prints the
// time, the throughput and the heap. Usage: node bench/report.mjs [events=1000000] [--json]
// The sources are TypeScript, so they are bundled first with esbuild (a tsup dependency).
import { once } from 'node:events'
import { createWriteStream } from 'node:fs'
import { mkdtemp, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { clearInterval, setInterval } from 'node:timers'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { build } from 'esbuild'
import { parseArgs } from 'node:util'

const root = fileURLToPath(new URL('..', import.meta.url))
const { values: args, positionals } = parseArgs({
  options: { json: { type: 'boolean', default: false } },
  allowPositionals: true,
})
const total = Number(positionals[0] ?? 1_000_000)
const asJson = args.json

const work = await mkdtemp(join(tmpdir(), 'frictionlog-bench-report-'))
try {
  const entry = join(work, 'entry.ts')
  const { writeFile } = await import('node:fs/promises')
  await writeFile(
    entry,
    [
      `export { runCli } from ${JSON.stringify(join(root, 'src/cli/runCli.ts'))}`,
      `export { generateEvents, emptyTruth } from ${JSON.stringify(join(root, 'test/unit/report/fixtures.ts'))}`,
    ].join('\n'),
  )
  const bundle = join(work, 'bundle.mjs')
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile: bundle,
    define: { __FL_VERSION__: '"bench"' },
    logLevel: 'error',
  })
  const { runCli, generateEvents, emptyTruth } = await import(pathToFileURL(bundle).href)

  const dir = join(work, 'events')
  await (await import('node:fs/promises')).mkdir(dir)
  const file = join(dir, 'events-2024-11-23.ndjson')
  const out = createWriteStream(file)
  const truth = emptyTruth()
  let chunk = ''
  for (const event of generateEvents(total, truth)) {
    chunk += `${JSON.stringify(event)}\n`
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain')
      chunk = ''
    }
  }
  out.end(chunk)
  await once(out, 'finish')
  const bytes = (await stat(file)).size

  let printed = 0
  const heapBefore = process.memoryUsage().heapUsed
  let peakHeap = heapBefore
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed)
  }, 50)
  const started = process.hrtime.bigint()
  const code = await runCli(['report', '--dir', dir], {
    stdout: (line) => (printed += line.length),
    stderr: (line) => process.stderr.write(`${line}\n`),
    signal: new globalThis.AbortController().signal,
  })
  const seconds = Number(process.hrtime.bigint() - started) / 1e9
  clearInterval(sampler)
  if (code !== 0) throw new Error(`report exited ${code}`)

  const result = {
    events: total,
    sessions: truth.sessions,
    ndjsonMB: Math.round(bytes / 1e5) / 10,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(total / seconds),
    peakHeapMB: Math.round(peakHeap / 1e5) / 10,
  }
  if (asJson) console.log(JSON.stringify(result))
  else {
    console.log(
      `report: ${total.toLocaleString('en-US')} events (${result.ndjsonMB} MB NDJSON, ${truth.sessions.toLocaleString('en-US')} sessions) ` +
        `in ${result.seconds} s = ${result.eventsPerSecond.toLocaleString('en-US')} events/s, peak heap ${result.peakHeapMB} MB`,
    )
  }
} finally {
  await rm(work, { recursive: true, force: true })
}
