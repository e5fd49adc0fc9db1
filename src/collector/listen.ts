import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Handlers, IngestReply } from './handle'
import { nodeRequest } from './nodeRequest'

/** Options of `collector.listen()`. */
export interface ListenOptions {
  /** @default 8787; 0 picks a free port. */
  port?: number
  /** @default '127.0.0.1' (not reachable from other machines; use '0.0.0.0' to expose it) */
  host?: string
  /**
   * Time a client has to send its whole request; slower ones get 408 and are disconnected.
   * @default 10_000
   */
  requestTimeoutMs?: number
  /**
   * Most open connections; past it Node closes new sockets at once (each idle keep-alive
   * socket costs memory, and a flood of them must not exhaust file descriptors).
   * @default 1024
   */
  maxConnections?: number
  /**
   * Extra request handlers (a dashboard, a health check), tried in order before the collector:
   * the first to return a `Response` answers, `undefined` passes the request on. A streamed
   * `Response` body (server-sent events) is written as it comes, not buffered.
   * @example
   * const health = (request: Request) => (new URL(request.url).pathname === '/health' ? new Response('ok') : undefined)
   * await collector.listen({ handlers: [health] })
   */
  handlers?: ListenHandler[]
}

/** An extra handler of `listen()`: a `Response` to answer, or `undefined` to pass the request on. */
export type ListenHandler = (request: Request) => Response | undefined | Promise<Response | undefined>

/** Options of `Listening.close()`. */
export interface CloseOptions {
  /**
   * How long requests already being answered (writes to the sink in flight) may take to finish
   * before their connections are cut.
   * @default 10_000
   */
  graceMs?: number
}

/** A listening server. */
export interface Listening {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string
  /** The bound port (useful with `port: 0`). */
  port: number
  /**
   * Stops accepting connections, closes idle ones and those still sending a body, lets the
   * requests already received finish (their sink writes, within `graceMs`), then closes what is
   * left. Resolves when the server is closed.
   */
  close(options?: CloseOptions): Promise<void>
}

/** Port of `listen()` and `frictionlog collect` when none is given. */
export const DEFAULT_PORT = 8787
/** Loopback by default: exposing the collector to the network is a deliberate choice. */
export const DEFAULT_HOST = '127.0.0.1'
/** A body that never ends must not hold a socket forever (slowloris). */
export const REQUEST_TIMEOUT_MS = 10_000
/** Node's own default of 16 KiB, pinned here so a Node upgrade cannot loosen it. */
const MAX_HEADER_BYTES = 16 * 1024
/** A browser beacon has about 15 headers. */
const MAX_HEADERS_COUNT = 100
/** How often Node checks request timeouts; its default of 30 s would stretch a 10 s limit to 40. */
const TIMEOUT_CHECK_INTERVAL_MS = 1000
/** Default of `maxConnections`. */
export const DEFAULT_MAX_CONNECTIONS = 1024
/** An idle keep-alive socket is closed after this long (browsers reuse theirs within seconds). */
const KEEP_ALIVE_TIMEOUT_MS = 5000
/** Default of `close({ graceMs })`. */
const DEFAULT_GRACE_MS = 10_000

/**
 * Serves the collector with Node's `http` module. Ingest requests go to `ingest` as they are
 * (nodeRequest.ts: no fetch `Request`, `Headers` or web streams per batch) and its small JSON
 * answer is written at once. Extra `handlers` get a `Request` whose body is streamed with
 * backpressure and only read if they read it, and their `Response` is streamed back; a request
 * they pass on whose body they left alone still takes the direct path. `node:http` is imported
 * lazily so the collector entry still loads in edge runtimes that only ever call `handle`.
 */
export async function listen(collector: Handlers, options: ListenOptions = {}): Promise<Listening> {
  const { createServer } = await import('node:http')
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const host = options.host ?? DEFAULT_HOST
  const handlers = options.handlers ?? []
  // Requests being answered, with their request, so close() can tell received ones from partial.
  const inFlight = new Map<Promise<void>, IncomingMessage>()
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: Math.min(requestTimeout, REQUEST_TIMEOUT_MS),
      keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => {
      const done = respond(collector, handlers, req, res, baseUrl)
      inFlight.set(done, req)
      void done.finally(() => inFlight.delete(done))
    },
  )
  server.maxHeadersCount = MAX_HEADERS_COUNT
  server.maxConnections = options.maxConnections ?? DEFAULT_MAX_CONNECTIONS
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : (options.port ?? DEFAULT_PORT)
  const baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`
  return {
    url: baseUrl,
    port,
    async close(closeOptions = {}) {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      const graceMs = closeOptions.graceMs ?? DEFAULT_GRACE_MS
      let timer: ReturnType<typeof setTimeout> | undefined
      // A request still sending its body is cut (its client retries); a received one is finished.
      for (const req of inFlight.values()) if (!req.complete) req.socket.destroy()
      await Promise.race([
        Promise.allSettled([...inFlight.keys()]),
        new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs))),
      ])
      clearTimeout(timer)
      server.closeAllConnections()
      await closed
    },
  }
}

async function respond(
  collector: Handlers,
  handlers: ListenHandler[],
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
): Promise<void> {
  // A client that hung up makes writes fail; nothing to tell it, and nothing may crash.
  res.on('error', () => {})
  if (!isServable(req.method)) {
    // fetch's Request refuses methods like TRACE: never ours to serve.
    res.writeHead(405, { allow: 'POST, OPTIONS', connection: 'close' })
    res.end()
    return
  }
  try {
    let answer: IngestReply
    if (handlers.length === 0) answer = await collector.ingest(nodeRequest(req, baseUrl))
    else {
      let request: Request
      const body = { isClaimed: false }
      try {
        request = toRequest(req, baseUrl, body)
      } catch {
        // A method fetch's Request refuses after all: never ours to serve.
        res.writeHead(405, { allow: 'POST, OPTIONS', connection: 'close' })
        res.end()
        return
      }
      let response: Response | undefined
      for (const handler of handlers) {
        response = await handler(request)
        if (response) break
      }
      if (response) return await writeResponse(response, req, res)
      // The body is still unread by any handler: the collector reads it from the socket itself.
      if (!body.isClaimed) answer = await collector.ingest(nodeRequest(req, baseUrl))
      else return await writeResponse(await collector.handle(request), req, res)
    }
    // Refused before the body was read (413, 415, 503…): close rather than drain an unknown rest.
    if (!req.complete) res.setHeader('connection', 'close')
    res.writeHead(answer.status, answer.headers)
    res.end(answer.body ?? undefined)
  } catch {
    if (!res.headersSent) res.writeHead(500, { connection: 'close' })
    res.end()
  }
}

/** Methods a fetch `Request` can carry (CONNECT, TRACE and TRACK it refuses): the others get 405, as before. */
function isServable(method: string | undefined): boolean {
  const upper = (method ?? 'GET').toUpperCase()
  return upper !== 'CONNECT' && upper !== 'TRACE' && upper !== 'TRACK'
}

/**
 * Writes a handler's `Response`, its body streamed as it comes (a long-lived body such as
 * server-sent events is not buffered).
 */
async function writeResponse(response: Response, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (!req.complete) res.setHeader('connection', 'close')
  res.writeHead(response.status, Object.fromEntries(response.headers))
  if (!response.body) {
    res.end()
    return
  }
  const reader = response.body.getReader()
  res.once('close', () => void reader.cancel().catch(() => {}))
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    // The client is gone: 'close' has already fired, so waiting for it would never end.
    if (res.destroyed) break
    if (!res.write(value))
      await new Promise<void>((resolve) => {
        res.once('drain', resolve)
        res.once('close', resolve)
      })
  }
  if (res.destroyed) void reader.cancel().catch(() => {})
  res.end()
}

function toRequest(req: IncomingMessage, baseUrl: string, body: { isClaimed: boolean }): Request {
  let url: URL
  try {
    url = new URL(req.url ?? '/', baseUrl)
  } catch {
    url = new URL(baseUrl)
  }
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    try {
      headers.append(req.rawHeaders[i], req.rawHeaders[i + 1])
    } catch {
      // A header Node accepted but fetch's Headers refuses: the handler does not need it.
    }
  }
  const method = req.method ?? 'GET'
  const hasBody = method !== 'GET' && method !== 'HEAD'
  // `duplex` is required by Node's fetch for a streamed body and missing from the DOM types.
  const init = { method, headers, body: hasBody ? bodyStream(req, body) : null, duplex: 'half' } as RequestInit
  return new Request(url, init)
}

/**
 * The request body as a web stream that starts reading the socket only when first read (until
 * then, `body.isClaimed` stays false and the collector may read the socket itself), pauses it
 * after each chunk until the next read (backpressure), and errors if the client disconnects
 * before the end (a cut-off body). Cancelling (the handler hit its byte limit) discards the rest
 * instead of destroying the socket, so the 413 still reaches the client; the request timeout
 * bounds how long that can last.
 */
function bodyStream(req: IncomingMessage, body: { isClaimed: boolean }): ReadableStream<Uint8Array> {
  let isSettled = false
  let listener: ((chunk: Buffer) => void) | undefined
  const claim = (controller: ReadableStreamDefaultController<Uint8Array>) => {
    body.isClaimed = true
    listener = (chunk: Buffer) => {
      if (isSettled) return
      controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
      if ((controller.desiredSize ?? 0) <= 0) req.pause()
    }
    req.on('data', listener)
    req.once('end', () => {
      if (isSettled) return
      isSettled = true
      controller.close()
    })
    req.once('close', () => {
      if (isSettled) return
      isSettled = true
      controller.error(new Error('request body cut off'))
    })
    req.on('error', () => {})
  }
  return new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (!body.isClaimed) claim(controller)
        req.resume()
      },
      cancel() {
        isSettled = true
        if (listener) req.off('data', listener)
        req.resume()
      },
    },
    // No chunk is asked for before the first read, so a handler that passes leaves the socket unread.
    { highWaterMark: 0 },
  )
}
