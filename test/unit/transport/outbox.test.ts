import { describe, expect, it, vi } from 'vitest'
import { createHealth } from '../../../src/core/health'
import { createStore } from '../../../src/core/storage'
import type { FrictionEvent } from '../../../src/schema'
import { MAX_OUTBOX_CHARS, MAX_OUTBOX_EVENTS, createOutbox } from '../../../src/transport/outbox'

const event = (id: string, pad = '') => ({ id, type: 'track', pad }) as unknown as FrictionEvent
const setup = () => {
  const store = createStore()
  store.setPersistent(true)
  const health = createHealth()
  return { store, health, outbox: createOutbox(store, 'fl:outbox:/e|', health) }
}

describe('createOutbox', () => {
  it('keeps events in localStorage and merges them by id', () => {
    const { outbox } = setup()
    outbox.save([event('a'), event('b')])
    outbox.save([event('b'), event('c')])
    expect(JSON.parse(localStorage.getItem('fl:outbox:/e|')!).map((e: FrictionEvent) => e.id)).toEqual(['a', 'b', 'c'])
    localStorage.clear()
  })

  it('takes events by id and leaves the others', () => {
    const { outbox } = setup()
    outbox.save([event('a'), event('b'), event('c')])
    expect(outbox.take(new Set(['a', 'c'])).map((e) => e.id)).toEqual(['a', 'c'])
    expect(outbox.take().map((e) => e.id)).toEqual(['b'])
    expect(outbox.take()).toEqual([])
    expect(localStorage.getItem('fl:outbox:/e|')).toBeNull()
  })

  it('is bounded by count: the oldest are dropped and counted', () => {
    const { outbox, health } = setup()
    const ids = outbox.save(Array.from({ length: MAX_OUTBOX_EVENTS + 5 }, (_, i) => event('e' + i)))
    expect(ids).toHaveLength(MAX_OUTBOX_EVENTS)
    expect(ids[0]).toBe('e5')
    expect(health.take()?.dropped).toEqual({ 'outbox-full': 5 })
    localStorage.clear()
  })

  it('is bounded by characters', () => {
    const { outbox, health } = setup()
    const big = 'x'.repeat(Math.ceil(MAX_OUTBOX_CHARS / 4))
    const ids = outbox.save(['a', 'b', 'c', 'd', 'e'].map((id) => event(id, big)))
    expect(ids.length).toBeLessThan(5)
    expect(ids.at(-1)).toBe('e') // the newest survive
    expect(localStorage.getItem('fl:outbox:/e|')!.length).toBeLessThanOrEqual(MAX_OUTBOX_CHARS)
    expect(health.take()?.dropped['outbox-full']).toBe(5 - ids.length)
    localStorage.clear()
  })

  it('handles QuotaExceededError by keeping fewer events, never throwing', () => {
    const { outbox, health } = setup()
    const real = localStorage
    const items = new Map<string, string>()
    const quota = {
      getItem: (key: string) => items.get(key) ?? null,
      setItem: vi.fn((key: string, value: string) => {
        if (value.length > 60) throw new DOMException('full', 'QuotaExceededError')
        items.set(key, value)
      }),
      removeItem: (key: string) => void items.delete(key),
      key: () => null,
      length: 0,
    }
    vi.spyOn(window, 'localStorage', 'get').mockReturnValue(quota as unknown as Storage)
    let ids: string[] = []
    expect(() => (ids = outbox.save(['a', 'b', 'c', 'd'].map((id) => event(id))))).not.toThrow()
    expect(ids.length).toBeGreaterThan(0)
    expect(ids.length).toBeLessThan(4)
    expect(health.take()?.dropped['outbox-full']).toBe(4 - ids.length)
    quota.setItem.mockImplementation(() => {
      throw new DOMException('full', 'QuotaExceededError')
    })
    expect(() => outbox.save([event('z')])).not.toThrow()
    vi.restoreAllMocks()
    expect(window.localStorage).toBe(real)
  })

  it('reads a corrupt entry as empty', () => {
    const { outbox } = setup()
    localStorage.setItem('fl:outbox:/e|', '{not json')
    expect(outbox.take()).toEqual([])
    localStorage.setItem('fl:outbox:/e|', '{"a":1}')
    expect(outbox.take()).toEqual([])
    localStorage.clear()
  })
})
