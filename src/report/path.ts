/**
 * The path of an event's `url` (`https://shop.example/cart?x=1#top` → `/cart`), without the
 * cost of `new URL()` on every one of a million events. The SDK has already scrubbed the URL;
 * query and fragment are dropped so that `/cart?step=2` and `/cart` are one page.
 *
 * @example
 * pathOf('https://shop.example/pricing?utm_source=x') // '/pricing'
 */
export function pathOf(url: unknown): string {
  if (typeof url !== 'string' || url === '') return '(unknown)'
  const scheme = url.indexOf('://')
  const start = scheme < 0 ? (url.startsWith('/') ? 0 : -1) : url.indexOf('/', scheme + 3)
  if (start < 0) return '/'
  let end = url.length
  const query = url.indexOf('?', start)
  if (query >= 0) end = query
  const hash = url.indexOf('#', start)
  if (hash >= 0 && hash < end) end = hash
  return end > start ? url.slice(start, end) : '/'
}

/** `value` when it is a non-empty string, else `fallback`: stored lines are not re-validated. */
export function str(value: unknown, fallback = '(unknown)'): string {
  return typeof value === 'string' && value !== '' ? value : fallback
}
