import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, request as httpRequest, type IncomingHttpHeaders } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { createCollector, createNdjsonSink, readNdjson, type CollectorStats } from '../../../dist/collector/index.js'
import { eventSchema, type FrictionEvent } from '../../../dist/schema/index.js'

/** How the proxy in front of the collector misbehaves, for the next `times` requests. */
export type Fault =
  | { mode: 'abort'; times?: number }
  | { mode: 'status'; status: 500 | 503 | 429 | 408; retryAfter?: number; times?: number }

/** One request as it reached the proxy, before any fault. */
export interface RawRequest {
  at: number
  method: string
  path: string
  origin?: string
  contentType?: string
  contentEncoding?: string
  /** Bytes on the wire. */
  bytes: number
  /** Bytes after gzip decoding (equal to `bytes` for plain bodies). */
  decodedBytes: number
  /** Events in the (decoded) batch, when it parsed. */
  events: number
  /** The batch's `site`, when it parsed. */
  site?: string
  /** What the client got: a status, or 'aborted'. */
  outcome: number | 'aborted'
  headers: IncomingHttpHeaders
}

export interface TestCollector {
  /** The URL pages send to (the proxy). */
  endpoint: string
  /** Makes the proxy fail requests (a list runs in order, each for its `times`); `null` heals it. */
  setFault(fault: Fault | Fault[] | null): void
  requests: RawRequest[]
  /** Every stored event, each validated with `eventSchema` (throws on an invalid one). */
  readEvents(): Promise<FrictionEvent[]>
  /** Polls `readEvents` until `predicate` holds; throws with the last read on timeout. */
  waitForEvents(predicate: (events: FrictionEvent[]) => boolean, timeoutMs?: number): Promise<FrictionEvent[]>
  stats(): CollectorStats
  /** The collector's own URL, without the proxy (for direct `fetch` from Node). */
  directUrl: string
  close(): Promise<void>
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

/**
 * Starts the real collector (NDJSON sink in a temp dir) on its own port, behind a
 * fault-injection proxy on another port: both are a different origin from the pages.
 */
export const startCollector = async (options: { allowedOrigins?: string[] | '*' } = {}): Promise<TestCollector> => {
  const dir = mkdtempSync(join(tmpdir(), 'fl-e2e-store-'))
  const collector = createCollector({ sink: createNdjsonSink({ dir }), allowedOrigins: options.allowedOrigins ?? '*' })
  const listening = await collector.listen({ port: 0, host: '127.0.0.1' })
  const requests: RawRequest[] = []
  let faults: Fault[] = []
  let faultsLeft = Infinity

  const takeFault = (method: string): Fault | null => {
    const fault = faults[0]
    if (!fault) return null
    // Status faults answer the POST only: a preflight must pass for a fetch to read the status.
    if (fault.mode === 'status' && method !== 'POST') return null
    if (--faultsLeft <= 0) {
      faults.shift()
      faultsLeft = faults[0]?.times ?? Infinity
    }
    return fault
  }

  const proxy = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('error', () => {})
    res.on('error', () => {})
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      // A page-exit beacon cannot set Content-Encoding: its gzip is marked `?enc=gzip` instead.
      const encoding = req.headers['content-encoding'] ?? (/[?&]enc=gzip(&|$)/.test(req.url ?? '') ? 'gzip' : undefined)
      let decoded = body
      try {
        if (encoding === 'gzip') decoded = gunzipSync(body)
      } catch {
        decoded = body
      }
      let events = 0
      let site: string | undefined
      try {
        const batch = req.method === 'POST' ? JSON.parse(decoded.toString('utf8')) : undefined
        events = batch?.events?.length ?? 0
        site = batch?.site
      } catch {
        events = 0
      }
      const record: RawRequest = {
        at: Date.now(),
        method: req.method ?? '',
        path: req.url ?? '',
        origin: req.headers.origin,
        contentType: req.headers['content-type'],
        contentEncoding: encoding,
        bytes: body.length,
        decodedBytes: decoded.length,
        events,
        site,
        outcome: 'aborted',
        headers: req.headers,
      }
      requests.push(record)
      const active = takeFault(record.method)
      if (active?.mode === 'abort') {
        req.socket.destroy()
        return
      }
      const origin = req.headers.origin
      if (active?.mode === 'status') {
        record.outcome = active.status
        const headers: Record<string, string> = { 'content-type': 'application/json' }
        // CORS headers as the collector sends them, so the page's fetch can read the status.
        if (origin) Object.assign(headers, { 'access-control-allow-origin': origin, vary: 'Origin' })
        if (active.retryAfter !== undefined) headers['retry-after'] = String(active.retryAfter)
        if (active.retryAfter !== undefined && origin) headers['access-control-expose-headers'] = 'Retry-After'
        res.writeHead(active.status, headers).end('{"error":"injected"}')
        return
      }
      const upstream = httpRequest(
        { host: '127.0.0.1', port: listening.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          record.outcome = answer.statusCode ?? 0
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        },
      )
      upstream.on('error', () => res.destroy())
      upstream.end(body)
    })
  })
  await new Promise<void>((done) => proxy.listen(0, '127.0.0.1', done))
  const proxyPort = (proxy.address() as AddressInfo).port

  const readEvents = async (): Promise<FrictionEvent[]> => {
    const events: FrictionEvent[] = []
    for await (const raw of readNdjson(dir)) {
      const parsed = eventSchema.safeParse(raw)
      if (!parsed.success)
        throw new Error(`stored event fails eventSchema: ${JSON.stringify(raw).slice(0, 300)}\n${parsed.error.message}`)
      events.push(parsed.data as FrictionEvent)
    }
    return events
  }

  return {
    endpoint: `http://127.0.0.1:${proxyPort}/e`,
    directUrl: `${listening.url}/e`,
    requests,
    setFault(next) {
      faults = next === null ? [] : Array.isArray(next) ? [...next] : [next]
      faultsLeft = faults[0]?.times ?? Infinity
    },
    readEvents,
    async waitForEvents(predicate, timeoutMs = 15_000) {
      const deadline = Date.now() + timeoutMs
      let events: FrictionEvent[] = []
      for (;;) {
        events = await readEvents()
        if (predicate(events)) return events
        if (Date.now() > deadline) {
          throw new Error(`waitForEvents: condition not met after ${timeoutMs} ms; ${events.length} events stored`)
        }
        await sleep(100)
      }
    },
    stats: () => collector.stats(),
    async close() {
      await new Promise<void>((done) => {
        proxy.close(() => done())
        proxy.closeAllConnections()
      })
      await listening.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
