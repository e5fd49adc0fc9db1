import { MAX_SELECTOR_LENGTH } from '../schema/events/limits'

/** The wire shape of a vital's attribution: the responsible element and timing parts. */
export type VitalAttribution = { target?: string; [part: string]: number | string | undefined }

/**
 * The fields read from a metric's performance entries: `largest-contentful-paint` (LCP),
 * `event` (INP), `layout-shift` (CLS), `paint` (FCP) and `navigation` (TTFB, and the page's
 * navigation timing for LCP and FCP).
 */
export interface VitalEntry {
  startTime: number
  duration?: number
  element?: Node | null
  id?: string
  url?: string
  target?: Node | null
  processingStart?: number
  processingEnd?: number
  value?: number
  sources?: ReadonlyArray<{ node?: Node | null }>
  [timing: string]: unknown
}

/** What the attribution reads besides the metric's entries, so the computation stays pure. */
export interface AttributionSources {
  /** The page's `navigation` entry, if any. */
  navigation(): VitalEntry | undefined
  /** The `resource` entry of `url`, if any. */
  resource(url: string): VitalEntry | undefined
  /** A selector for the node, read while it is still in the document. */
  target(node: Node | null | undefined): string | undefined
  /** The latest handler end of the event entries presented by the frame at `renderTime` (`lib/eventFrames.ts`). */
  processingEnd(renderTime: number): number | undefined
}

/**
 * Rounds a finite number to `places` decimals; anything else (NaN, Infinity, a string, a
 * node) gives undefined. Milliseconds keep whole units, layout-shift scores 4 decimals.
 */
export const roundFinite = (value: unknown, places = 0): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? Math.round(value * 10 ** places) / 10 ** places : undefined

/**
 * The attribution of a web-vitals metric from its own entries (`metric.entries`), with the
 * formulas of web-vitals' attribution build (https://github.com/GoogleChrome/web-vitals#attribution)
 * but without its long-animation-frame bookkeeping:
 * - LCP: `target`, `timeToFirstByte`, `resourceLoadDelay`, `resourceLoadDuration`, `elementRenderDelay`
 * - INP: `target`, `inputDelay`, `processingDuration`, `presentationDelay`
 * - CLS: `target` (largest shift's first element source), `largestShiftValue`, `largestShiftTime`
 * - FCP: `timeToFirstByte`, `firstByteToFCP`
 * - TTFB: `waitingDuration`, `dnsDuration`, `connectionDuration`, `requestDuration`
 *
 * Numbers are rounded (ms whole, shift scores 4 decimals), non-finite ones left out. Pure: the
 * result is strings and numbers only, no entry or node.
 */
export const vitalAttribution = (
  name: string,
  value: number,
  entries: readonly VitalEntry[],
  sources: AttributionSources,
): VitalAttribution => {
  const first = entries[0] as VitalEntry | undefined
  const last = entries[entries.length - 1]
  // TTFB's only entry is the navigation entry; LCP and FCP read it when they have an entry
  // (none after a bfcache restore, where web-vitals gives the whole value to the last part).
  const navigation = name === 'TTFB' ? first : first && sources.navigation()
  const activationStart = Number(navigation?.activationStart) || 0
  const since = (time: unknown) => (navigation ? Math.max(Number(time) - activationStart, 0) : 0)
  const ttfb = since(navigation?.responseStart)
  let target: string | undefined
  let parts: Record<string, number> = {}
  if (name === 'LCP') {
    // The LCP image's request, when it has one: when it started, when its bytes arrived.
    const resource = navigation && last.url ? sources.resource(last.url) : undefined
    const requestStart = Math.max(
      ttfb,
      resource ? Number(resource.requestStart || resource.startTime) - activationStart : 0,
    )
    const responseEnd = Math.min(
      value,
      Math.max(requestStart, resource ? Number(resource.responseEnd) - activationStart : 0),
    )
    parts = {
      timeToFirstByte: ttfb,
      resourceLoadDelay: requestStart - ttfb,
      resourceLoadDuration: responseEnd - requestStart,
      elementRenderDelay: value - responseEnd,
    }
    target = last && (sources.target(last.element) ?? (last.id ? '#' + last.id : undefined))
  } else if (name === 'INP' && first) {
    // Handlers ran from the first entry's processingStart to the last processingEnd of the
    // entries that frame presented: the interaction's own ones (its longest, often only the
    // pointerdown) and the others of that frame (the click), as web-vitals' attribution counts.
    const renderTime = first.startTime + Number(first.duration)
    const processingStart = Number(first.processingStart)
    const nextPaint = Math.max(renderTime, processingStart)
    const ends = entries.map((entry) => Number(entry.processingEnd))
    const processingEnd = Math.min(Math.max(sources.processingEnd(renderTime) ?? 0, ...ends), nextPaint)
    parts = {
      inputDelay: processingStart - first.startTime,
      processingDuration: processingEnd - processingStart,
      presentationDelay: nextPaint - processingEnd,
    }
    target = sources.target(entries.find((entry) => entry.target)?.target)
  } else if (name === 'CLS' && first) {
    const largest = entries.reduce((a, b) => (Number(a.value) >= Number(b.value) ? a : b))
    const shifted = largest.sources ?? []
    target = sources.target((shifted.find((source) => source.node?.nodeType === 1) ?? shifted[0])?.node)
    parts = { largestShiftValue: Number(largest.value), largestShiftTime: largest.startTime }
  } else if (name === 'FCP') {
    parts = { timeToFirstByte: ttfb, firstByteToFCP: value - ttfb }
  } else if (name === 'TTFB') {
    const dnsStart = since(navigation?.domainLookupStart)
    const connectStart = since(navigation?.connectStart)
    const connectEnd = since(navigation?.connectEnd)
    parts = {
      // Before the request: redirects, service worker start-up, cache lookup.
      waitingDuration: since(navigation?.workerStart || navigation?.fetchStart),
      dnsDuration: connectStart - dnsStart,
      connectionDuration: connectEnd - connectStart,
      requestDuration: navigation ? value - connectEnd : 0,
    }
  }
  const result: VitalAttribution = {}
  if (target) result.target = target.slice(0, MAX_SELECTOR_LENGTH)
  for (const part in parts) {
    const rounded = roundFinite(parts[part], part === 'largestShiftValue' ? 4 : 0)
    if (rounded !== undefined) result[part] = rounded
  }
  return result
}
