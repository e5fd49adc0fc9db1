import type { EventOf } from '../schema/index'
import { finite } from './count'
import { createReservoir, type Reservoir } from './reservoir'
import { createTopMap } from './topMap'
import type { MetricName, Rating, VitalSummary, VitalTargetReport } from './types'

/**
 * Good / poor boundaries of each metric, from web.dev's Core Web Vitals thresholds (the ones
 * web-vitals rates with): milliseconds, except CLS, a unitless layout-shift score. A value up to
 * the first is good, up to the second needs improvement, above is poor.
 */
export const VITAL_THRESHOLDS: Readonly<Record<MetricName, readonly [number, number]>> = {
  LCP: [2500, 4000],
  INP: [200, 500],
  CLS: [0.1, 0.25],
  FCP: [1800, 3000],
  TTFB: [800, 1800],
}

/** The metrics, in the report's order: the three Core Web Vitals first. */
export const METRIC_NAMES: readonly MetricName[] = ['LCP', 'INP', 'CLS', 'FCP', 'TTFB']

/**
 * The rating of `value` for `name`, as web-vitals computes it.
 *
 * @example
 * rateVital('LCP', 3000) // 'needs-improvement'
 */
export function rateVital(name: MetricName, value: number): Rating {
  const [good, poor] = VITAL_THRESHOLDS[name]
  return value <= good ? 'good' : value <= poor ? 'needs-improvement' : 'poor'
}

/** Whether `name` is one of the five metrics (stored lines are not re-validated). */
export function isMetricName(name: unknown): name is MetricName {
  return typeof name === 'string' && Object.hasOwn(VITAL_THRESHOLDS, name)
}

/** p75 and its rating for one reservoir of a metric's values. */
export function summarizeVital(name: MetricName, values: Reservoir | undefined): VitalSummary {
  const p75 = values ? finite(values.quantile(0.75)) : null
  return { name, samples: values?.count ?? 0, p75, rating: p75 === null ? null : rateVital(name, p75) }
}

/** Elements blamed for slow values kept per metric (top-N, see createTopMap). */
const MAX_TARGETS = 200

/**
 * Samples kept per blamed element: the target list needs a rough p75, not a precise one, and
 * there can be hundreds of targets.
 */
const TARGET_RESERVOIR_SIZE = 1_000

/** Targets listed in the report. */
const REPORTED_TARGETS = 10

interface TargetEntry {
  name: MetricName
  target: string
  reports: number
  slowReports: number
  values: Reservoir
}

/**
 * Streams `vital` events into the p75 of each metric over every page and the elements most
 * often blamed (`attribution.target`) for needs-improvement and poor values.
 *
 * Each report is one sample: web-vitals reports a page's CLS or INP again when it grew after
 * the page was hidden once, so such pages weigh a little more, as in the raw RUM data.
 */
export function createVitalsAccumulator() {
  const metrics = new Map<MetricName, Reservoir>()
  const targets = createTopMap<TargetEntry>(
    MAX_TARGETS,
    (key) => {
      const [name, target] = key.split('\u0000') as [MetricName, string]
      return { name, target, reports: 0, slowReports: 0, values: createReservoir(TARGET_RESERVOIR_SIZE) }
    },
    (entry) => entry.slowReports,
  )
  return {
    /** Adds one `vital` event whose name is known to be valid. */
    add(event: EventOf<'vital'>, name: MetricName, rating: Rating) {
      let values = metrics.get(name)
      if (!values) metrics.set(name, (values = createReservoir()))
      values.add(event.value)
      const target = event.attribution?.target
      if (typeof target !== 'string' || target === '') return
      const entry = targets.get(`${name}\u0000${target}`)
      entry.reports += 1
      if (rating !== 'good') entry.slowReports += 1
      entry.values.add(event.value)
    },
    result(): { metrics: VitalSummary[]; worstTargets: VitalTargetReport[]; evicted: number } {
      return {
        metrics: METRIC_NAMES.filter((name) => metrics.has(name)).map((name) => summarizeVital(name, metrics.get(name))),
        worstTargets: targets
          .entries()
          .filter(([, entry]) => entry.slowReports > 0)
          .slice(0, REPORTED_TARGETS)
          .map(([, entry]) => ({
            name: entry.name,
            target: entry.target,
            slowReports: entry.slowReports,
            reports: entry.reports,
            p75: finite(entry.values.quantile(0.75)),
          })),
        evicted: targets.evicted,
      }
    },
  }
}
