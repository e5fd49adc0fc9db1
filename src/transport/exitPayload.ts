import { gzipSync } from '../lib/gzipSync'
import { GZIP_MIN_BYTES } from './fetch'

/** The query parameter that tells the collector a beacon body is gzip (sendBeacon cannot set Content-Encoding). */
export const GZIP_QUERY = 'enc=gzip'

/**
 * What a page-exit send carries: the JSON gzipped synchronously (real gzip, magic `1f 8b`)
 * with `?enc=gzip` on the URL, so 30 events of 3 KB fit Chromium's 64 KiB keepalive quota;
 * a small body, or one where compression fails, goes as it is.
 */
export const exitPayload = (
  endpoint: string,
  body: string,
): { url: string; payload: string | Uint8Array<ArrayBuffer> } => {
  if (body.length < GZIP_MIN_BYTES) return { url: endpoint, payload: body }
  try {
    const payload = gzipSync(body)
    return { url: endpoint + (endpoint.includes('?') ? '&' : '?') + GZIP_QUERY, payload }
  } catch {
    return { url: endpoint, payload: body }
  }
}
