import { onCLS, onFCP, onINP, onLCP, onTTFB, type Metric } from 'web-vitals'
import type { Plugin } from '../core/types'
import type { EventFields } from '../schema'
import { createEventFrames, type EventTimingLike } from '../lib/eventFrames'
import { selectorOf } from '../lib/selector'
import { roundFinite, vitalAttribution, type AttributionSources, type VitalEntry } from '../lib/vitalAttribution'

/** Options of `webVitals()`. */
export interface WebVitalsOptions {
  /**
   * Report every change of a metric (each larger LCP candidate, each CLS or INP increase)
   * instead of its value when the page is hidden. More events, for debugging.
   * @default false
   */
  reportAllChanges?: boolean
}

type Report = EventFields<'vital'>
interface Subscriber {
  isAll: boolean
  send(report: Report): void
  debug(code: string, detail?: unknown): void
}
/** The one web-vitals registration of the window, fanned out to every plugin instance. */
interface Hub {
  subscribers: Set<Subscriber>
  /** The latest report of each metric, for every change (`all`) and as last sent when final. */
  latest: { all: Record<string, Report>; final: Record<string, Report> }
  /** Sends the final subscribers what changed since their last report of each metric (or of `name`). */
  flush(name?: string): void
}

// web-vitals cannot be unsubscribed (its observers and listeners stay for the page's life),
// so it is registered once per window, whatever the number of plugins, trackers or copies of
// this SDK (npm build and script tag share the key), and fanned out. `v2`: the hub's shape
// differs from the one of versions that wrapped web-vitals/attribution.
const REGISTRY_KEY = Symbol.for('frictionlog.webVitals.v2')

// web-vitals' INP threshold: the same event entries as its own observer.
const EVENT_DURATION_THRESHOLD_MS = 40

/** The page's timings and selectors the attribution reads, and the frames of recent event entries. */
const createSources = (): AttributionSources => {
  const frames = createEventFrames()
  let events: PerformanceObserver | undefined
  if (PerformanceObserver.supportedEntryTypes?.includes('event')) {
    events = new PerformanceObserver((list) => frames.add(list.getEntries() as unknown as EventTimingLike[]))
    events.observe({ type: 'event', durationThreshold: EVENT_DURATION_THRESHOLD_MS } as PerformanceObserverInit)
  }
  return {
    navigation: () => performance.getEntriesByType('navigation')[0] as unknown as VitalEntry | undefined,
    resource: (url) => performance.getEntriesByName(url, 'resource')[0] as unknown as VitalEntry | undefined,
    // Named like the clicks plugin's selectors, so an INP target joins its rage clicks; a text
    // node (a CLS source can be one) is named by its element.
    target: (node) => {
      const element = node?.nodeType === 1 ? (node as Element) : node?.parentElement
      return element ? selectorOf(element) : undefined
    },
    // At hidden, web-vitals reports INP from entries it took from its observer at once: ours
    // are taken too, or the last frame would be missing.
    processingEnd: (renderTime) => {
      if (events) frames.add(events.takeRecords() as unknown as EventTimingLike[])
      return frames.processingEnd(renderTime)
    },
  }
}

const createHub = (): Hub => {
  const sources = createSources()
  const subscribers = new Set<Subscriber>()
  const latest: Hub['latest'] = { all: {}, final: {} }
  // Changes not yet sent to the final subscribers, and the last one sent, by metric name,
  // with web-vitals' metric id (a new one after a bfcache restore).
  const pending: Record<string, [id: string, report: Report]> = {}
  const sent: Record<string, [id: string, report: Report]> = {}
  const fanOut = (isAll: boolean, report: Report) => {
    latest[isAll ? 'all' : 'final'][report.name] = report
    subscribers.forEach((subscriber) => subscriber.isAll === isAll && subscriber.send(report))
  }
  const flush = (only?: string) => {
    for (const name in pending) {
      if (only && name !== only) continue
      const [id, report] = pending[name]
      const last = sent[name]
      // As web-vitals' final reports: the change since the last report of the same metric,
      // and nothing when it did not change.
      const delta = last?.[0] === id ? roundFinite(report.value - last[1].value, 4)! : report.value
      if (delta || last?.[0] !== id) fanOut(false, { ...report, delta })
      sent[name] = pending[name]
      delete pending[name]
    }
  }
  const onMetric = (metric: Metric) => {
    try {
      const places = metric.name === 'CLS' ? 4 : 0
      const value = roundFinite(metric.value, places)
      const delta = roundFinite(metric.delta, places)
      if (value === undefined || delta === undefined) return
      // Reduced at once, while the target is still in the document (a dismissed banner, a
      // re-rendered button): the entries and their nodes are not kept.
      const report: Report = {
        name: metric.name,
        value,
        delta,
        rating: metric.rating,
        navigationType: metric.navigationType,
        attribution: vitalAttribution(metric.name, metric.value, metric.entries as unknown as VitalEntry[], sources),
      }
      fanOut(true, report)
      pending[metric.name] = [metric.id, report]
      // Final values, as web-vitals sends them: FCP and TTFB when reported; LCP at the first
      // interaction (web-vitals stops it at the first input, which INP's first report follows,
      // at idle time as LCP's stop) or when the page is hidden; CLS and INP when it is hidden.
      if (metric.name === 'FCP' || metric.name === 'TTFB') flush(metric.name)
      if (metric.name === 'INP') flush('LCP')
    } catch (error) {
      subscribers.forEach((subscriber) => subscriber.debug('web-vitals-failed', error))
    }
  }
  // Every change is observed, whatever the mode: targets are read when a metric changes, and
  // the final values are derived here, so one registration serves both modes.
  for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(onMetric, { reportAllChanges: true })
  return { subscribers, latest, flush }
}

/**
 * Reports Core Web Vitals (LCP, INP, CLS) and FCP, TTFB as `vital` events through the base
 * `web-vitals` build, with an attribution computed from each metric's own performance entries
 * (`lib/vitalAttribution.ts`): the target element's selector and the metric's timing parts
 * (LCP: resourceLoadDelay, resourceLoadDuration, elementRenderDelay, timeToFirstByte; INP:
 * inputDelay, processingDuration, presentationDelay; CLS: largestShiftValue, largestShiftTime;
 * FCP: timeToFirstByte, firstByteToFCP; TTFB: waitingDuration, dnsDuration,
 * connectionDuration, requestDuration), milliseconds rounded.
 *
 * web-vitals cannot be unsubscribed: it is registered once per window and its own listeners
 * stay for the page's life, as does the plugin's one Event Timing observer (the INP frame's
 * handler ends, `lib/eventFrames.ts`); after `shutdown()` their reports are dropped. A tracker started
 * later receives the latest value of the metrics already reported (delta = value), as a fresh
 * web-vitals subscription would. FCP and TTFB are sent when known, LCP at the first
 * interaction, and the final CLS and INP (and LCP without interaction) when the page is
 * hidden, in the same exit flush as the other events.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [webVitals()] })
 * // → { type: 'vital', name: 'LCP', value: 1840, rating: 'good', attribution: { target: 'main>img.hero', … } }
 */
export const webVitals = (options: WebVitalsOptions = {}): Plugin => ({
  name: 'webVitals',
  setup(ctx) {
    if (typeof PerformanceObserver === 'undefined') return ctx.debug('web-vitals-unsupported')
    const hub: Hub = ((window as any)[REGISTRY_KEY] ??= createHub())
    const isAll = options.reportAllChanges === true
    // web-vitals calls this outside any SDK handler: guarded so it can never throw into it.
    const send = ctx.guard((report: Report) => {
      if (!ctx.signal.aborted) ctx.emit('vital', report)
    })
    const subscriber: Subscriber = { isAll, send, debug: ctx.debug }
    for (const report of Object.values(hub.latest[isAll ? 'all' : 'final'])) send({ ...report, delta: report.value })
    hub.subscribers.add(subscriber)
    if (!isAll) ctx.onHidden(() => hub.flush())
    return () => void hub.subscribers.delete(subscriber)
  },
})
