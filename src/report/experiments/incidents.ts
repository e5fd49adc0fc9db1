import { proportion, twoProportionZTest } from '../stats'
import type { DayReport } from '../types'

/** p below which a day's error share or conversion counts as off the other days'. */
export const INCIDENT_ALPHA = 0.01
/** A spike is also at least this many times the baseline (the other days, or the median day). */
export const SPIKE_FACTOR = 1.5
/** Good-rating limits (ms) of the Core Web Vitals: a p75 within them is no latency incident. */
const GOOD_LCP_MS = 2500
const GOOD_INP_MS = 200

/** One UTC day's sessions (by their first event), conversions, error sessions and vitals p75. */
export interface DayCounts {
  day: string
  sessions: number
  conversions: number
  errorSessions: number
  lcpP75: number | null
  inpP75: number | null
}

const medianOf = (values: number[]): number | null => {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/**
 * Days in order, each compared with the rest of the period: an error spike (error-session
 * share significantly above the other days', z-test p < 0.01, and ≥ 1.5× it), a latency spike
 * (LCP or INP p75 ≥ 1.5× the median day's and above the "good" limit), and a conversion drop
 * (significantly below the other days'). A drop on a spike day is an incident, not a design
 * change's effect.
 */
export function markIncidents(days: DayCounts[]): DayReport[] {
  const sorted = [...days].sort((a, b) => a.day.localeCompare(b.day))
  const totalSessions = sorted.reduce((sum, d) => sum + d.sessions, 0)
  const totalErrors = sorted.reduce((sum, d) => sum + d.errorSessions, 0)
  const totalConversions = sorted.reduce((sum, d) => sum + d.conversions, 0)
  const lcpMedian = medianOf(sorted.flatMap((d) => (d.lcpP75 === null ? [] : [d.lcpP75])))
  const inpMedian = medianOf(sorted.flatMap((d) => (d.inpP75 === null ? [] : [d.inpP75])))
  return sorted.map((d) => {
    const restN = totalSessions - d.sessions
    const restErrors = totalErrors - d.errorSessions
    const restConversions = totalConversions - d.conversions
    const errorShare = d.sessions > 0 ? d.errorSessions / d.sessions : 0
    const restShare = restN > 0 ? restErrors / restN : 0
    const comparable = d.sessions > 0 && restN > 0
    const errorSpike =
      comparable &&
      errorShare > 0 &&
      errorShare >= SPIKE_FACTOR * restShare &&
      twoProportionZTest(restErrors, restN, d.errorSessions, d.sessions).pValue < INCIDENT_ALPHA
    const slow = (value: number | null, median: number | null, good: number) =>
      value !== null && median !== null && sorted.length > 1 && value > good && value >= SPIKE_FACTOR * median
    const conversion = proportion(d.conversions, d.sessions)
    const conversionDrop =
      comparable &&
      conversion.rate < restConversions / restN &&
      twoProportionZTest(restConversions, restN, d.conversions, d.sessions).pValue < INCIDENT_ALPHA
    return {
      day: d.day,
      sessions: d.sessions,
      conversions: d.conversions,
      conversion,
      errorSessions: d.errorSessions,
      errorShare,
      lcpP75: d.lcpP75,
      inpP75: d.inpP75,
      errorSpike,
      latencySpike: slow(d.lcpP75, lcpMedian, GOOD_LCP_MS) || slow(d.inpP75, inpMedian, GOOD_INP_MS),
      conversionDrop,
    }
  })
}
