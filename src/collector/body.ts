import { readStream } from '../lib/readStream'

/** The outcome of reading a request body: its text, or the status and reason to refuse it. */
export type BodyResult =
  | { ok: true; text: string }
  | { ok: false; status: 400 | 413 | 415; reason: string }

/** Content-Encoding values we can decode; anything else is refused before reading. */
const GZIP_ENCODINGS = new Set(['gzip', 'x-gzip'])
const IDENTITY_ENCODINGS = new Set(['', 'identity'])

/**
 * Reads a request body as UTF-8 text, never holding more than `maxBytes`: the limit applies to
 * the bytes on the wire and, for `Content-Encoding: gzip`, again to the decompressed bytes, so
 * a gzip bomb is stopped after `maxBytes` of output instead of filling memory.
 *
 * Never throws: a broken stream, bad gzip or invalid UTF-8 comes back as a 400 result.
 */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const encoding = (request.headers.get('content-encoding') ?? '').trim().toLowerCase()
  // sendBeacon cannot set Content-Encoding: the SDK marks its gzip beacons with `?enc=gzip`.
  const isGzip = GZIP_ENCODINGS.has(encoding) || /[?&]enc=gzip(&|$)/.test(request.url)
  if (!isGzip && !IDENTITY_ENCODINGS.has(encoding)) return fail(415, 'unsupported-encoding')

  // Refuse an announced oversize body without reading a byte of it.
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > maxBytes) return fail(413, 'body-too-large')
  if (!request.body) return { ok: true, text: '' }

  let isTooLarge = false
  const limit = () => {
    let seen = 0
    return new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        seen += chunk.byteLength
        if (seen > maxBytes) {
          isTooLarge = true
          controller.error(new Error('body-too-large'))
        } else controller.enqueue(chunk)
      },
    })
  }

  let stream = request.body.pipeThrough(limit())
  if (isGzip) stream = stream.pipeThrough(new DecompressionStream('gzip') as ReadableWritablePair<Uint8Array, Uint8Array>).pipeThrough(limit())

  let bytes: Uint8Array
  try {
    bytes = await readStream(stream)
  } catch {
    if (isTooLarge) return fail(413, 'body-too-large')
    return fail(400, isGzip ? 'bad-gzip' : 'body-read-failed')
  }
  try {
    // `fatal` so mojibake is refused rather than silently stored as U+FFFD.
    return { ok: true, text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) }
  } catch {
    return fail(400, 'invalid-utf8')
  }
}

function fail(status: 400 | 413 | 415, reason: string): BodyResult {
  return { ok: false, status, reason }
}
