import type { Plugin } from '../core/types'
import { createScrollReversalDetector, type ScrollReversalOptions } from '../lib/scrollReversals'

export { DEFAULT_SCROLL_LEG_PX, DEFAULT_SCROLL_REVERSALS, DEFAULT_SCROLL_WINDOW_MS } from '../lib/scrollReversals'

/** Options of `excessiveScroll()`: the detector's thresholds (see the README for their reasons). */
export type ExcessiveScrollOptions = ScrollReversalOptions

/**
 * Emits `excessive_scroll` `{ reversals, windowMs, distancePx }` once per page view when the
 * visitor scrolls back and forth: 4 changes of direction between legs of at least 400 px
 * within 15 s by default (Clarity's "excessive scrolling": searching for something the page
 * does not show where expected). Starts over on each new page view.
 *
 * The scroll handler reads `scrollY` (no layout read) and the event's own `timeStamp`, and does
 * a few comparisons; after the signal it returns at once until the next page view.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [excessiveScroll({ reversals: 6 })] })
 */
export const excessiveScroll = (options: ExcessiveScrollOptions = {}): Plugin => ({
  name: 'excessiveScroll',
  setup(ctx) {
    const detect = createScrollReversalDetector(options)
    let isReported = false
    ctx.listen(window, 'scroll', (event: Event) => {
      if (isReported) return
      const signal = detect(scrollY, event.timeStamp)
      if (!signal) return
      isReported = true
      ctx.emit('excessive_scroll', signal)
    })
    ctx.onRouteChange(() => {
      detect.reset()
      isReported = false
    })
  },
})
