import { dayOf } from './experiments'
import { markIncidents, type DayCounts } from './experiments/incidents'
import { createReservoir, type Reservoir } from './reservoir'
import type { SessionTable } from './sessionTable'
import type { DayReport } from './types'

/** Days kept (a little over a year); vitals of later days are not sampled, the sessions still count. */
const MAX_DAYS = 400

/** Reservoir size per day and metric. */
const SAMPLES_PER_DAY = 1000

/**
 * Streams LCP and INP values per UTC day; `result` adds the sessions (by their first event's
 * day), their conversions and error sessions, and marks the incidents.
 */
export function createDayAccumulator() {
  const vitals = new Map<string, { lcp: Reservoir; inp: Reservoir }>()
  return {
    vital(ts: number, name: string, value: number) {
      if (name !== 'LCP' && name !== 'INP') return
      const day = dayOf(ts)
      let entry = vitals.get(day)
      if (!entry) {
        if (vitals.size >= MAX_DAYS) return
        vitals.set(day, (entry = { lcp: createReservoir(SAMPLES_PER_DAY), inp: createReservoir(SAMPLES_PER_DAY) }))
      }
      ;(name === 'LCP' ? entry.lcp : entry.inp).add(value)
    },
    result(sessions: SessionTable, converted: ((session: number) => boolean) | null): DayReport[] {
      const days = new Map<string, DayCounts>()
      for (let session = 0; session < sessions.count; session += 1) {
        const day = dayOf(sessions.firstTs(session))
        let entry = days.get(day)
        if (!entry) {
          const v = vitals.get(day)
          const p75 = (r: Reservoir | undefined) => (r && r.count > 0 ? r.quantile(0.75) : null)
          days.set(
            day,
            (entry = { day, sessions: 0, conversions: 0, errorSessions: 0, lcpP75: p75(v?.lcp), inpP75: p75(v?.inp) }),
          )
        }
        entry.sessions += 1
        if (converted?.(session)) entry.conversions += 1
        if (sessions.hadError(session)) entry.errorSessions += 1
      }
      return markIncidents([...days.values()])
    },
  }
}
