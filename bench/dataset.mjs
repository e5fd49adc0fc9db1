// The generated events of the report benchmarks, made once per run and shared by the NDJSON
// and the ClickHouse side: one pass of the test generator (test/unit/report/fixtures.ts) writes
// the NDJSON day file the collector's NDJSON sink would hold and hands the same lines to a worker
// thread (bench/rowWorker.mjs) that streams them, as the ClickHouse sink's rows (`clickhouseRow`),
// into one INSERT … FORMAT JSONEachRow request.
// Larger sets (10M) are that base set again with fresh ids, shifted in time (`replicate`):
// generating 10M events one by one costs about 40 CPU-seconds per million here, replicating
// them a few.
import { once } from 'node:events'
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { bundleForNode, ensureTmp } from './lib.mjs'

const DAY_MS = 86_400_000

/** The generator and the sink's row and table from the sources (neither is a public export). */
export const loadGenerator = async () => {
  const dir = ensureTmp('dataset')
  const modules = {
    generateEvents: 'test/unit/report/fixtures.ts',
    emptyTruth: 'test/unit/report/fixtures.ts',
    clickhouseRow: 'src/collector/sinks/clickhouseRow.ts',
    clickhouseDdl: 'src/collector/sinks/clickhouseDdl.ts',
  }
  const outfile = await bundleForNode(join(dir, 'generator.mjs'), modules)
  return { ...(await import(pathToFileURL(outfile).href)), file: outfile }
}

/** CPU seconds of a process so far (user + system), from /proc: the ClickHouse server's work. */
export const processCpuSeconds = (pid) => {
  // Fields after the command name (which may hold spaces): utime is the 12th, stime the 13th.
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}

/** This process's CPU seconds so far. */
export const ownCpuSeconds = () => {
  const { user, system } = process.cpuUsage()
  return (user + system) / 1e6
}

/** A streamed `INSERT INTO table FORMAT JSONEachRow`: `write(text)`, then `end()` resolves once stored. */
export const openInsert = (url, table) => {
  const target = new URL(url)
  target.searchParams.set('query', `INSERT INTO ${table} FORMAT JSONEachRow`)
  target.searchParams.set('input_format_skip_unknown_fields', '1')
  let answer
  const done = new Promise((resolve, reject) => {
    answer = request(target, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (chunk) => (body += chunk))
      res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`insert: ${res.statusCode} ${body}`))))
    })
    answer.on('error', reject)
  })
  // An early rejection must not go unhandled while the body is still being written.
  done.catch(() => {})
  return {
    write: async (text) => {
      if (!answer.write(text)) await Promise.race([once(answer, 'drain'), done])
    },
    end: async () => {
      answer.end()
      await done
    },
  }
}

/**
 * bench/rowWorker.mjs on its own thread: `send(chunk)` hands it whole NDJSON lines (waiting while
 * `MAX_PENDING` chunks are not converted yet), `end()` resolves once ClickHouse stored every row.
 */
const MAX_PENDING = 4
const startRowWorker = ({ generatorFile, url, table }) => {
  const worker = new Worker(new URL('./rowWorker.mjs', import.meta.url), { workerData: { generatorFile, url, table } })
  let pending = 0
  let wake = () => {}
  let failure
  const finished = new Promise((resolve, reject) => {
    worker.on('message', (message) => {
      if (message.type === 'chunk') pending--
      if (message.type === 'done') resolve()
      if (message.type === 'error') reject((failure = new Error(`row worker: ${message.message}`)))
      wake()
    })
    worker.on('error', (error) => reject((failure = error)))
  })
  finished.catch(() => {})
  return {
    send: async (chunk) => {
      while (pending >= MAX_PENDING && !failure) await new Promise((resolve) => (wake = resolve))
      if (failure) throw failure
      pending++
      worker.postMessage(chunk)
    },
    end: async () => {
      worker.postMessage(null)
      try {
        await finished
      } finally {
        await worker.terminate()
      }
    },
  }
}

/** The NDJSON file, written in 1 MB pieces; each piece also goes to `onChunk` (the row worker). */
const fileWriter = (file, onChunk) => {
  const out = createWriteStream(file)
  let buffer = ''
  const write = async (text) => {
    if (onChunk) await onChunk(text)
    if (!out.write(text)) await once(out, 'drain')
  }
  return {
    add: async (line) => {
      buffer += line
      if (buffer.length < 1 << 20) return
      const text = buffer
      buffer = ''
      await write(text)
    },
    end: async () => {
      if (buffer) await write(buffer)
      out.end()
      await once(out, 'finish')
    },
  }
}

const dayOf = (ts) => new Date(ts).toISOString().slice(0, 10)

/**
 * Generates `events` events once: the NDJSON day file in `dir` and, when `clickhouse` is given
 * ({ url, table }), the same events as ClickHouse rows in one streamed INSERT, converted on a
 * worker thread. Resolves to the file, its size, the generator's truth, the first and last `ts`
 * and the time taken (wall, and this process's CPU over all its threads).
 */
export const generateBase = async ({ generator, events, dir, clickhouse }) => {
  const { generateEvents, emptyTruth } = generator
  const truth = emptyTruth()
  const wall = process.hrtime.bigint()
  const cpu = ownCpuSeconds()
  let firstTs = Infinity
  let lastTs = -Infinity
  const name = `events-${dayOf(1_732_350_000_000)}.ndjson`
  const file = join(dir, name)
  const rows = clickhouse && startRowWorker({ generatorFile: generator.file, ...clickhouse })
  const ndjson = fileWriter(file, rows?.send)
  for (const event of generateEvents(events, truth)) {
    firstTs = Math.min(firstTs, event.ts)
    lastTs = Math.max(lastTs, event.ts)
    await ndjson.add(`${JSON.stringify(event)}\n`)
  }
  await ndjson.end()
  if (rows) await rows.end()
  if (name !== `events-${dayOf(firstTs)}.ndjson`) throw new Error(`dataset: first event on ${dayOf(firstTs)}`)
  return {
    file,
    bytes: statSync(file).size,
    truth,
    firstTs,
    lastTs,
    seconds: Number(process.hrtime.bigint() - wall) / 1e9,
    cpuSeconds: ownCpuSeconds() - cpu,
  }
}

/** Whole days the base set spans: copy `k` is shifted by k times that, so the copies never overlap. */
export const spanDays = (base) => Math.floor(base.lastTs / DAY_MS) - Math.floor(base.firstTs / DAY_MS) + 1

// The envelope as JSON.stringify writes the generator's events: id, ts, sessionId, anonymousId, pageId first.
const ENVELOPE = /^\{"id":"([^"]*)","ts":(\d+),"sessionId":"([^"]*)","anonymousId":"([^"]*)","pageId":"([^"]*)"/

/** One NDJSON line of copy `k`: ids prefixed `r<k>-` (events, sessions, visitors, pages), `ts` shifted. */
export const replicateLine = (line, k, shiftMs) => {
  const match = ENVELOPE.exec(line)
  if (!match) throw new Error(`dataset: unexpected line ${line.slice(0, 80)}`)
  const [head, id, ts, sessionId, anonymousId, pageId] = match
  const p = `r${k}-`
  const page = pageId ? p + pageId : ''
  return (
    `{"id":"${p}${id}","ts":${Number(ts) + shiftMs},"sessionId":"${p}${sessionId}",` +
    `"anonymousId":"${p}${anonymousId}","pageId":"${page}"` +
    line.slice(head.length)
  )
}

/**
 * Copies 1..`copies` of the base NDJSON file into `dir`, each its own day file(s) after the
 * base's days, streamed line by line. Resolves to the files written and their total size.
 */
export const replicateNdjson = async ({ base, dir, copies }) => {
  const shift = spanDays(base) * DAY_MS
  const files = []
  let bytes = 0
  for (let k = 1; k <= copies; k++) {
    const file = join(dir, `events-${dayOf(base.firstTs + k * shift)}.ndjson`)
    const out = fileWriter(file)
    let rest = ''
    for await (const chunk of createReadStream(base.file, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
      const lines = (rest + chunk).split('\n')
      rest = lines.pop()
      let text = ''
      for (const line of lines) if (line) text += `${replicateLine(line, k, k * shift)}\n`
      await out.add(text)
    }
    if (rest) await out.add(`${replicateLine(rest, k, k * shift)}\n`)
    await out.end()
    files.push(file)
    bytes += statSync(file).size
  }
  return { files, bytes }
}

/**
 * The same copies inside ClickHouse, one `INSERT … SELECT` per copy from the base rows: the
 * same id prefixes and shift as `replicateLine` (rows and NDJSON stay the same events).
 */
export const replicateClickhouse = async ({ query, table, base, copies, baseRows }) => {
  const shift = spanDays(base) * DAY_MS
  const columns = [
    ['id', (p) => `concat('${p}', id)`],
    ['ts', (_, k) => `ts + ${k * shift}`],
    ['seq', (_, k) => `seq + ${k * baseRows}`],
    ['site'],
    ['type'],
    ['sessionId', (p) => `concat('${p}', sessionId)`],
    ['anonymousId', (p) => `concat('${p}', anonymousId)`],
    ['userId'],
    ['pageId', (p) => `if(pageId = '', '', concat('${p}', pageId))`],
    ['url'],
    ['urlPath'],
    ['experimentNames'],
    ['experimentVariants'],
    ['droppedReasons'],
    ['droppedCounts'],
    ['facts'],
    ['context'],
    ['fields'],
  ]
  for (let k = 1; k <= copies; k++) {
    // By position, no aliases: ClickHouse would see an alias `seq` in the WHERE clause too.
    const select = columns.map(([name, expr]) => (expr ? expr(`r${k}-`, k) : name)).join(', ')
    await query(
      `INSERT INTO ${table} (${columns.map(([name]) => name).join(', ')}) ` +
        `SELECT ${select} FROM ${table} WHERE seq <= ${baseRows}`,
    )
  }
}
