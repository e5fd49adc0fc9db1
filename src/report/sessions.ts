import type { FrictionEvent } from '../schema/index'
import { createByteInterner } from './byteInterner'
import { grow } from './grow'
import { createInterner } from './interner'
import type { SessionTable } from './sessionTable'

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

/** Bits of a session's flags column; the worst LCP rank (0–3) sits above them. */
const GOAL = 1
const ERROR = 2
const LCP_SHIFT = 2

const INITIAL_SESSIONS = 1024

/** The session columns' part of the {@link SessionTable}; the experiments and funnels add the rest. */
export type SessionColumns = Omit<SessionTable, 'funnelMask' | 'forEachExposure'>

/**
 * Creates the session tracker: `session(event)` returns the number of the event's session,
 * under which the accumulators keep what they must remember about it for the joins at the end
 * (see {@link SessionTable}). That is the only state that grows with the data, so it is packed:
 * here a row of typed-array columns per session (first `ts`, visitor, device and source as
 * interned numbers, flags), about 25 bytes, and the session and visitor ids as bytes, where an
 * object with its own strings, Maps and Sets cost about a kilobyte.
 */
export function createSessionTracker() {
  // Session and visitor ids as bytes, one or two per session: the bulk of what is left per session.
  const ids = createByteInterner()
  const visitors = createByteInterner()
  // Devices and sources: a few distinct strings, shared by every session that has them.
  const segments = createInterner()
  const unknownDevice = segments.id('(unknown)')
  const direct = segments.id('direct')
  let firstTs = new Float64Array(INITIAL_SESSIONS).fill(Infinity)
  let visitor = new Int32Array(INITIAL_SESSIONS).fill(-1)
  let device = new Int32Array(INITIAL_SESSIONS).fill(unknownDevice)
  let source = new Int32Array(INITIAL_SESSIONS).fill(direct)
  let flags = new Uint8Array(INITIAL_SESSIONS)
  // A session's events are stored together (one batch, one page): the previous lookup is
  // usually the answer, and comparing two strings costs less than hashing one.
  let lastId: string | undefined
  let lastSession = -1
  let lastVisitor: string | undefined

  const numberOf = (id: string): number => {
    const session = ids.id(id)
    if (session === firstTs.length) {
      firstTs = grow(firstTs, session + 1, Infinity)
      visitor = grow(visitor, session + 1, -1)
      device = grow(device, session + 1, unknownDevice)
      source = grow(source, session + 1, direct)
      flags = grow(flags, session + 1)
    }
    return session
  }

  return {
    session(event: FrictionEvent): number {
      const id = typeof event.sessionId === 'string' ? event.sessionId : '(unknown)'
      const session = id === lastId ? lastSession : numberOf(id)
      const ts = event.ts
      if (typeof ts === 'number' && ts < firstTs[session]) {
        firstTs[session] = ts
        const anonymousId = event.anonymousId
        // '(unknown)' is what the report calls a missing visitor: a visitor of that name is none.
        if (typeof anonymousId === 'string') {
          visitor[session] = anonymousId === '(unknown)' ? -1 : visitors.id(anonymousId)
        }
        const deviceType = event.context?.deviceType
        device[session] =
          typeof deviceType === 'string' && deviceType.length > 0 ? segments.id(deviceType) : unknownDevice
        source[session] = segments.id(sourceOf(event))
      }
      lastId = id
      lastSession = session
      const anonymousId = event.anonymousId
      if (typeof anonymousId === 'string' && anonymousId !== lastVisitor) {
        visitors.id(anonymousId)
        lastVisitor = anonymousId
      }
      return session
    },
    /** The session tracked the `--goal` event. */
    markGoal(session: number) {
      flags[session] |= GOAL
    },
    /** An error event was stored for the session. */
    markError(session: number) {
      flags[session] |= ERROR
    },
    /** An LCP of `rank` (LCP_RANK) was reported: the session keeps its worst. */
    rateLcp(session: number, rank: number) {
      if (rank > flags[session] >> LCP_SHIFT) flags[session] = (flags[session] & (GOAL | ERROR)) | (rank << LCP_SHIFT)
    },
    /** The columns as the joins read them, for the sessions seen so far. */
    columns(): SessionColumns {
      const count = ids.size
      const returning = returningSessions(count, visitor, firstTs, visitors.size)
      return {
        count,
        firstTs: (session) => firstTs[session],
        device: (session) => segments.text(device[session]),
        source: (session) => segments.text(source[session]),
        isReturning: (session) => returning[session] === 1,
        hasGoal: (session) => (flags[session] & GOAL) !== 0,
        hadError: (session) => (flags[session] & ERROR) !== 0,
        worstLcp: (session) => flags[session] >> LCP_SHIFT,
      }
    },
    get sessions() {
      return ids.size
    },
    get visitors() {
      return visitors.size
    },
  }
}

/**
 * 1 for each session of a visitor that is not its earliest stored one (the first in order among
 * equal times). A visitor whose first visit predates the stored data counts as new on its first
 * stored session; sessions without a visitor (-1) are never returning.
 */
function returningSessions(count: number, visitor: Int32Array, firstTs: Float64Array, visitors: number): Uint8Array {
  const first = new Int32Array(visitors).fill(-1)
  for (let session = 0; session < count; session += 1) {
    const v = visitor[session]
    if (v >= 0 && (first[v] < 0 || firstTs[session] < firstTs[first[v]])) first[v] = session
  }
  const returning = new Uint8Array(count)
  for (let session = 0; session < count; session += 1) {
    const v = visitor[session]
    if (v >= 0 && first[v] !== session) returning[session] = 1
  }
  return returning
}
