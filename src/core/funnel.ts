import type { Debug } from '../lib/debug'
import type { Funnel } from './types'
import type { FunnelProgress } from './session'

export interface FunnelHost {
  /** This session's progress record for `name`, created when missing. */
  progress(name: string): FunnelProgress
  /** Persists the session after progress changed. */
  save(): void
  emitStep(fields: {
    funnel: string
    step: string
    stepIndex: number
    msSincePrevious: number | null
    props: Record<string, unknown>
  }): void
  debug: Debug
  now(): number
}

/**
 * A funnel over ordered `steps`. Progress lives in the session, so a checkout that spans page
 * loads continues where it was; a step out of order keeps its real index; a step reached
 * before in this session is not counted twice.
 */
export const createFunnel = <S extends string>(name: string, steps: readonly S[], host: FunnelHost): Funnel<S> => ({
  step(step, props = {}) {
    const list: readonly string[] = steps
    // Declarative funnels (data-fl-funnel) have no step list: a new step is appended in the
    // order it is first reached.
    const progress = host.progress(name)
    if (progress.reached.includes(step)) return host.debug('repeated-funnel-step', name + ':' + step)
    let stepIndex = list.indexOf(step)
    if (stepIndex < 0) {
      if (list.length) return host.debug('unknown-funnel-step', name + ':' + step)
      stepIndex = progress.reached.length
    }
    const now = host.now()
    host.emitStep({
      funnel: name,
      step,
      stepIndex,
      msSincePrevious: progress.reached.length ? Math.max(0, now - progress.lastTs) : null,
      props,
    })
    progress.reached.push(step)
    progress.lastTs = now
    host.save()
  },
})
