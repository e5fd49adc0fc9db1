import type { FrictionEvent } from '../schema'
import type { DeliveryHealth, SendResult, Transport, WireBatch } from './types'
import { byteLength } from '../lib/byteLength'
import { sendBeacon } from './beacon'
import { exitPayload } from './exitPayload'
import { canGzip, postBatch } from './fetch'

// Chromium refuses keepalive requests past 64 KiB in flight per page, shared with every other
// script, and limits their count; stay under both (Sentry keeps the same accounting).
const KEEPALIVE_MAX_BYTES = 60_000
const KEEPALIVE_MAX_REQUESTS = 9

/**
 * The built-in sender. On a visible page: fetch (gzip when it pays, keepalive while within the
 * budget so a request survives the page closing). At page exit: the body gzipped synchronously
 * (`?enc=gzip`), sendBeacon, a refused batch split in halves, then fetch keepalive; what still
 * does not fit comes back as `unsent`.
 */
export const createTransport = (endpoint: string, health: DeliveryHealth): Transport => {
  let keepaliveBytes = 0
  let keepaliveRequests = 0
  // Beacons draw on the same Chromium keepalive quota as fetch keepalive, and nothing tells
  // when they finish: their bytes count as in flight until the page sends normally again.
  let beaconBytes = 0
  // A collector that does not answer the CORS preflight that Content-Encoding needs shows up
  // as a network error: after one, send plain; if plain fails the same way the collector is
  // simply down, so gzip gets another chance.
  let isGzipBroken = false

  const hasKeepaliveRoom = (bytes: number) =>
    beaconBytes + keepaliveBytes + bytes < KEEPALIVE_MAX_BYTES && keepaliveRequests < KEEPALIVE_MAX_REQUESTS - 1

  const post = async (
    body: string | Uint8Array<ArrayBuffer>,
    useGzip: boolean,
    url = endpoint,
  ): Promise<SendResult> => {
    const bytes = typeof body === 'string' ? byteLength(body) : body.byteLength
    const keepalive = hasKeepaliveRoom(bytes)
    const reserved = keepalive ? 1 : 0
    keepaliveBytes += bytes * reserved
    keepaliveRequests += reserved
    try {
      const result = await postBatch(url, body, { keepalive, useGzip })
      if (!result.ok && result.isFatal === undefined) isGzipBroken = useGzip
      return result
    } finally {
      keepaliveBytes -= bytes * reserved
      keepaliveRequests -= reserved
    }
  }

  // A refused beacon is split in halves once (a smaller body may fit the shared quota); a
  // refused half goes by fetch keepalive. Splitting further would only multiply requests
  // against the same quota (and without sendBeacon at all, every one would be refused).
  const sendAtExit = (batch: WireBatch, events: FrictionEvent[], isHalf = false): FrictionEvent[] => {
    const { url, payload } = exitPayload(endpoint, JSON.stringify({ ...batch, events }))
    const bytes = typeof payload === 'string' ? byteLength(payload) : payload.byteLength
    const hasBeacon = typeof navigator.sendBeacon === 'function'
    if (hasBeacon && sendBeacon(url, payload)) {
      beaconBytes += bytes
      return []
    }
    if (hasBeacon) health.count('beaconRejected')
    if (hasBeacon && !isHalf && events.length > 1) {
      const half = Math.ceil(events.length / 2)
      return sendAtExit(batch, events.slice(0, half), true).concat(sendAtExit(batch, events.slice(half), true))
    }
    if (!hasKeepaliveRoom(bytes)) return events
    void post(payload, false, url)
    return []
  }

  return (batch, { unloading }): SendResult | Promise<SendResult> => {
    if (unloading) {
      const unsent = sendAtExit(batch, batch.events)
      return { ok: !unsent.length, unsent }
    }
    beaconBytes = 0
    const body = JSON.stringify(batch)
    return post(body, !isGzipBroken && canGzip(body.length))
  }
}
