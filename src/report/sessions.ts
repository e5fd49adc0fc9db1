import type { FrictionEvent } from '../schema/index'

/**
 * What the report must remember about one session to join, at the end, exposures with
 * conversions and speed: the only state that grows with the data, one small record per
 * session (a few hundred bytes), since a conversion may be stored before the exposure.
 */
export interface SessionState {
  /** Experiment → the first variant the session was exposed to. */
  exposures: Map<string, string> | undefined
  /** Experiments in which the session saw a second, different variant. */
  mixed: Set<string> | undefined
  /** Funnel → bit mask of the step indexes reached. */
  funnelSteps: Map<string, number> | undefined
  /** Whether the session tracked the `--goal` event. */
  hasGoal: boolean
  /** Worst LCP rating reported: 0 none, then LCP_RANK. */
  worstLcp: number
}

/** Rank of each LCP rating for "worst of the session": higher is worse, 0 means no report. */
export const LCP_RANK: Readonly<Record<string, number>> = { good: 1, 'needs-improvement': 2, poor: 3 }

/** Creates the session table: `session(event)` returns the record of the event's session. */
export function createSessionTracker() {
  const sessions = new Map<string, SessionState>()
  const visitors = new Set<string>()
  return {
    session(event: FrictionEvent): SessionState {
      const id = typeof event.sessionId === 'string' ? event.sessionId : '(unknown)'
      let state = sessions.get(id)
      if (state === undefined) {
        state = { exposures: undefined, mixed: undefined, funnelSteps: undefined, hasGoal: false, worstLcp: 0 }
        sessions.set(id, state)
      }
      if (typeof event.anonymousId === 'string') visitors.add(event.anonymousId)
      return state
    },
    /** Every session's record, for the joins at the end. */
    all: (): Iterable<SessionState> => sessions.values(),
    get sessions() {
      return sessions.size
    },
    get visitors() {
      return visitors.size
    },
  }
}
