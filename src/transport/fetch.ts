import type { SendResult } from './types'

/** Bodies below this are sent plain: gzip's header and the async work do not pay off. */
export const GZIP_MIN_BYTES = 1024
// A server asking for more patience than this is treated as this: the queue keeps events in
// memory and in the outbox meanwhile.
const MAX_RETRY_AFTER_MS = 60_000

const gzip = (body: string): Promise<ArrayBuffer> =>
  new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).arrayBuffer()

/** Whether gzip would be used for a body of this length here. */
export const canGzip = (length: number): boolean => length >= GZIP_MIN_BYTES && typeof CompressionStream === 'function'

/** Parses `Retry-After` (seconds or an HTTP date) into milliseconds, capped. */
export const parseRetryAfter = (value: string | null, now = Date.now()): number | undefined => {
  if (!value) return undefined
  const seconds = Number(value)
  const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(value) - now
  return Number.isFinite(ms) ? Math.min(Math.max(ms, 0), MAX_RETRY_AFTER_MS) : undefined
}

/**
 * POSTs one batch. 2xx is delivered; 408, 429 and 5xx are worth retrying (with the server's
 * Retry-After); any other status will never pass, so it is fatal; a network error is retried.
 */
export const postBatch = async (
  url: string,
  body: string | Uint8Array<ArrayBuffer>,
  options: { keepalive: boolean; useGzip: boolean },
): Promise<SendResult> => {
  const headers: Record<string, string> = { 'Content-Type': 'text/plain' }
  if (options.useGzip) headers['Content-Encoding'] = 'gzip'
  try {
    // Inside the try: a failing CompressionStream is reported like a network error, so the
    // transport falls back to plain bodies instead of failing the same way on every retry.
    const payload = options.useGzip && typeof body === 'string' ? await gzip(body) : body
    const response = await fetch(url, {
      method: 'POST',
      body: payload,
      headers,
      keepalive: options.keepalive,
      credentials: 'omit',
    })
    const status = response.status
    // Read the body to its end: Chromium counts a keepalive request against the page's 64 KiB
    // quota until its response is consumed, so unread responses soon make every fetch fail.
    await response.arrayBuffer().catch(() => undefined)
    if (response.ok) return { ok: true }
    const isRetryable = status === 408 || status === 429 || status >= 500
    return {
      ok: false,
      isFatal: !isRetryable,
      retryAfterMs: parseRetryAfter(response.headers.get('Retry-After')),
    }
  } catch {
    return { ok: false }
  }
}
