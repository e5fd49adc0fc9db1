import { describe, expect, it } from 'vitest'
import { MAX_BATCH_EVENTS, batchEnvelopeSchema, batchSchema, eventSchema, toJSONSchema } from '../../../src/schema'
import { eventOf } from './fixtures'

const good = eventOf('scroll')
const bad = { ...eventOf('scroll'), depthPct: 101 }
const batchOf = (events: unknown[], extra: object = {}) => ({
  v: 1,
  site: 'landing',
  sentAt: 1732350000000,
  events,
  ...extra,
})

describe('batchSchema', () => {
  it('accepts a version 1 batch, with or without site', () => {
    expect(batchSchema.safeParse(batchOf([good, eventOf('page')])).success).toBe(true)
    expect(batchSchema.safeParse({ v: 1, sentAt: 1732350000000, events: [good] }).success).toBe(true)
  })

  it.each([
    // [what, batch, path of the expected issue]
    ['another version', batchOf([good], { v: 2 }), ['v']],
    ['no events', batchOf([]), ['events']],
    ['too many events', batchOf(Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => good)), ['events']],
    ['a missing sentAt', { v: 1, events: [good] }, ['sentAt']],
    ['a site over 200 characters', batchOf([good], { site: 's'.repeat(201) }), ['site']],
    ['one bad event', batchOf([good, bad]), ['events', 1, 'depthPct']],
  ])('rejects %s', (_what, batch, path) => {
    const result = batchSchema.safeParse(batch)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path)
  })
})

describe('batchEnvelopeSchema', () => {
  it('accepts a batch with one bad event, which is then rejected alone', () => {
    const envelope = batchEnvelopeSchema.parse(batchOf([good, bad, 'not an event']))
    const results = envelope.events.map((raw) => eventSchema.safeParse(raw).success)
    expect(results).toEqual([true, false, false])
  })

  it('still checks the envelope itself', () => {
    expect(batchEnvelopeSchema.safeParse(batchOf([good], { v: '1' })).success).toBe(false)
    expect(batchEnvelopeSchema.safeParse(batchOf([])).success).toBe(false)
    expect(batchEnvelopeSchema.safeParse({ v: 1, sentAt: 1, events: {} }).success).toBe(false)
  })
})

describe('toJSONSchema', () => {
  it('describes the batch as JSON Schema, with every event type', () => {
    const schema = toJSONSchema()
    expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['v', 'sentAt', 'events']) })
    const text = JSON.stringify(schema)
    for (const type of ['page', 'rage_click', 'sdk_health']) expect(text).toContain(`"const":"${type}"`)
  })
})
