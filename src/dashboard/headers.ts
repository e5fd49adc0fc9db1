/**
 * The dashboard's Content-Security-Policy. Everything it renders comes from events, which
 * anyone who can reach the ingest endpoint writes, so the policy assumes an injection will
 * one day slip through and makes it inert:
 * - scripts only from the dashboard's own files (no inline script, no eval);
 * - data only from its own routes (`connect-src 'self'`), so nothing can be sent elsewhere;
 * - images only from itself, data: and blob: — a replayed page cannot load tracking pixels;
 * - frames: the heatmap shows the site's own page (http/https, sandboxed without scripts);
 *   the replay frame is about:blank and inherits this policy;
 * - inline styles are allowed: rrweb rebuilds the recorded page's `<style>` elements and
 *   style attributes inside its frame, which a hash or nonce cannot cover. Styles cannot run
 *   code, and with connect/img limited to self they cannot send anything out.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  'frame-src http: https:',
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ')

/** Headers of every dashboard response. */
export const securityHeaders = (contentType: string): Record<string, string> => ({
  'content-type': contentType,
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
  'cache-control': 'no-store',
})
