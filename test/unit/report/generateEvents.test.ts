// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { emptyTruth, generateEvents } from './fixtures'

describe('generateEvents', () => {
  it('yields the same events with shareContext, one context object per run of a session', () => {
    const plain = [...generateEvents(4_000, emptyTruth(), 8)]
    const shared = [...generateEvents(4_000, emptyTruth(), 8, { shareContext: true })]
    expect(shared.map((event) => JSON.stringify(event))).toEqual(plain.map((event) => JSON.stringify(event)))
    const contexts = new Set(shared.map((event) => event.context))
    const sessions = new Set(shared.map((event) => event.sessionId))
    // Before and after the exposure: about two per session, far fewer than one per event.
    expect(contexts.size).toBeLessThanOrEqual(2 * sessions.size)
    expect(new Set(plain.map((event) => event.context)).size).toBe(plain.length)
  })
})
