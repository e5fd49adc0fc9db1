import { describe, expect, it, vi } from 'vitest'
import { initialConsent } from '../../../src/core/consent'
import { createStore } from '../../../src/core/storage'
import { setVisibility, startTracker } from './helpers'

const flKeys = () => Object.keys(localStorage).filter((key) => key.startsWith('fl:'))

describe('initialConsent', () => {
  it.each<[string, () => void, boolean, string]>([
    ['no signal', () => {}, true, 'granted'],
    [
      'Global Privacy Control',
      () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true }),
      true,
      'denied',
    ],
    [
      'Do Not Track',
      () => Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true }),
      true,
      'denied',
    ],
    [
      'GPC with respectPrivacySignals false',
      () => Object.defineProperty(navigator, 'globalPrivacyControl', { value: true, configurable: true }),
      false,
      'granted',
    ],
    [
      'DNT with respectPrivacySignals false',
      () => Object.defineProperty(navigator, 'doNotTrack', { value: '1', configurable: true }),
      false,
      'granted',
    ],
  ])('with %s gives %s', (_name, arrange, respect, expected) => {
    arrange()
    expect(initialConsent('granted', respect)).toBe(expected)
    delete (navigator as any).globalPrivacyControl
    delete (navigator as any).doNotTrack
  })
})

describe('createStore', () => {
  it('keeps values in memory until made persistent, then moves them to localStorage', () => {
    const store = createStore()
    store.set('fl:a', '1')
    expect(localStorage.getItem('fl:a')).toBeNull()
    store.setPersistent(true)
    expect(localStorage.getItem('fl:a')).toBe('1')
    expect(store.get('fl:a')).toBe('1')
  })

  it('purges every fl: key, and only those, when leaving localStorage', () => {
    localStorage.setItem('app:theme', 'dark')
    const store = createStore()
    store.setPersistent(true)
    store.set('fl:a', '1')
    store.set('fl:b', '2')
    store.setPersistent(false)
    expect(flKeys()).toEqual([])
    expect(localStorage.getItem('app:theme')).toBe('dark')
  })

  it('reports a failed write instead of throwing (QuotaExceededError)', () => {
    const store = createStore()
    store.setPersistent(true)
    const full = {
      getItem: () => null,
      removeItem: () => {},
      key: () => null,
      length: 0,
      setItem: vi.fn(() => {
        throw new DOMException('full', 'QuotaExceededError')
      }),
    }
    vi.spyOn(window, 'localStorage', 'get').mockReturnValue(full as unknown as Storage)
    expect(store.set('fl:a', '1')).toBe(false)
    expect(full.setItem).toHaveBeenCalled()
  })
})

describe('consent in the tracker', () => {
  it("holds events in memory and writes nothing to localStorage while 'pending'", async () => {
    const { tracker, transport } = startTracker({ consent: 'pending' })
    tracker.track('a')
    tracker.identify('u1')
    await tracker.flush()
    setVisibility('hidden')
    expect(transport).not.toHaveBeenCalled()
    expect(flKeys()).toEqual([])
  })

  it("sends the held events with their original ids and times once 'granted'", async () => {
    const seen: string[] = []
    const { tracker, events } = startTracker({ consent: 'pending', beforeSend: (e) => (seen.push(e.id), e) })
    tracker.track('a')
    tracker.consent('granted')
    await tracker.flush()
    expect(events().map((e) => e.id)).toEqual(seen)
    expect(events().map((e) => e.type)).toEqual(['page', 'track'])
    expect(flKeys()).toContain('fl:identity')
  })

  it("drops everything and persists nothing when 'denied' from the start", async () => {
    const { tracker, transport } = startTracker({ consent: 'denied' })
    tracker.track('a')
    await tracker.flush()
    setVisibility('hidden')
    expect(transport).not.toHaveBeenCalled()
    expect(flKeys()).toEqual([])
  })

  it("purges every fl: key and the queued events when moving to 'denied' at run time", async () => {
    const { tracker, transport } = startTracker({}, () => ({ ok: false }))
    tracker.identify('u1')
    await tracker.flush() // fails: events parked in the outbox
    expect(flKeys().some((key) => key.startsWith('fl:outbox'))).toBe(true)
    transport.mockClear()
    tracker.consent('denied')
    expect(flKeys()).toEqual([])
    tracker.track('after')
    setVisibility('hidden')
    expect(transport).not.toHaveBeenCalled()
  })

  it('forgets the identifiers when denied, so a later grant starts a new visitor', async () => {
    const { tracker, events } = startTracker({ storage: 'memory' })
    tracker.identify('u1')
    await tracker.flush()
    tracker.consent('denied')
    tracker.consent('granted')
    tracker.track('b')
    await tracker.flush()
    const [before, after] = [events('identify')[0], events('track')[0]]
    expect(after.anonymousId).not.toBe(before.anonymousId)
    expect(after.userId).toBeUndefined()
  })

  it.each([
    ['Global Privacy Control', 'globalPrivacyControl', true],
    ['Do Not Track', 'doNotTrack', '1'],
  ])('treats %s as denied unless respectPrivacySignals is false', async (_name, key, value) => {
    Object.defineProperty(navigator, key, { value, configurable: true })
    const denied = startTracker()
    denied.tracker.track('a')
    await denied.tracker.flush()
    expect(denied.transport).not.toHaveBeenCalled()
    const allowed = startTracker({ respectPrivacySignals: false })
    allowed.tracker.track('a')
    await allowed.tracker.flush()
    expect(allowed.events('track')).toHaveLength(1)
  })

  it("writes no identifier to localStorage in 'memory' storage mode", async () => {
    const { tracker, events } = startTracker({ storage: 'memory' })
    tracker.identify('u1')
    await tracker.flush()
    expect(events('identify')).toHaveLength(1)
    expect(flKeys()).toEqual([])
  })

  it("persists the anonymousId in localStorage in 'local' mode", async () => {
    const { tracker, events } = startTracker()
    await tracker.flush()
    expect(localStorage.getItem('fl:identity')).toContain(events()[0].anonymousId)
  })
})
