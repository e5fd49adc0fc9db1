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

/** A metric's values with how many of them were rated poor, per page or over every page. */
export interface VitalTally {
  values: Reservoir
  /** Reports rated poor (the SDK's rating, else the thresholds'). */
  poor: number
}

/** A new, empty tally. */
export const createVitalTally = (): VitalTally => ({ values: createReservoir(), poor: 0 })

/** Adds one rated value to `tally`. */
export function addToTally(tally: VitalTally, value: number, rating: Rating): void {
  tally.values.add(value)
  if (rating === 'poor') tally.poor += 1
}

/**
 * p75 with its rating, p95 and the share of reports rated poor for one metric. The p75 is what
 * Core Web Vitals judge a page by; p95 and the poor share show a slow minority the p75 hides
 * (a cart 2.6 s late for one visitor in ten leaves the p75 good).
 */
export function summarizeVital(name: MetricName, tally: VitalTally | undefined): VitalSummary {
  const values = tally?.values
  const p75 = values ? finite(values.quantile(0.75)) : null
  const samples = values?.count ?? 0
  return {
    name,
    samples,
    p75,
    rating: p75 === null ? null : rateVital(name, p75),
    p95: values ? finite(values.quantile(0.95)) : null,
    poorShare: samples > 0 ? (tally?.poor ?? 0) / samples : null,
  }
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
  slowReports: number
  poorReports: number
  /** The values of this element's slow reports only. */
  values: Reservoir
}

/**
 * Streams `vital` events into the p75, p95 and poor share of each metric over every page and the
 * elements most often blamed (`attribution.target`) for needs-improvement and poor values. An
 * element is only ever attached to such values: a good report neither lists it nor enters its
 * p75, so the list reads as "what made pages slow", never "what was measured".
 *
 * Each report is one sample: web-vitals reports a page's CLS or INP again when it grew after
 * the page was hidden once, so such pages weigh a little more, as in the raw RUM data.
 */
export function createVitalsAccumulator() {
  const metrics = new Map<MetricName, VitalTally>()
  const targets = createTopMap<TargetEntry>(
    MAX_TARGETS,
    (key) => {
      const [name, target] = key.split('\u0000') as [MetricName, string]
      return { name, target, slowReports: 0, poorReports: 0, values: createReservoir(TARGET_RESERVOIR_SIZE) }
    },
    (entry) => entry.slowReports,
  )
  return {
    /** Adds one `vital` event whose name is known to be valid. */
    add(event: EventOf<'vital'>, name: MetricName, rating: Rating) {
      let tally = metrics.get(name)
      if (!tally) metrics.set(name, (tally = createVitalTally()))
      addToTally(tally, event.value, rating)
      if (rating === 'good') return
      const target = event.attribution?.target
      if (typeof target !== 'string' || target === '') return
      const entry = targets.get(`${name}\u0000${target}`)
      entry.slowReports += 1
      if (rating === 'poor') entry.poorReports += 1
      entry.values.add(event.value)
    },
    result(): { metrics: VitalSummary[]; worstTargets: VitalTargetReport[]; evicted: number } {
      return {
        metrics: METRIC_NAMES.filter((name) => metrics.has(name)).map((name) =>
          summarizeVital(name, metrics.get(name)),
        ),
        worstTargets: targets
          .entries()
          .slice(0, REPORTED_TARGETS)
          .map(([, entry]) => ({
            name: entry.name,
            target: entry.target,
            slowReports: entry.slowReports,
            poorReports: entry.poorReports,
            p75: finite(entry.values.quantile(0.75)),
          })),
        evicted: targets.evicted,
      }
    },
  }
}
