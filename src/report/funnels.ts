import type { EventOf } from '../schema/index'
import { evictLightest, finite, ratio } from './count'
import { createInterner } from './interner'
import { createReservoir, type Reservoir } from './reservoir'
import { createSessionLists } from './sessionLists'
import type { FunnelSteps } from './conversion'
import type { FunnelReport } from './types'

/**
 * Funnels tracked. Funnels are declared in code (`fl.funnel(name, steps)`), so a site has a
 * handful; the cap only guards against names built from data (or posted by an attacker): past it,
 * the funnel with the fewest sessions gives way to the new one, and the report notes it.
 */
const MAX_FUNNELS = 50

/**
 * Steps per funnel: the reached steps of a session are one 31-bit mask per funnel (bitwise
 * operators work on 32-bit signed integers). Longer funnels are not a funnel but a journey.
 */
export const MAX_FUNNEL_STEPS = 31

interface StepEntry {
  name: string
  events: number
  msSincePrevious: Reservoir
}

interface FunnelEntry {
  /** Indexed by `stepIndex`; holes are steps nobody reached. */
  steps: Array<StepEntry | undefined>
  lastIndex: number
  /** Distinct sessions with a step of this funnel: its weight when the cap evicts one. */
  sessions: number
}

/**
 * Streams `funnel_step` events: step names, timings, and each session's reached steps (a list of
 * funnel number → step mask per session); `result` counts sessions per step at the end.
 */
export function createFunnelAccumulator() {
  const funnels = new Map<string, FunnelEntry>()
  // Every funnel name a session reached, evicted funnels included: the masks outlive the cap.
  const names = createInterner()
  const reachedSteps = createSessionLists()
  let maskName: string | undefined
  let maskFunnel = -1
  let ignored = 0
  let evicted = 0
  return {
    add(event: EventOf<'funnel_step'>, session: number) {
      const index = event.stepIndex
      const name = event.funnel
      if (typeof name !== 'string' || !Number.isInteger(index) || index < 0 || index >= MAX_FUNNEL_STEPS) {
        ignored += 1
        return
      }
      let funnel = funnels.get(name)
      if (funnel === undefined) {
        if (funnels.size >= MAX_FUNNELS) {
          evictLightest(funnels, (entry) => entry.sessions)
          evicted += 1
        }
        funnels.set(name, (funnel = { steps: [], lastIndex: -1, sessions: 0 }))
      }
      let step = funnel.steps[index]
      if (step === undefined) {
        step = {
          name: typeof event.step === 'string' ? event.step : `#${index}`,
          events: 0,
          msSincePrevious: createReservoir(),
        }
        funnel.steps[index] = step
        if (index > funnel.lastIndex) funnel.lastIndex = index
      }
      step.events += 1
      if (typeof event.msSincePrevious === 'number') step.msSincePrevious.add(event.msSincePrevious)
      const id = names.id(name)
      const reached = reachedSteps.find(session, id)
      if (reached < 0) {
        funnel.sessions += 1
        reachedSteps.setValue(reachedSteps.add(session, id), 1 << index)
      } else reachedSteps.setValue(reached, reachedSteps.value(reached) | (1 << index))
    },
    /** The step mask `session` reached in `funnel` (0 for none): what the conversion reads. */
    mask(session: number, funnel: string): number {
      // The joins ask for one funnel (the conversion's) session after session.
      if (funnel !== maskName) {
        maskName = funnel
        maskFunnel = names.find(funnel)
      }
      const reached = maskFunnel < 0 ? -1 : reachedSteps.find(session, maskFunnel)
      return reached < 0 ? 0 : reachedSteps.value(reached)
    },
    /** The funnels seen, by name: what choosing the conversion reads (conversion.ts). */
    get funnels(): ReadonlyMap<string, FunnelSteps> {
      return funnels
    },
    /** `funnel_step` events with no usable funnel name or step index. */
    get ignored() {
      return ignored
    },
    /** Funnels dropped (the one with the fewest sessions) to keep at most MAX_FUNNELS. */
    get evicted() {
      return evicted
    },
    /** Funnel reports, from the reached steps of sessions 0 … `sessions` − 1. */
    result(sessions: number): FunnelReport[] {
      const reached = new Map<string, number[]>()
      for (const [name, entry] of funnels) reached.set(name, new Array<number>(entry.lastIndex + 1).fill(0))
      // By funnel number, so the walk looks each name up once: null for a funnel no longer kept.
      const countsOf: Array<number[] | null> = []
      const count = (id: number, entry: number) => {
        let counts = countsOf[id]
        if (counts === undefined) countsOf[id] = counts = reached.get(names.text(id)) ?? null
        if (counts) countBits(reachedSteps.value(entry), counts)
      }
      for (let session = 0; session < sessions; session += 1) reachedSteps.forEach(session, count)
      return [...funnels].map(([funnel, entry]) =>
        funnelReport(funnel, reached.get(funnel) ?? [], (stepIndex) => {
          const step = entry.steps[stepIndex]
          return step && { name: step.name, medianMs: step.msSincePrevious.quantile(0.5) }
        }),
      )
    },
  }
}

/**
 * One funnel's report from the sessions that reached each step and, per step, its name and
 * median time since the previous one; shared by the streaming report and the SQL one.
 */
export function funnelReport(
  funnel: string,
  counts: number[],
  stepAt: (stepIndex: number) => { name: string; medianMs: number } | undefined,
): FunnelReport {
  const steps = counts.map((sessionCount, stepIndex) => {
    const step = stepAt(stepIndex)
    const previous = stepIndex > 0 ? counts[stepIndex - 1] : sessionCount
    return {
      stepIndex,
      step: step?.name ?? `#${stepIndex}`,
      sessions: sessionCount,
      conversion: stepIndex === 0 ? 1 : ratio(sessionCount, previous),
      // Sessions may skip a step (deep links), so a later step can exceed the one before.
      dropOff: Math.max(0, previous - sessionCount),
      medianMsSincePrevious: stepIndex === 0 || !step ? null : finite(step.medianMs),
    }
  })
  return { funnel, steps, overallConversion: ratio(counts[counts.length - 1] ?? 0, counts[0] ?? 0) }
}

/** Adds 1 to `counts[i]` for each bit i set in `mask` (up to counts.length). */
export function countBits(mask: number, counts: number[]): void {
  for (let i = 0; i < counts.length; i += 1) if (mask & (1 << i)) counts[i] += 1
}
