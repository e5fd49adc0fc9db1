import type { ReplayReport } from './types'

/** Sessions listed in the report (the most recent first); text and HTML show fewer. */
export const MAX_REPLAY_SESSIONS = 50

/**
 * Recorded sessions kept in memory while reading: past this, the least recent half is
 * forgotten (a session seen again afterwards restarts its counts, so they are lower bounds).
 */
const MAX_TRACKED_REPLAY_SESSIONS = 10_000

interface ReplayState {
  pages: Set<string>
  chunks: number
  bytes: number
  firstTs: number
  lastTs: number
}

/** The fields of a stored `replay` event this reads; anything malformed is tolerated. */
interface ReplayLike {
  sessionId?: unknown
  pageId?: unknown
  ts?: unknown
  events?: unknown
  startTs?: unknown
  endTs?: unknown
}

const finite = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined

/**
 * Size of a chunk's payload: the base64 text of a compressed chunk, else its JSON (the ClickHouse
 * sink stores it too).
 */
export const payloadBytes = (events: unknown): number => {
  if (typeof events === 'string') return events.length
  if (!Array.isArray(events)) return 0
  try {
    return Buffer.byteLength(JSON.stringify(events))
  } catch {
    return 0
  }
}

/**
 * Recorded sessions from `replay` chunks: per session the page views recorded, the number of
 * chunks, their payload bytes and the time span they cover (`startTs`/`endTs` of the chunks,
 * the event `ts` when those are missing). Events may arrive in any order.
 */
export function createReplayAccumulator() {
  const sessions = new Map<string, ReplayState>()
  let evicted = 0

  const evict = () => {
    const byRecency = [...sessions].sort((a, b) => a[1].lastTs - b[1].lastTs)
    const drop = byRecency.slice(0, Math.floor(byRecency.length / 2))
    for (const [id] of drop) sessions.delete(id)
    evicted += drop.length
  }

  return {
    add(event: ReplayLike): void {
      const id = typeof event.sessionId === 'string' ? event.sessionId : '(unknown)'
      const ts = finite(event.ts)
      const start = finite(event.startTs) ?? ts
      const end = finite(event.endTs) ?? ts
      let state = sessions.get(id)
      if (state === undefined) {
        if (sessions.size >= MAX_TRACKED_REPLAY_SESSIONS) evict()
        state = { pages: new Set(), chunks: 0, bytes: 0, firstTs: Infinity, lastTs: -Infinity }
        sessions.set(id, state)
      }
      if (typeof event.pageId === 'string') state.pages.add(event.pageId)
      state.chunks += 1
      state.bytes += payloadBytes(event.events)
      if (start !== undefined && start < state.firstTs) state.firstTs = start
      if (end !== undefined && end > state.lastTs) state.lastTs = end
    },
    /** The `limit` most recent sessions (by their last recorded time), and how many were forgotten. */
    result(limit = MAX_REPLAY_SESSIONS): { sessions: ReplayReport; evicted: number } {
      const rows = [...sessions]
        .map(([sessionId, s]) => {
          const firstTs = Number.isFinite(s.firstTs) ? s.firstTs : null
          const lastTs = Number.isFinite(s.lastTs) ? s.lastTs : null
          return {
            sessionId,
            pages: s.pages.size,
            chunks: s.chunks,
            bytes: s.bytes,
            firstTs,
            lastTs,
            durationMs: firstTs !== null && lastTs !== null ? lastTs - firstTs : null,
          }
        })
        .sort((a, b) => (b.lastTs ?? -Infinity) - (a.lastTs ?? -Infinity) || (a.sessionId < b.sessionId ? -1 : 1))
      return { sessions: { sessions: sessions.size, list: rows.slice(0, limit) }, evicted }
    },
  }
}
