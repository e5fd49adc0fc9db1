import type { Plugin } from '../core/types'
import { detectQuickBack, type ViewStamp } from '../lib/quickBack'

/**
 * A return within this time after arriving on a page is a quick back: 10 s is too short to read
 * a page and decide, long enough to see it is not the expected one (Clarity names the signal
 * without publishing its threshold; 10 s is also where bounce analyses put "no engagement").
 */
export const DEFAULT_QUICK_BACK_MS = 10_000
// The tab's last page views (path and start), so a return is seen across full page loads.
// sessionStorage: one history per tab, as the Back button has; it is written only while the
// tracker may persist (storage 'local', consent granted).
const STORAGE_KEY = 'fl:views'
// Hash routers write their routes as `#/cart` or `#!/cart`; other fragments are in-page anchors.
const HASH_ROUTE = /^#!?\//

export interface QuickBackOptions {
  /**
   * Longest time on a page, from its page view to the return, that counts as a quick back.
   * @default 10000
   */
  withinMs?: number
}

const isViewStamp = (value: ViewStamp) => typeof value?.path === 'string' && typeof value.at === 'number'

/**
 * Emits `quick_back` `{ leftPath, durationMs }` when the visitor goes from a page to another
 * page of the site and comes back within 10 s (by Back or by a link), once per return, on the
 * page returned to: the page left is the one that did not deliver. SPA routes and bfcache
 * returns are seen in memory; returns across full page loads need the tab's last two views in
 * sessionStorage, written only while the tracker may persist (storage 'local', consent
 * 'granted'), so a cookieless or unconsented visit sees quick backs within one document only.
 * Pages are compared by pathname, plus the hash route of hash-routed apps (`#/cart`).
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [quickBack({ withinMs: 5000 })] })
 */
export const quickBack = (options: QuickBackOptions = {}): Plugin => ({
  name: 'quickBack',
  setup(ctx) {
    const withinMs = options.withinMs ?? DEFAULT_QUICK_BACK_MS
    let views: ViewStamp[] = []
    // sessionStorage throws when storage is disabled (and in sandboxed iframes), JSON.parse on a
    // value it did not write, setItem over the quota: quick backs across documents are then
    // missed, nothing else.
    const attempt = (fn: () => void) => {
      try {
        fn()
      } catch {
        // see above
      }
    }
    const load = () =>
      attempt(() => {
        const stored: ViewStamp[] = ctx.session().isPersistent && JSON.parse(sessionStorage.getItem(STORAGE_KEY)!)
        if (Array.isArray(stored)) views = stored.filter(isViewStamp).slice(-2)
      })
    const save = () =>
      attempt(() => {
        if (ctx.session().isPersistent) sessionStorage.setItem(STORAGE_KEY, JSON.stringify(views))
        else sessionStorage.removeItem(STORAGE_KEY)
      })
    const onView = () => {
      const hash = HASH_ROUTE.test(location.hash) ? location.hash.split('?')[0] : ''
      load()
      const result = detectQuickBack(views, { path: ctx.scrubUrl(location.pathname + hash), at: Date.now() }, withinMs)
      views = result.views
      save()
      const signal = result.signal
      // Route-change callbacks run before the new view's pageId is set: a microtask later the
      // event belongs to the page returned to, as at a full load.
      if (signal) queueMicrotask(ctx.guard(() => ctx.emit('quick_back', signal)))
    }
    ctx.onRouteChange(onView)
    onView()
    // Granted: what was kept in memory is written; withdrawn: the stored views are removed.
    ctx.onConsent(() => save())
  },
})
