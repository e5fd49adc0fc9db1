import type { FrictionEvent } from '../schema/index'

/**
 * What the report must remember about one session to join, at the end, exposures with
 * conversions and speed: the only state that grows with the data, one small record per
 * session (a few hundred bytes, plus the paths viewed and friction signals met, at most 50
 * each, for the friction cost), since a conversion may be stored before the exposure.
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
  /** Earliest `ts` seen (the landing), and the segments read from that event's context. */
  firstTs: number
  visitor: string
  device: string
  /** utm_source of the landing, else the referrer's host, else 'direct'. */
  source: string
  /** Whether any error event was stored for the session. */
  hadError: boolean
  /** Experiment → guardrail bits (GUARD_*) of events that carried the exposure in their context. */
  guards: Map<string, number> | undefined
  /** Paths the session viewed and friction signals it met (`kind\u0000signal\u0000path`), both capped. */
  pages: Set<string> | undefined
  signals: Set<string> | undefined
  /** Quick-back, scroll and field keys already counted for this session (capped), to count sessions once. */
  hesitations: Set<string> | undefined
}

/** Landing source of an event: utm_source, else the referrer's host when it is another site, else 'direct'. */
export function sourceOf(event: FrictionEvent): string {
  const context = event.context
  const utm = context?.utm?.source
  if (typeof utm === 'string' && utm !== '') return utm.toLowerCase()
  const referrer = context?.referrer
  if (typeof referrer !== 'string' || referrer === '') return 'direct'
  const host = hostOf(referrer)
  return host === '' || host === hostOf(typeof event.url === 'string' ? event.url : '') ? 'direct' : host
}

const hostOf = (url: string): string => {
  const scheme = url.indexOf('://')
  if (scheme < 0) return ''
  const rest = url.slice(scheme + 3)
  const end = rest.search(/[/?#]/)
  return (end < 0 ? rest : rest.slice(0, end)).replace(/^www\./, '').toLowerCase()
}

/** Rank of each LCP rating for "worst of the session": higher is worse, 0 means no report. */
export const LCP_RANK: Readonly<Record<string, number>> = { good: 1, 'needs-improvement': 2, poor: 3 }

/** Creates the session table: `session(event)` returns the record of the event's session. */
export function createSessionTracker() {
  const sessions = new Map<string, SessionState>()
  const visitors = new Set<string>()
  // A session's events are stored together (one batch, one page): the previous lookup is
  // usually the answer, and comparing two strings costs less than hashing one.
  let lastId: string | undefined
  let lastState: SessionState | undefined
  let lastVisitor: string | undefined
  return {
    session(event: FrictionEvent): SessionState {
      const id = typeof event.sessionId === 'string' ? event.sessionId : '(unknown)'
      let state = id === lastId ? lastState : sessions.get(id)
      if (state === undefined) {
        state = {
          exposures: undefined,
          mixed: undefined,
          funnelSteps: undefined,
          hasGoal: false,
          worstLcp: 0,
          firstTs: Infinity,
          visitor: '(unknown)',
          device: '(unknown)',
          source: 'direct',
          hadError: false,
          guards: undefined,
          pages: undefined,
          signals: undefined,
          hesitations: undefined,
        }
        sessions.set(id, state)
      }
      if (typeof event.ts === 'number' && event.ts < state.firstTs) {
        state.firstTs = event.ts
        if (typeof event.anonymousId === 'string') state.visitor = event.anonymousId
        const device = event.context?.deviceType
        state.device = typeof device === 'string' && device.length > 0 ? device : '(unknown)'
        state.source = sourceOf(event)
      }
      lastId = id
      lastState = state
      const visitor = event.anonymousId
      if (typeof visitor === 'string' && visitor !== lastVisitor) {
        visitors.add(visitor)
        lastVisitor = visitor
      }
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
