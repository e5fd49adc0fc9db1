import { describe, expect, it } from 'vitest'
import {
  MAX_REPLAY_CHUNK_CHARS,
  MAX_TIMESTAMP,
  MIN_TIMESTAMP,
  TS_WINDOW_FUTURE_MS,
  TS_WINDOW_PAST_MS,
  batchSchema,
  eventSchema,
  timestampIssue,
  toJSONSchema,
} from '../../../src/schema'
import { envelope, eventOf, valid } from './fixtures'

const SENT_AT = 1732350000000
const batchOf = (events: unknown[]) => ({ v: 1, site: 'landing', sentAt: SENT_AT, events })
const withContext = (context: object) => ({ ...eventOf('scroll'), context: { ...envelope.context, ...context } })

describe('bounded strings', () => {
  it.each([
    ['a userAgent over 2048 characters', withContext({ userAgent: 'u'.repeat(2049) }), ['context', 'userAgent']],
    ['a language over 100', withContext({ language: 'l'.repeat(101) }), ['context', 'language']],
    ['a timezone over 100', withContext({ timezone: 't'.repeat(101) }), ['context', 'timezone']],
    ['a referrer over 4096', withContext({ referrer: 'r'.repeat(4097) }), ['context', 'referrer']],
    ['a utm value over 200', withContext({ utm: { campaign: 'c'.repeat(201) } }), ['context', 'utm', 'campaign']],
    [
      'an experiment variant over 200',
      withContext({ experiments: { x: 'v'.repeat(201) } }),
      ['context', 'experiments', 'x'],
    ],
    [
      'an sdk version over 100',
      withContext({ sdk: { name: 'frictionlog', version: 'v'.repeat(101) } }),
      ['context', 'sdk', 'version'],
    ],
    [
      'a props key over 200',
      eventOf('track', { name: 'n', props: { ['k'.repeat(201)]: 1 } }),
      ['props', 'k'.repeat(201)],
    ],
    [
      'a dropped reason over 200',
      eventOf('sdk_health', { ...valid.sdk_health, dropped: { ['r'.repeat(201)]: 1 } }),
      ['dropped', 'r'.repeat(201)],
    ],
    ['a site over 200', { ...eventOf('scroll'), site: 's'.repeat(201) }, ['site']],
    [
      'a replay string chunk over the limit',
      eventOf('replay', { ...valid.replay, events: 'H'.repeat(MAX_REPLAY_CHUNK_CHARS + 1) }),
      ['events'],
    ],
  ])('rejects %s', (_what, raw, path) => {
    const result = eventSchema.safeParse(raw)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path.map(String))).toContainEqual(path.map(String))
  })

  it('keeps `site` on an event', () => {
    expect(eventSchema.parse({ ...eventOf('scroll'), site: 'landing' })).toMatchObject({ site: 'landing' })
  })

  it('has a maxLength on every string of the JSON Schema', () => {
    const unbounded: string[] = []
    const walk = (node: unknown, path: string) => {
      if (typeof node !== 'object' || node === null) return
      const schema = node as Record<string, unknown>
      const types = Array.isArray(schema.type) ? schema.type : [schema.type]
      if (types.includes('string') && !('maxLength' in schema) && !('const' in schema) && !('enum' in schema))
        unbounded.push(path)
      for (const [key, child] of Object.entries(schema)) walk(child, `${path}/${key}`)
    }
    walk(toJSONSchema(), '#')
    expect(unbounded).toEqual([])
  })
})

describe('bounded timestamps', () => {
  it.each([
    ['ts 9e15', { ...eventOf('scroll'), ts: 9_000_000_000_000_000 }, ['ts']],
    ['ts before 2000', { ...eventOf('scroll'), ts: MIN_TIMESTAMP - 1 }, ['ts']],
    ['ts after 2100', { ...eventOf('scroll'), ts: MAX_TIMESTAMP + 1 }, ['ts']],
    ['a replay startTs of 1e300', eventOf('replay', { ...valid.replay, startTs: 1e300 }), ['startTs']],
    ['a replay endTs of -1', eventOf('replay', { ...valid.replay, endTs: -1 }), ['endTs']],
  ])('rejects %s', (_what, raw, path) => {
    const result = eventSchema.safeParse(raw)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path)
  })

  it('rejects a sentAt outside 2000–2100', () => {
    expect(batchSchema.safeParse({ ...batchOf([eventOf('scroll')]), sentAt: 1e300 }).success).toBe(false)
    expect(batchSchema.safeParse({ ...batchOf([eventOf('scroll')]), sentAt: 1 }).success).toBe(false)
  })

  it.each([
    ['at sentAt', SENT_AT, undefined],
    ['30 days before', SENT_AT - TS_WINDOW_PAST_MS, undefined],
    ['30 days and 1 ms before', SENT_AT - TS_WINDOW_PAST_MS - 1, 'ts'],
    ['10 minutes after', SENT_AT + TS_WINDOW_FUTURE_MS, undefined],
    ['10 minutes and 1 ms after', SENT_AT + TS_WINDOW_FUTURE_MS + 1, 'ts'],
  ])('checks ts %s the batch sentAt', (_what, ts, issue) => {
    expect(timestampIssue({ ts }, SENT_AT)).toBe(issue)
    const result = batchSchema.safeParse(batchOf([{ ...eventOf('scroll'), ts }]))
    expect(result.success).toBe(issue === undefined)
    if (issue) expect(result.error?.issues.map((i) => i.path)).toContainEqual(['events', 0, 'ts'])
  })

  it('checks replay startTs and endTs against sentAt too', () => {
    const replay = eventOf('replay', { ...valid.replay, startTs: SENT_AT - TS_WINDOW_PAST_MS - 5 })
    expect(timestampIssue(replay, SENT_AT)).toBe('startTs')
    expect(batchSchema.safeParse(batchOf([replay])).success).toBe(false)
  })
})
