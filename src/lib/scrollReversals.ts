/**
 * Direction changes between legs of at least this many pixels count: about half a phone
 * viewport (~800 px tall), so going back a line or a paragraph to re-read does not count.
 */
export const DEFAULT_SCROLL_LEG_PX = 400
/**
 * Direction changes that make scrolling excessive: one turn is re-reading, two or three compare
 * two places (a price and its conditions); four, i.e. five long legs down and up, is a visitor
 * searching for something the page does not show where they expect it.
 */
export const DEFAULT_SCROLL_REVERSALS = 4
/** Time within which the reversals must happen: back and forth at reading pace, not a slow re-read. */
export const DEFAULT_SCROLL_WINDOW_MS = 15_000

/** Thresholds of `createScrollReversalDetector`. */
export interface ScrollReversalOptions {
  /** @default 4 */
  reversals?: number
  /** @default 400 */
  legPx?: number
  /** @default 15000 */
  windowMs?: number
}

/** What the detector reports when the threshold is crossed (the `excessive_scroll` fields). */
export interface ScrollReversals {
  reversals: number
  windowMs: number
  distancePx: number
}

export interface ScrollReversalDetector {
  /** Feeds a scroll position `y` at time `t` (ms); returns the signal when it crosses the threshold. */
  (y: number, t: number): ScrollReversals | undefined
  /** Forgets everything (a new page view). */
  reset(): void
}

/**
 * Pure detector of excessive scrolling: repeated changes of direction over a distance. A leg is
 * counted once the position has moved `legPx` from the last turning point in one direction; a
 * leg in the other direction than the previous counted leg is a reversal. Jitter (a few pixels
 * back while flicking) never makes a leg, so it neither counts nor breaks a leg in progress.
 * The hot path is a subtraction and a few comparisons; the list of reversal times is touched
 * only when a leg completes, and holds at most `reversals` entries.
 *
 * @example
 * const detect = createScrollReversalDetector({ reversals: 2, legPx: 100 })
 * detect(0, 0); detect(300, 100); detect(0, 200) // undefined: one reversal
 * detect(300, 300) // { reversals: 2, windowMs: 100, distancePx: 900 }
 */
export const createScrollReversalDetector = (options: ScrollReversalOptions = {}): ScrollReversalDetector => {
  const reversals = options.reversals ?? DEFAULT_SCROLL_REVERSALS
  const legPx = options.legPx ?? DEFAULT_SCROLL_LEG_PX
  const windowMs = options.windowMs ?? DEFAULT_SCROLL_WINDOW_MS
  let lastY: number | undefined
  let turnY = 0
  let direction = 0
  let legDirection = 0
  let distancePx = 0
  let turns: number[] = []
  const detect = ((y, t) => {
    if (lastY === undefined) {
      lastY = turnY = y
      return
    }
    const delta = y - lastY
    if (!delta) return
    distancePx += delta > 0 ? delta : -delta
    const moving = delta > 0 ? 1 : -1
    // The position before this move was a turning point: legs are measured from it.
    if (moving !== direction) {
      turnY = lastY
      direction = moving
    }
    lastY = y
    if (direction === legDirection || (y - turnY) * direction < legPx) return
    if (legDirection) turns.push(t)
    legDirection = direction
    while (turns.length && (turns.length > reversals || t - turns[0] > windowMs)) turns.shift()
    if (turns.length < reversals) return
    const signal = { reversals: turns.length, windowMs: Math.round(t - turns[0]), distancePx: Math.round(distancePx) }
    turns = []
    return signal
  }) as ScrollReversalDetector
  detect.reset = () => {
    lastY = undefined
    direction = legDirection = distancePx = 0
    turns = []
  }
  return detect
}
