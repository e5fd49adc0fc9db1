import type { Plugin } from '../core/types'
import { MAX_FIELD_NAME_LENGTH } from '../lib/fieldName'
import { trimText } from '../lib/text'

/** Options of `sections()`. */
export interface SectionsOptions {
  /**
   * Which elements are sections; each is named by its `data-fl-section` value or its id.
   * @default '[data-fl-section]'
   */
  selector?: string
  /**
   * Visible share (0–1) from which a section counts as on screen. A section taller than the
   * viewport also counts once it fills that share of the viewport.
   * @default 0.5
   */
  threshold?: number
  /**
   * Time a section must stay on screen (page visible) to count as seen.
   * @default 1000
   */
  minVisibleMs?: number
}

/** The default `selector`: the marketers' attribute. */
export const DEFAULT_SECTION_SELECTOR = '[data-fl-section]'
/** The default `threshold`: half the section (or half the viewport) on screen. */
export const DEFAULT_SECTION_THRESHOLD = 0.5
/** The default `minVisibleMs`: one second on screen, the usual "viewable" bar (MRC: 50 % for 1 s). */
export const DEFAULT_MIN_VISIBLE_MS = 1000
/** Delay before looking for sections added to the DOM: one query per burst of mutations. */
export const RESCAN_DELAY_MS = 500

interface SectionState {
  isOnScreen?: boolean
  /** Start of the running visible span, 0 when none runs. */
  since: number
  visibleMs: number
  /** When the accumulated time first reached minVisibleMs. */
  seenAt?: number
  isSent?: boolean
}

/**
 * Attention per section: a `section` event `{ section, visibleMs, order }` for every section
 * seen in the page view (on screen at `threshold` for `minVisibleMs` while the page was
 * visible), `order` being 1 for the first section seen. Sent when the page is hidden or the
 * route changes, at most once per section per page view: time a section gathers after its
 * event was sent (a visitor coming back to the tab) is not reported, while sections first seen
 * after that are sent at the next exit. One IntersectionObserver; sections added later are
 * picked up by a MutationObserver that re-queries at most every RESCAN_DELAY_MS.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [sections({ minVisibleMs: 2000 })] })
 * // <section data-fl-section="pricing">…</section>
 */
export const sections = (options: SectionsOptions = {}): Plugin => ({
  name: 'sections',
  setup(ctx) {
    if (typeof IntersectionObserver !== 'function') return ctx.debug('sections-unsupported')
    const selector = options.selector ?? DEFAULT_SECTION_SELECTOR
    const threshold = options.threshold ?? DEFAULT_SECTION_THRESHOLD
    const minVisibleMs = options.minVisibleMs ?? DEFAULT_MIN_VISIBLE_MS
    // Keyed by name, not element: a section re-rendered by a framework keeps its time.
    const states = new Map<string, SectionState>()
    let order = 0
    let rescanTimer: ReturnType<typeof setTimeout> | undefined

    const stop = (state: SectionState, now: number) => {
      if (!state.since) return
      state.visibleMs += now - state.since
      state.since = 0
      // The moment minVisibleMs was reached inside this span: the order is by that moment.
      if (state.seenAt === undefined && state.visibleMs >= minVisibleMs)
        state.seenAt = now - (state.visibleMs - minVisibleMs)
    }
    const start = (state: SectionState, now: number) => {
      if (!state.since && document.visibilityState !== 'hidden') state.since = now
    }
    const send = () => {
      const now = Date.now()
      states.forEach((state) => stop(state, now))
      Array.from(states.entries())
        .filter(([, state]) => state.seenAt !== undefined && !state.isSent)
        .sort(([, a], [, b]) => a.seenAt! - b.seenAt!)
        .forEach(([section, state]) => {
          state.isSent = true
          ctx.emit('section', { section, visibleMs: Math.round(state.visibleMs), order: ++order })
        })
      if (document.visibilityState !== 'hidden') states.forEach((state) => state.isOnScreen && start(state, now))
    }

    // Thresholds every 10 %: a section taller than the viewport never reaches a 50 % ratio,
    // so it is judged on the share of the viewport it fills, which needs updates as it scrolls.
    const thresholds = new Set([threshold])
    for (let step = 0; step <= 10; step++) thresholds.add(step / 10)
    const observer = new IntersectionObserver(
      ctx.guard((entries: IntersectionObserverEntry[]) => {
        const now = Date.now()
        for (const entry of entries) {
          const el = entry.target
          const name = trimText(el.getAttribute('data-fl-section') || el.id, MAX_FIELD_NAME_LENGTH)
          if (!name) continue
          let state = states.get(name)
          if (!state) states.set(name, (state = { since: 0, visibleMs: 0 }))
          const viewportPx = entry.rootBounds?.height || innerHeight
          state.isOnScreen =
            entry.isIntersecting &&
            (entry.intersectionRatio >= threshold || entry.intersectionRect.height >= threshold * viewportPx)
          if (state.isOnScreen) start(state, now)
          else stop(state, now)
        }
      }),
      { threshold: [...thresholds] },
    )
    const scan = () => {
      rescanTimer = undefined
      // observe() on an element already observed is a no-op (IntersectionObserver spec).
      document.querySelectorAll(selector).forEach((el) => observer.observe(el))
    }
    scan()
    const mutations =
      typeof MutationObserver === 'function'
        ? new MutationObserver(() => void (rescanTimer ??= setTimeout(ctx.guard(scan), RESCAN_DELAY_MS)))
        : undefined
    mutations?.observe(document.documentElement, { childList: true, subtree: true })

    ctx.listen(document, 'visibilitychange', () => {
      const now = Date.now()
      const isHidden = document.visibilityState === 'hidden'
      states.forEach((state) => {
        if (isHidden) stop(state, now)
        else if (state.isOnScreen) start(state, now)
      })
    })
    ctx.onHidden(send)
    ctx.onRouteChange(() => {
      send()
      order = 0
      // A new page view: counts restart, on-screen sections keep running.
      states.forEach((state) => Object.assign(state, { visibleMs: 0, seenAt: undefined, isSent: false }))
    })
    return () => {
      observer.disconnect()
      mutations?.disconnect()
      clearTimeout(rescanTimer)
    }
  },
})
