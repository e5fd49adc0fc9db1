import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSession, parseUtm } from '../../../src/core/session'
import { createStore } from '../../../src/core/storage'

describe('parseUtm', () => {
  it.each([
    [
      '?utm_source=news&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=hero',
      { source: 'news', medium: 'email', campaign: 'spring', term: 'shoes', content: 'hero' },
    ],
    ['?utm_source=a%20b', { source: 'a b' }],
    ['?utm_source=&q=1', {}],
    ['', {}],
    ['?UTM_SOURCE=x', {}], // parameter names are case-sensitive, as in GA
    ['?utm_source=' + 'x'.repeat(300), { source: 'x'.repeat(200) }],
  ])('reads %s', (search, expected) => {
    expect(parseUtm(search)).toEqual(expected)
  })
})

describe('createSession', () => {
  const MINUTE = 60_000
  let search = '?utm_source=landing'
  beforeEach(() => {
    vi.useFakeTimers()
    vi.setSystemTime(new Date('2026-01-01T10:00:00Z'))
    search = '?utm_source=landing'
    localStorage.clear()
  })
  afterEach(() => {
    vi.useRealTimers()
    localStorage.clear()
  })
  const persistentStore = () => {
    const store = createStore()
    store.setPersistent(true)
    return store
  }

  it('keeps the session while activity continues within the timeout', () => {
    const session = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    const first = session.current(Date.now()).id
    for (let i = 0; i < 5; i++) {
      vi.advanceTimersByTime(20 * MINUTE)
      session.touch(Date.now())
    }
    expect(session.current(Date.now()).id).toBe(first)
  })

  it('rotates after sessionTimeoutMin of inactivity', () => {
    const session = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    const first = session.current(Date.now()).id
    vi.setSystemTime(Date.now() + 30 * MINUTE + 1)
    expect(session.current(Date.now()).id).not.toBe(first)
  })

  it('keeps the landing page utm for the whole session, and takes new utm only with a new session', () => {
    const session = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    expect(session.current(Date.now()).utm).toEqual({ source: 'landing' })
    search = '?utm_source=later'
    session.touch(Date.now() + MINUTE)
    expect(session.current(Date.now() + MINUTE).utm).toEqual({ source: 'landing' })
    expect(session.current(Date.now() + 40 * MINUTE).utm).toEqual({ source: 'later' })
  })

  it('resets experiments and funnel progress with a new session', () => {
    const session = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    const live = session.current(Date.now())
    live.experiments.hero = 'B'
    live.funnels.checkout = { reached: ['cart'], lastTs: Date.now() }
    session.touch(Date.now(), true)
    const next = session.current(Date.now() + 31 * MINUTE)
    expect(next.experiments).toEqual({})
    expect(next.funnels).toEqual({})
  })

  it('continues a session stored by an earlier page', () => {
    const first = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    const live = first.current(Date.now())
    live.experiments.hero = 'B'
    first.touch(Date.now(), true)
    const second = createSession(persistentStore(), 30 * MINUTE, 1, () => '')
    expect(second.current(Date.now() + MINUTE)).toMatchObject({
      id: live.id,
      experiments: { hero: 'B' },
      utm: { source: 'landing' },
    })
  })

  it('persists anonymousId and userId in localStorage in local mode', () => {
    const session = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    const anonymousId = session.anonymousId()
    session.setUserId('u1')
    expect(localStorage.getItem('fl:identity')).toContain(anonymousId)
    const again = createSession(persistentStore(), 30 * MINUTE, 1, () => search)
    expect(again.anonymousId()).toBe(anonymousId)
    expect(again.userId()).toBe('u1')
  })

  it('never writes to localStorage in memory mode', () => {
    const session = createSession(createStore(), 30 * MINUTE, 1, () => search)
    session.anonymousId()
    session.setUserId('u1')
    session.touch(Date.now(), true)
    expect(localStorage.length).toBe(0)
    expect(createSession(createStore(), 30 * MINUTE, 1, () => search).anonymousId()).not.toBe(session.anonymousId())
  })

  it('forgets every identifier on reset', () => {
    const session = createSession(createStore(), 30 * MINUTE, 1, () => search)
    const anonymousId = session.anonymousId()
    const sessionId = session.current(Date.now()).id
    session.setUserId('u1')
    session.reset()
    expect(session.userId()).toBeUndefined()
    expect(session.anonymousId()).not.toBe(anonymousId)
    expect(session.current(Date.now()).id).not.toBe(sessionId)
  })

  it('samples once per session', () => {
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.7)
    const session = createSession(createStore(), 30 * MINUTE, 0.5, () => search)
    expect(session.current(Date.now()).isSampled).toBe(false)
    random.mockReturnValue(0.1)
    expect(session.current(Date.now()).isSampled).toBe(false)
    expect(session.current(Date.now() + 31 * MINUTE).isSampled).toBe(true)
  })
})
