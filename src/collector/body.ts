import type * as NodeZlib from 'node:zlib'
import { readStream } from '../lib/readStream'

/** The outcome of reading a request body: its text, or the status and reason to refuse it. */
export type BodyResult = { ok: true; text: string } | { ok: false; status: 400 | 413 | 415 | 503; reason: string }

/**
 * Bytes of request bodies held in memory by all requests at once. Every chunk is taken from it
 * as it arrives (and every inflated chunk again), and the handler gives it all back when it has
 * answered, so the collector never holds more than `capacity` bytes of bodies however many
 * clients send at once.
 */
export interface ByteBudget {
  /** Takes `bytes` if they fit, and says whether they did. */
  take(bytes: number): boolean
  /** Gives `bytes` back. */
  give(bytes: number): void
  /** Bytes taken now. */
  readonly used: number
}

/** Creates a {@link ByteBudget} of `capacity` bytes. */
export function createByteBudget(capacity: number): ByteBudget {
  let used = 0
  return {
    take(bytes) {
      if (used + bytes > capacity) return false
      used += bytes
      return true
    },
    give(bytes) {
      used = Math.max(0, used - bytes)
    },
    get used() {
      return used
    },
  }
}

/** Content-Encoding values we can decode; anything else is refused before reading. */
const GZIP_ENCODINGS = new Set(['gzip', 'x-gzip'])
const IDENTITY_ENCODINGS = new Set(['', 'identity'])

/** A budget that never refuses, for callers that do not share one. */
const UNBOUNDED: ByteBudget = { take: () => true, give: () => {}, used: 0 }

class BodyError extends Error {
  constructor(
    readonly status: 400 | 413 | 503,
    readonly reason: string,
  ) {
    super(reason)
  }
}

/** Stops a body read: throws when `bytes` more (`seen` in all) do not fit the limit or the budget. */
export type TakeBytes = (bytes: number, seen: number) => void

/** What the body reader needs of a request: its headers, its URL and a way to read its bytes. */
export interface BodySource {
  /** A header's value by lower-case name, several joined by ", " (as `Headers.get`), or null. */
  header(name: string): string | null
  url: string
  /**
   * Reads the whole body, calling `take` before keeping each chunk; when `take` throws, the read
   * stops (the rest is discarded, not buffered) and the promise rejects with that error. Null
   * when the request has no body.
   */
  read: ((take: TakeBytes) => Promise<Uint8Array>) | null
}

/** A fetch `Request` as a {@link BodySource}. */
export function requestSource(request: Request): BodySource & { method: string } {
  const body = request.body
  return {
    method: request.method,
    header: (name) => request.headers.get(name),
    url: request.url,
    read: body ? (take) => readStream(body, take) : null,
  }
}

/**
 * Reads a request body as UTF-8 text, never holding more than `maxBytes`: the limit applies to
 * the bytes on the wire and, for gzip, again to the decompressed bytes, so a gzip bomb is
 * stopped after `maxBytes` of output instead of filling memory. Every byte held is also taken
 * from `budget` (503 `over-capacity` when it is spent); `held()` says how much to give back.
 *
 * Gzip is announced by `Content-Encoding: gzip`, or, for `sendBeacon` (which cannot set that
 * header), by `enc=gzip` in the URL or by the body starting with gzip's magic bytes `1f 8b`
 * (no JSON text starts with them). It is inflated in one synchronous `zlib` call where Node's
 * zlib is there (bounded by `maxOutputLength`; far cheaper for beacon-sized bodies than three
 * web streams), else through `DecompressionStream`.
 *
 * Never throws: a broken stream, bad gzip or invalid UTF-8 comes back as a 400 result.
 */
export async function readBody(
  request: BodySource,
  maxBytes: number,
  budget: ByteBudget = UNBOUNDED,
  held: { bytes: number } = { bytes: 0 },
): Promise<BodyResult> {
  const encoding = (request.header('content-encoding') ?? '').trim().toLowerCase()
  const isDeclaredGzip = GZIP_ENCODINGS.has(encoding)
  if (!isDeclaredGzip && !IDENTITY_ENCODINGS.has(encoding)) return fail(415, 'unsupported-encoding')

  // Refuse an announced oversize body without reading a byte of it.
  const declared = Number(request.header('content-length') ?? 0)
  if (declared > maxBytes) return fail(413, 'body-too-large')
  if (!request.read) return { ok: true, text: '' }

  const take = (bytes: number, seen: number) => {
    if (seen > maxBytes) throw new BodyError(413, 'body-too-large')
    if (!budget.take(bytes)) throw new BodyError(503, 'over-capacity')
    held.bytes += bytes
  }

  let bytes: Uint8Array
  try {
    bytes = await request.read(take)
  } catch (error) {
    return failWith(error instanceof BodyError ? error : new BodyError(400, 'body-read-failed'))
  }
  const isGzip = isDeclaredGzip || (encoding === '' && (hasGzipMagic(bytes) || isGzipUrl(request.url)))
  if (isGzip) {
    try {
      // Node's zlib, once loaded, inflates in one call with no promise to await.
      bytes = zlib ? inflateWith(zlib, bytes, maxBytes, take) : await inflate(bytes, maxBytes, take)
    } catch (error) {
      return failWith(error)
    }
  }
  try {
    // `fatal` so mojibake is refused rather than silently stored as U+FFFD.
    return { ok: true, text: UTF8.decode(bytes) }
  } catch {
    return fail(400, 'invalid-utf8')
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

/** Node's zlib when the runtime has it (loaded once), else null: edge runtimes use DecompressionStream. */
let loadingZlib: Promise<typeof NodeZlib | null> | undefined
/** The same once loaded, so later bodies skip the await. */
let zlib: typeof NodeZlib | undefined
const loadZlib = () =>
  (loadingZlib ??= import('node:zlib').then(
    (module) => (zlib = module),
    () => null,
  ))

async function inflate(bytes: Uint8Array, maxBytes: number, take: TakeBytes): Promise<Uint8Array> {
  const node = await loadZlib()
  if (node) return inflateWith(node, bytes, maxBytes, take)
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>)
  return collect(stream, take, 400, 'bad-gzip')
}

/** Gunzips in one synchronous call, bounded by `maxOutputLength`. */
function inflateWith(node: typeof NodeZlib, bytes: Uint8Array, maxBytes: number, take: TakeBytes): Uint8Array {
  let inflated: Uint8Array
  try {
    inflated = node.gunzipSync(bytes, { maxOutputLength: maxBytes })
  } catch (error) {
    throw (error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE'
      ? new BodyError(413, 'body-too-large')
      : new BodyError(400, 'bad-gzip')
  }
  take(inflated.byteLength, inflated.byteLength)
  return inflated
}

/** Reads a stream whole through the byte budget `take`; a read error becomes `status`/`reason`. */
async function collect(
  stream: ReadableStream<Uint8Array>,
  take: (bytes: number, seen: number) => void,
  status: 400,
  reason: string,
): Promise<Uint8Array> {
  try {
    return await readStream(stream, take)
  } catch (error) {
    throw error instanceof BodyError ? error : new BodyError(status, reason)
  }
}

function hasGzipMagic(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b
}

function isGzipUrl(url: string): boolean {
  const query = url.indexOf('?')
  return query >= 0 && new URLSearchParams(url.slice(query + 1)).get('enc') === 'gzip'
}

function failWith(error: unknown): BodyResult {
  if (error instanceof BodyError) return fail(error.status, error.reason)
  return fail(400, 'body-read-failed')
}

function fail(status: 400 | 413 | 415 | 503, reason: string): BodyResult {
  return { ok: false, status, reason }
}
