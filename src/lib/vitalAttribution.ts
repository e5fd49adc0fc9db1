/** The wire shape of a vital's attribution: the responsible element and timing parts. */
export type VitalAttribution = { target?: string; [part: string]: number | string | undefined }

/** Longest `attribution.target` the wire format accepts (schema `MAX_SELECTOR_LENGTH`). */
export const MAX_TARGET_LENGTH = 500

// Per metric: the attribution key holding the target selector (if any), then the timing parts
// the SPEC names (https://github.com/GoogleChrome/web-vitals#attribution). Entries, navigation
// entries and DOM nodes are never copied: they would keep the page's objects alive.
const PARTS: Record<string, [target: string, ...parts: string[]]> = {
  LCP: ['target', 'resourceLoadDelay', 'resourceLoadDuration', 'elementRenderDelay', 'timeToFirstByte'],
  INP: ['interactionTarget', 'inputDelay', 'processingDuration', 'presentationDelay'],
  CLS: ['largestShiftTarget', 'largestShiftValue', 'largestShiftTime'],
  FCP: ['', 'timeToFirstByte', 'firstByteToFCP'],
  TTFB: ['', 'waitingDuration', 'dnsDuration', 'connectionDuration', 'requestDuration'],
}

/**
 * Rounds a finite number to `places` decimals; anything else (NaN, Infinity, a string, a
 * node) gives undefined. Milliseconds keep whole units, layout-shift scores 4 decimals.
 */
export const roundFinite = (value: unknown, places = 0): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 10 ** places) / 10 ** places : undefined

/**
 * Reduces a web-vitals attribution object to the target selector string and the metric's
 * finite timing numbers, rounded. Pure: the result holds no reference to the input.
 */
export const vitalAttribution = (name: string, attribution: unknown): VitalAttribution => {
  const result: VitalAttribution = {}
  const source = (attribution ?? {}) as Record<string, unknown>
  const [targetKey, ...parts] = PARTS[name] ?? ['']
  const target = targetKey ? source[targetKey] : undefined
  if (typeof target === 'string' && target) result.target = target.slice(0, MAX_TARGET_LENGTH)
  for (const part of parts) {
    const value = roundFinite(source[part], part === 'largestShiftValue' ? 4 : 0)
    if (value !== undefined) result[part] = value
  }
  return result
}
