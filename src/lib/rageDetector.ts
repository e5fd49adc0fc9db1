// 4, not posthog-js' 3 (its RageClick: 3 clicks, 30 px, 1 s): a triple click is how people
// select a paragraph, so 3 quick clicks in one spot are often deliberate. Defaults documented
// in README "clicks(options)".
/** Clicks that make a rage burst. */
export const DEFAULT_RAGE_CLICKS = 4
/** Time the burst's clicks must fit in. */
export const DEFAULT_RAGE_WINDOW_MS = 1000
/** Distance from the burst's first click that still counts as the same spot (posthog-js: 30 px). */
export const DEFAULT_RAGE_RADIUS_PX = 30

export interface RageDetectorOptions {
  /** @default 4 */
  clicks?: number
  /** @default 1000 */
  windowMs?: number
  /** @default 30 */
  radiusPx?: number
}

/** A completed rage burst: how many clicks, and the time from the first to the last of them. */
export interface RageBurst {
  clicks: number
  windowMs: number
}

/**
 * A pure rage-click detector (no DOM). Feed it every click: `(x, y, t, key, isExcluded?)`, where
 * `key` identifies the element (compared with `===`). A burst is a run of clicks on the same key,
 * each within `windowMs` of the previous one and within `radiusPx` of the burst's first click.
 * The click that brings `clicks` of them within `windowMs` returns the burst, once: later
 * clicks of the same burst return undefined until it ends.
 *
 * `isExcluded` is asked on every click of a burst after its first (and on the click that
 * completes it), until the burst is reported or excluded: true excludes the whole burst, which is
 * then never reported. A lone click never asks, so a check that costs something (the plugin reads
 * the text selection, which forces a style recalc) is paid only by repeated clicks on one spot.
 *
 * @example
 * const detect = createRageDetector()
 * detect(10, 10, 0, button) // undefined … the 4th click within 1 s: { clicks: 4, windowMs: 600 }
 */
export const createRageDetector = ({
  clicks = DEFAULT_RAGE_CLICKS,
  windowMs = DEFAULT_RAGE_WINDOW_MS,
  radiusPx = DEFAULT_RAGE_RADIUS_PX,
}: RageDetectorOptions = {}) => {
  // Times of the burst's clicks within the window, oldest first (one array, emptied in place).
  const times: number[] = []
  let burstKey: unknown
  let startX = 0
  let startY = 0
  // Reported or excluded: nothing more to decide until the burst ends.
  let isDecided = false
  return (x: number, y: number, t: number, key: unknown, isExcluded?: () => boolean): RageBurst | undefined => {
    // `!(gap <= windowMs)` is also true for the very first click (gap NaN).
    if (
      key !== burstKey ||
      !(t - times[times.length - 1] <= windowMs) ||
      Math.hypot(x - startX, y - startY) > radiusPx
    ) {
      times.length = 0
      isDecided = false
      burstKey = key
      startX = x
      startY = y
    }
    while (t - times[0] > windowMs) times.shift()
    times.push(t)
    if (isDecided) return
    const isComplete = times.length >= clicks
    // A continuing burst keeps at least 2 clicks in `times` (the previous click is within the window).
    if (isComplete || times.length > 1) isDecided = !!isExcluded?.()
    if (isComplete && !isDecided) {
      isDecided = true
      return { clicks: times.length, windowMs: Math.round(t - times[0]) }
    }
  }
}
