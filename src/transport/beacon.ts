/**
 * Queues `body` with `navigator.sendBeacon` as `text/plain` (a CORS-safelisted type, so no
 * preflight), gzip bytes included: the URL says how the body is encoded. Returns false when
 * the browser refused it: the shared 64 KiB keepalive quota is full, or sendBeacon is missing.
 */
export const sendBeacon = (url: string, body: string | Uint8Array<ArrayBuffer>): boolean => {
  try {
    return navigator.sendBeacon(url, new Blob([body], { type: 'text/plain' }))
  } catch {
    // Missing sendBeacon, or a browser that throws instead of returning false for an oversized body.
    return false
  }
}
