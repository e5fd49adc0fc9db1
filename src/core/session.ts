import { createId } from './ids'
import { STORAGE_PREFIX, type Store } from './storage'

export interface Utm {
  source?: string
  medium?: string
  campaign?: string
  term?: string
  content?: string
}

/** Progress of one funnel within a session: the steps reached, in order, and when last. */
export interface FunnelProgress {
  reached: string[]
  lastTs: number
}

/** What lives for one session and is persisted with it. */
export interface SessionState {
  id: string
  lastActivity: number
  isSampled: boolean
  utm: Utm
  experiments: Record<string, string>
  funnels: Record<string, FunnelProgress>
}

export interface Session {
  /** The live session, rotated first if it expired. */
  current(now: number): SessionState
  /** Records activity; persists at most every few seconds unless `hasChanged`. */
  touch(now: number, hasChanged?: boolean): void
  anonymousId(): string
  userId(): string | undefined
  setUserId(userId: string): void
  /** Forgets every identifier (consent revoked); new ones are made on next use. */
  reset(): void
}

const SESSION_KEY = STORAGE_PREFIX + 'session'
const IDENTITY_KEY = STORAGE_PREFIX + 'identity'
const UTM_KEYS = ['source', 'medium', 'campaign', 'term', 'content'] as const
// Writing lastActivity on every event would hit localStorage in bursts; a few seconds of
// slack cannot matter against a timeout counted in minutes.
const TOUCH_WRITE_INTERVAL_MS = 5000

/** Reads `utm_*` parameters of a URL's query string. */
export const parseUtm = (search: string): Utm => {
  const params = new URLSearchParams(search)
  const utm: Utm = {}
  for (const key of UTM_KEYS) {
    const value = params.get('utm_' + key)
    if (value) utm[key] = value.slice(0, 200)
  }
  return utm
}

const readJson = <T>(store: Store, key: string): T | undefined => {
  try {
    return JSON.parse(store.get(key) ?? 'null') ?? undefined
  } catch {
    return undefined
  }
}

/**
 * Session and identity: a session rotates after `timeoutMs` of inactivity and keeps the utm of
 * its landing page, its experiments and funnel progress; the anonymous id outlives sessions.
 */
export const createSession = (
  store: Store,
  timeoutMs: number,
  sampleRate: number,
  landingSearch: () => string,
): Session => {
  let state: SessionState | undefined
  let lastWrite = 0
  const write = (now: number) => {
    lastWrite = now
    store.set(SESSION_KEY, JSON.stringify(state))
  }
  let ids: { anonymousId: string; userId?: string } | undefined
  const identity = () => {
    ids ??= readJson<{ anonymousId: string; userId?: string }>(store, IDENTITY_KEY)
    if (!ids?.anonymousId) {
      ids = { anonymousId: createId() }
      store.set(IDENTITY_KEY, JSON.stringify(ids))
    }
    return ids
  }
  const current = (now: number): SessionState => {
    let stored = state
    // Another tab may have kept the session alive: look at the store before rotating.
    if (!stored || now - stored.lastActivity > timeoutMs) stored = readJson<SessionState>(store, SESSION_KEY)
    if (stored?.id && now - stored.lastActivity <= timeoutMs) return (state = stored)
    state = {
      id: createId(),
      lastActivity: now,
      isSampled: Math.random() < sampleRate,
      utm: parseUtm(landingSearch()),
      experiments: {},
      funnels: {},
    }
    write(now)
    return state
  }
  return {
    current,
    touch(now, hasChanged) {
      const live = current(now)
      live.lastActivity = now
      if (hasChanged || now - lastWrite > TOUCH_WRITE_INTERVAL_MS) write(now)
    },
    anonymousId: () => identity().anonymousId,
    userId: () => identity().userId,
    setUserId(userId) {
      ids = { ...identity(), userId }
      store.set(IDENTITY_KEY, JSON.stringify(ids))
    },
    reset() {
      state = ids = undefined
      // The store may be the in-memory one (storage 'memory', consent pending): forget there too.
      store.remove(SESSION_KEY)
      store.remove(IDENTITY_KEY)
    },
  }
}
