import type { IncomingMessage, ServerResponse } from 'node:http'

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
   * Asked first for every request (e.g. the dashboard's `handle`); when it returns undefined
   * the collector answers.
   */
  routes?: (request: Request) => Promise<Response | undefined> | Response | undefined
}

/** A listening server. */
export interface Listening {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string
  /** The bound port (useful with `port: 0`). */
  port: number
  /** Stops accepting connections and closes the open ones. */
  close(): Promise<void>
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
/** Body chunks buffered ahead of the handler before the socket is paused (backpressure). */
const BODY_HIGH_WATER_CHUNKS = 4

/**
 * Serves a web-standard handler with Node's `http` module: converts each `IncomingMessage` to
 * a `Request` whose body is streamed with backpressure (never buffered here), and writes the
 * `Response` back. `node:http` is imported lazily so the collector entry still loads in edge
 * runtimes that only ever call `handle`.
 */
export async function listen(
  handle: (request: Request) => Promise<Response>,
  options: ListenOptions = {},
): Promise<Listening> {
  const { createServer } = await import('node:http')
  const requestTimeout = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const host = options.host ?? DEFAULT_HOST
  const { routes } = options
  const routed = routes ? async (request: Request) => (await routes(request)) ?? handle(request) : handle
  const server = createServer(
    {
      requestTimeout,
      headersTimeout: requestTimeout,
      maxHeaderSize: MAX_HEADER_BYTES,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
    },
    (req, res) => void respond(routed, req, res, baseUrl),
  )
  server.maxHeadersCount = MAX_HEADERS_COUNT
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
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      }),
  }
}

async function respond(
  handle: (request: Request) => Promise<Response>,
  req: IncomingMessage,
  res: ServerResponse,
  baseUrl: string,
): Promise<void> {
  // A client that hung up makes writes fail; nothing to tell it, and nothing may crash.
  res.on('error', () => {})
  let request: Request
  try {
    request = toRequest(req, baseUrl)
  } catch {
    // fetch's Request refuses methods like TRACE: never ours to serve.
    res.writeHead(405, { allow: 'POST, OPTIONS', connection: 'close' })
    res.end()
    return
  }
  try {
    const response = await handle(request)
    const body = Buffer.from(await response.arrayBuffer())
    // Refused before the body was read (413, 415…): close rather than drain an unknown rest.
    if (!req.complete) res.setHeader('connection', 'close')
    res.writeHead(response.status, Object.fromEntries(response.headers))
    res.end(body)
  } catch {
    if (!res.headersSent) res.writeHead(500, { connection: 'close' })
    res.end()
  }
}

function toRequest(req: IncomingMessage, baseUrl: string): Request {
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
  const init = { method, headers, body: hasBody ? bodyStream(req) : null, duplex: 'half' } as RequestInit
  return new Request(url, init)
}

/**
 * The request body as a web stream that pauses the socket when the handler falls behind, and
 * errors if the client disconnects before the end (a cut-off body). Cancelling (the handler
 * hit its byte limit) discards the rest instead of destroying the socket, so the 413 still
 * reaches the client; the request timeout bounds how long that can last.
 */
function bodyStream(req: IncomingMessage): ReadableStream<Uint8Array> {
  let isSettled = false
  const onData = (controller: ReadableStreamDefaultController<Uint8Array>) => (chunk: Buffer) => {
    if (isSettled) return
    controller.enqueue(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.byteLength))
    if ((controller.desiredSize ?? 0) <= 0) req.pause()
  }
  let listener: ((chunk: Buffer) => void) | undefined
  return new ReadableStream<Uint8Array>(
    {
      start(controller) {
        listener = onData(controller)
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
      },
      pull() {
        req.resume()
      },
      cancel() {
        isSettled = true
        if (listener) req.off('data', listener)
        req.resume()
      },
    },
    { highWaterMark: BODY_HIGH_WATER_CHUNKS },
  )
}
