import type { Plugin } from '../core/types'
import { createMilestones } from '../lib/milestones'

/** Percent milestones reported by default: quarters, plus 90 because footers rarely get a full 100. */
export const DEFAULT_SCROLL_MILESTONES = [25, 50, 75, 90, 100]
// After an SPA route change the new view renders later than the history call that announced
// it; measuring at once would see the old (or an empty) page and could report 100 for it.
const ROUTE_SETTLE_MS = 500
// Fractional scroll positions (zoom, high-DPR screens) can stop half a pixel short of the end.
const BOTTOM_SLACK_PX = 1

export interface ScrollDepthOptions {
  /**
   * Percentages of the page height (bottom of the viewport) reported once each per page view.
   * Integers 0–100; others are ignored.
   * @default [25, 50, 75, 90, 100]
   */
  milestones?: number[]
}

/**
 * Emits a `scroll` event `{ depthPct, pageHeight }` the first time the bottom of the viewport
 * passes each milestone on a page view, in order; a page shorter than the viewport reports every
 * milestone at once. Milestones restart on each new page view (SPA route, bfcache restore).
 *
 * The scroll handler only reads `scrollY`/`innerHeight` and compares them with a cached page
 * height; the height is refreshed by a `ResizeObserver` (lazy content, late images) and
 * re-measured before any milestone is reported, so a grown page never reports too early.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [scrollDepth({ milestones: [50, 100] })] })
 */
export const scrollDepth = (options: ScrollDepthOptions = {}): Plugin => ({
  name: 'scrollDepth',
  setup(ctx) {
    const crossed = createMilestones(options.milestones ?? DEFAULT_SCROLL_MILESTONES)
    let height = 0
    let timer: ReturnType<typeof setTimeout> | undefined
    const measure = () => {
      height = Math.max(document.documentElement.scrollHeight, document.body?.scrollHeight ?? 0)
    }
    const bottom = () => scrollY + innerHeight + BOTTOM_SLACK_PX
    const check = () => {
      const next = crossed.next()
      // Hot path: numbers only. A layout read happens only when a milestone seems crossed,
      // at most a few times per page view, to confirm it against the current height.
      if (next === undefined || bottom() * 100 < next * height) return
      measure()
      for (const depthPct of crossed(height ? (bottom() / height) * 100 : 100))
        ctx.emit('scroll', { depthPct, pageHeight: height })
    }
    const observer = typeof ResizeObserver === 'function' ? new ResizeObserver(measure) : undefined
    observer?.observe(document.documentElement)
    ctx.listen(window, 'scroll', check)
    ctx.onRouteChange(() => {
      crossed.reset()
      clearTimeout(timer)
      timer = setTimeout(check, ROUTE_SETTLE_MS)
    })
    // The page may load already scrolled (restoration, anchors) or shorter than the viewport.
    // Before `load` the document may be partly parsed and look short, so wait for it.
    if (document.readyState === 'complete') check()
    else ctx.listen(window, 'load', check)
    return () => {
      observer?.disconnect()
      clearTimeout(timer)
    }
  },
})
