/** A page view as quick back remembers it: its path and when it began (epoch ms). */
export interface ViewStamp {
  path: string
  at: number
}

/** The `quick_back` fields: the page left quickly and the time spent on it. */
export interface QuickBack {
  leftPath: string
  durationMs: number
}

/**
 * Pure quick-back decision for a new page view `view`, given the tab's previous views (oldest
 * first): the visitor went from page X to another page and is back on X within `withinMs` of
 * arriving there (Clarity's "quick back": the page did not hold what the link promised).
 * Returns the views to remember (the last two; after a quick back only the page returned to,
 * so one return is reported once and X → Y → X → Y is not a second one) and the signal.
 * A reload (same path twice) is not leaving.
 *
 * @example
 * detectQuickBack([{ path: '/', at: 0 }, { path: '/pricing', at: 5000 }], { path: '/', at: 8000 }, 10_000)
 * // { views: [{ path: '/', at: 8000 }], signal: { leftPath: '/pricing', durationMs: 3000 } }
 */
export const detectQuickBack = (
  views: readonly ViewStamp[],
  view: ViewStamp,
  withinMs: number,
): { views: ViewStamp[]; signal?: QuickBack } => {
  const left = views[views.length - 1]
  const before = views[views.length - 2]
  const durationMs = left ? view.at - left.at : -1
  if (before?.path === view.path && left.path !== view.path && durationMs >= 0 && durationMs <= withinMs) {
    return { views: [view], signal: { leftPath: left.path, durationMs } }
  }
  return { views: [...views.slice(-1), view] }
}
