/** How long the check waits for the page: the heatmap falls back to the grid after this. */
const REACH_TIMEOUT_MS = 1500
/** Answers are remembered this long, so redrawing a heatmap does not ask again. */
const REACH_CACHE_MS = 60_000
const MAX_CACHED = 500

const cache = new Map<string, { isReachable: boolean; at: number }>()

/**
 * Whether the page a heatmap is drawn over answers (any status below 400, redirects included),
 * so the client shows it in a frame rather than the browser's error page. The URL comes from
 * events, so: http(s) only, no credentials sent, redirects not followed, the body never read,
 * and only a yes/no reaches the client. Only a signed-in dashboard user can trigger it.
 */
export async function isPageReachable(url: string | null): Promise<boolean> {
  if (!url || !/^https?:\/\//i.test(url)) return false
  const key = url.split('#')[0]
  const known = cache.get(key)
  if (known && Date.now() - known.at < REACH_CACHE_MS) return known.isReachable
  let isReachable = false
  try {
    const response = await fetch(key, {
      method: 'GET',
      redirect: 'manual',
      credentials: 'omit',
      signal: AbortSignal.timeout(REACH_TIMEOUT_MS),
    })
    isReachable = response.status < 400
    await response.body?.cancel().catch(() => {})
  } catch {
    isReachable = false
  }
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(key, { isReachable, at: Date.now() })
  return isReachable
}
