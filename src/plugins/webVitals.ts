import { onCLS, onFCP, onINP, onLCP, onTTFB, type MetricWithAttribution } from 'web-vitals/attribution'
import type { Plugin } from '../core/types'
import type { EventFields } from '../schema'
import { selectorOf } from '../lib/selector'
import { roundFinite, vitalAttribution } from '../lib/vitalAttribution'

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
type Subscriber = (report: Report) => void
/** One web-vitals registration: its live subscribers and the latest report of each metric. */
interface Hub {
  subscribers: Set<Subscriber>
  latest: Record<string, Report>
}

// web-vitals cannot be unsubscribed (its observers and listeners stay for the page's life),
// so it is registered once per window and reporting mode, whatever the number of plugins or
// trackers (or copies of this SDK: npm build and script tag share the key), and fanned out.
const REGISTRY_KEY = Symbol.for('frictionlog.webVitals')

const reduce = (metric: MetricWithAttribution): Report | undefined => {
  const places = metric.name === 'CLS' ? 4 : 0
  const value = roundFinite(metric.value, places)
  const delta = roundFinite(metric.delta, places)
  if (value === undefined || delta === undefined) return undefined
  return {
    name: metric.name,
    value,
    delta,
    rating: metric.rating,
    navigationType: metric.navigationType,
    attribution: vitalAttribution(metric.name, metric.attribution),
  }
}

const hubFor = (reportAllChanges: boolean): Hub => {
  const registry = ((window as any)[REGISTRY_KEY] ??= {}) as Record<string, Hub>
  const mode = reportAllChanges ? 'all' : 'final'
  let hub = registry[mode]
  if (!hub) {
    const created: Hub = (hub = registry[mode] = { subscribers: new Set(), latest: {} })
    const onMetric = (metric: MetricWithAttribution) => {
      // Reduced at once: the metric's entries and attribution nodes are not kept.
      const report = reduce(metric)
      if (!report) return
      created.latest[report.name] = report
      created.subscribers.forEach((subscriber) => subscriber(report))
    }
    // Targets named like the clicks plugin's selectors, so an INP target joins its rage clicks.
    const generateTarget = (node: Node | null) => (node?.nodeType === 1 ? selectorOf(node as Element) : undefined)
    for (const on of [onLCP, onINP, onCLS, onFCP, onTTFB]) on(onMetric as (metric: any) => void, { reportAllChanges, generateTarget })
  }
  return hub
}

/**
 * Reports Core Web Vitals (LCP, INP, CLS) and FCP, TTFB as `vital` events, through
 * `web-vitals/attribution`: the attribution is reduced to the target element's selector and
 * the metric's timing parts (LCP: resourceLoadDelay, resourceLoadDuration, elementRenderDelay,
 * timeToFirstByte; INP: inputDelay, processingDuration, presentationDelay; CLS:
 * largestShiftValue, largestShiftTime; FCP: timeToFirstByte, firstByteToFCP; TTFB:
 * waitingDuration, dnsDuration, connectionDuration, requestDuration), milliseconds rounded.
 *
 * web-vitals cannot be unsubscribed: it is registered once per window and its own listeners
 * stay for the page's life; after `shutdown()` its reports are dropped. A tracker started
 * later receives the latest value of the metrics already reported (delta = value), as a fresh
 * web-vitals subscription would. The final INP and CLS are reported when the page is hidden,
 * and go out in the same exit flush as the other events.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [webVitals()] })
 * // → { type: 'vital', name: 'LCP', value: 1840, rating: 'good', attribution: { target: 'main>img.hero', … } }
 */
export const webVitals = (options: WebVitalsOptions = {}): Plugin => ({
  name: 'webVitals',
  setup(ctx) {
    if (typeof PerformanceObserver === 'undefined') return ctx.debug('web-vitals-unsupported')
    const hub = hubFor(options.reportAllChanges === true)
    // web-vitals calls this outside any SDK handler: guarded so it can never throw into it.
    const subscriber = ctx.guard((report: Report) => {
      if (!ctx.signal.aborted) ctx.emit('vital', report)
    })
    for (const report of Object.values(hub.latest)) subscriber({ ...report, delta: report.value })
    hub.subscribers.add(subscriber)
    return () => void hub.subscribers.delete(subscriber)
  },
})
