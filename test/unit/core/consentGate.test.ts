import { describe, expect, it } from 'vitest'
import { createConsentGate, type ConsentEffects } from '../../../src/core/consentGate'
import type { FrictionEvent } from '../../../src/schema'

const event = (id: string) => ({ id, type: 'track' }) as unknown as FrictionEvent
const effectsWith = (isPersistent = true) => {
  const calls: string[] = []
  const effects: ConsentEffects = {
    settle: (state) => void calls.push('settle:' + state),
    persist: (state) => (calls.push('persist:' + state), isPersistent && state === 'granted'),
    purge: () => void calls.push('purge'),
    restoreOutbox: () => void calls.push('restoreOutbox'),
    deliver: (e, bytes) => void calls.push('deliver:' + e.id + ':' + bytes),
    drop: (reason) => void calls.push('drop:' + reason),
  }
  return { calls, effects }
}

describe('createConsentGate', () => {
  it.each([
    ['granted', 'send'],
    ['pending', 'hold'],
    ['denied', 'drop'],
  ] as const)('admits events under %s as %s', (state, admission) => {
    expect(createConsentGate(state, effectsWith().effects).admission()).toBe(admission)
  })

  it('releases held events unchanged, in order, after restoring the outbox, on grant', () => {
    const { calls, effects } = effectsWith()
    const gate = createConsentGate('pending', effects)
    gate.hold(event('a'), 10)
    gate.hold(event('b'), 20)
    gate.apply('granted')
    expect(calls).toEqual(['settle:granted', 'persist:granted', 'restoreOutbox', 'deliver:a:10', 'deliver:b:20'])
    expect(gate.state()).toBe('granted')
  })

  it('purges held events and everything stored on deny', () => {
    const { calls, effects } = effectsWith()
    const gate = createConsentGate('pending', effects)
    gate.hold(event('a'), 10)
    gate.apply('denied')
    gate.apply('granted')
    expect(calls).toEqual([
      'settle:denied',
      'persist:denied',
      'purge',
      'settle:granted',
      'persist:granted',
      'restoreOutbox',
    ])
  })

  it('does not read the outbox when storage stays in memory', () => {
    const { calls, effects } = effectsWith(false)
    createConsentGate('pending', effects).apply('granted')
    expect(calls).toEqual(['settle:granted', 'persist:granted'])
  })

  it('holds at most 1000 events, dropping the oldest with a counted reason', () => {
    const { calls, effects } = effectsWith()
    const gate = createConsentGate('pending', effects)
    for (let i = 0; i < 1001; i++) gate.hold(event('e' + i), 1)
    gate.apply('granted')
    expect(calls.filter((call) => call.startsWith('drop'))).toEqual(['drop:consent-pending-full'])
    const delivered = calls.filter((call) => call.startsWith('deliver'))
    expect(delivered.length).toBe(1000)
    expect(delivered[0]).toBe('deliver:e1:1')
  })
})
