import type { EventFields } from '../schema'
import { patchHistory } from '../lib/patchHistory'
import type { UrlScrubber } from '../lib/scrubUrl'
import { trimText } from '../lib/text'
import { MAX_TITLE_LENGTH } from '../schema/events/limits'
import type { Navigation } from './types'

// Activity gaps longer than this are not engaged time: the visitor left the keyboard.
const IDLE_AFTER_MS = 30_000

export interface PageViewHost {
  listen(target: EventTarget, type: string, handler: (event: any) => void, capture?: boolean): void
  /** A new page view began: core makes a new pageId, tells plugins, emits `page`. */
  onView(navigation: Navigation, fields: EventFields<'page'>): void
  onLeave(fields: EventFields<'page_leave'>): void
  now(): number
  scrubUrl: UrlScrubber
  debug(code: string, detail?: unknown): void
  /** The `hashRouting` option: a change of the hash alone is a new page view. */
  hashRouting?: boolean
}

/** How the document was loaded, from the Navigation Timing entry. */
const initialNavigation = (): Navigation => {
  const entry = performance.getEntriesByType?.('navigation')[0] as PerformanceNavigationTiming | undefined
  if (entry?.type === 'reload') return 'reload'
  if (entry?.type === 'back_forward') return 'back_forward'
  return 'load'
}

/**
 * The `page.path` of the current URL: the pathname only, so per-page figures are not split by
 * query strings (utm tags, ids; the query stays in the event's scrubbed `url`). With
 * `hashRouting` the hash route is part of the path (`/#/cart`), without a query inside the hash.
 */
export const pagePath = (hashRouting?: boolean): string =>
  location.pathname + (hashRouting ? location.hash.split('?')[0] : '')

/**
 * Page views and page leaves: one view at load, one per distinct URL after pushState,
 * replaceState, popstate or hashchange, one on a back-forward-cache restore; a `page_leave`
 * with engaged time and max scroll ends each. A URL that differs only in its hash is the same
 * view (an in-page `#signup` link is not a new page), unless `hashRouting` is on (hash-routed
 * SPAs, `/#/cart`). Returns `leave` (for pagehide) and a teardown.
 */
export const trackPageViews = (host: PageViewHost) => {
  // The URL that identifies the current view: the href, without its hash unless hash-routed.
  const viewKey = () => (host.hashRouting ? location.href : location.href.split('#')[0])
  let url = ''
  let startedAt = 0
  let engagedMs = 0
  let lastActiveAt = 0
  let maxBottomPx = 0
  let hasLeft = false

  const pageFields = (navigation: Navigation): EventFields<'page'> => ({
    path: host.scrubUrl(pagePath(host.hashRouting)),
    title: trimText(document.title, MAX_TITLE_LENGTH),
    navigation,
  })
  const begin = (navigation: Navigation) => {
    url = viewKey()
    startedAt = lastActiveAt = host.now()
    engagedMs = 0
    hasLeft = false
    // The viewport's bottom is added at the end (leave): reading innerHeight here would pull
    // the page's first layout into the tracker's start-up task.
    maxBottomPx = 0
    host.onView(navigation, pageFields(navigation))
  }
  // Hot path (scroll, pointer, keys): a subtraction, a comparison, no layout reads.
  const active = () => {
    const now = host.now()
    if (document.visibilityState === 'visible') engagedMs += Math.min(now - lastActiveAt, IDLE_AFTER_MS)
    lastActiveAt = now
  }
  const leave = () => {
    if (hasLeft) return
    hasLeft = true
    active()
    // The one layout read, once per page view, at its end.
    const height = document.documentElement.scrollHeight || 1
    const bottom = Math.max(maxBottomPx, window.innerHeight)
    host.onLeave({
      engagedMs: Math.round(engagedMs),
      maxScrollPct: Math.min(100, Math.round((bottom / height) * 100)),
      durationMs: Math.max(0, Math.round(host.now() - startedAt)),
    })
  }
  /** A new view when the URL changed; `isManual` (tracker.page()) reports a same-URL call. */
  const checkUrl = (isManual?: unknown) => {
    if (viewKey() === url) {
      if (isManual === true) host.debug('duplicate-page-view', url)
      return
    }
    leave()
    begin('spa')
  }

  host.listen(window, 'scroll', () => {
    const bottom = window.scrollY + window.innerHeight
    if (bottom > maxBottomPx) maxBottomPx = bottom
    active()
  })
  // Capture phase: a page that stops an event's propagation does not hide the activity, and the
  // errors plugin's pointerdown shares the native listener.
  for (const type of ['pointerdown', 'keydown', 'mousemove', 'touchstart']) host.listen(window, type, active, true)
  host.listen(document, 'visibilitychange', () => {
    // Hidden time is not engaged: close the running gap on hide, restart it on show.
    if (document.visibilityState === 'hidden') active()
    else lastActiveAt = host.now()
  })
  host.listen(window, 'popstate', checkUrl)
  host.listen(window, 'hashchange', checkUrl)
  host.listen(window, 'pageshow', (event: PageTransitionEvent) => {
    if (event.persisted) begin('bfcache')
  })
  const restoreHistory = patchHistory(checkUrl)
  begin(initialNavigation())
  return { leave, check: checkUrl, stop: restoreHistory }
}
