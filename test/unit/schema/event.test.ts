import { describe, expect, it } from 'vitest'
import { EVENT_TYPES, MAX_TEXT_LENGTH, envelopeSchema, eventSchema, eventSchemas } from '../../../src/schema'
import { envelope, eventOf, valid } from './fixtures'

describe('eventSchema', () => {
  it('has a valid example for every event type, and the same types as eventSchemas', () => {
    expect(Object.keys(valid).sort()).toEqual([...EVENT_TYPES].sort())
    expect(EVENT_TYPES).toHaveLength(22)
    for (const [type, schema] of Object.entries(eventSchemas)) expect(schema.shape.type.value).toBe(type)
  })

  it.each(EVENT_TYPES)('parses a valid %s event, with its own schema and with the union', (type) => {
    const raw = eventOf(type)
    expect(eventSchemas[type].parse(raw)).toEqual(raw)
    expect(eventSchema.parse(raw)).toEqual(raw)
  })

  it.each([
    // [what, type, fields]
    ['a feedback score', 'feedback', { question: 'NPS?', answer: 9 }],
    [
      'a compressed replay chunk',
      'replay',
      { seq: 3, events: 'H4sIAAAA', startTs: 1732350000000, endTs: 1732350001000 },
    ],
    [
      'a funnel step with a previous step',
      'funnel_step',
      { ...valid.funnel_step, stepIndex: 2, msSincePrevious: 1500 },
    ],
    ['an aria-invalid field error', 'field_error', { form: 'f', field: 'email', reason: 'ariaInvalid' }],
    ['a form_submit without hesitation (older SDK builds)', 'form_submit', { form: 'f', fields: [], durationMs: 0 }],
    ['a form_abandon with hesitation', 'form_abandon', { ...valid.form_submit }],
    ['attribution without target', 'vital', { ...valid.vital, name: 'CLS', attribution: { largestShiftValue: 0.1 } }],
  ])('accepts %s', (_what, type, fields) => {
    expect(eventSchema.safeParse(eventOf(type, fields)).success).toBe(true)
  })

  it('strips unknown keys, so a newer SDK is not rejected by an older collector', () => {
    const parsed = eventSchema.parse({
      ...eventOf('scroll'),
      addedLater: true,
      context: { ...envelope.context, gpu: 'x' },
    })
    expect(parsed).not.toHaveProperty('addedLater')
    expect(parsed.context).not.toHaveProperty('gpu')
  })

  it('discriminates on type', () => {
    const parsed = eventSchema.parse(eventOf('scroll'))
    expect(parsed.type === 'scroll' && parsed.depthPct).toBe(50)
    // Scroll fields under another type fail against that type's schema, not the scroll one.
    const result = eventSchema.safeParse(eventOf('rage_click', valid.scroll))
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path[0])).toEqual(expect.arrayContaining(['selector', 'clicks']))
  })

  const long = 'x'.repeat(MAX_TEXT_LENGTH + 1)
  const { id: _id, ...withoutId } = eventOf('scroll')
  it.each([
    // [what, raw event, path of the expected issue]
    ['a missing id', withoutId, ['id']],
    ['an unknown type', eventOf('hover', {}), ['type']],
    ['a missing type', { ...envelope }, ['type']],
    ['a wrong field type', eventOf('scroll', { depthPct: '50', pageHeight: 1 }), ['depthPct']],
    ['text over 100 characters', eventOf('dead_click', { ...valid.dead_click, text: long }), ['text']],
    ['an error message over 100 characters', eventOf('error', { ...valid.error, message: long }), ['message']],
    ['depthPct 101', eventOf('scroll', { depthPct: 101, pageHeight: 1 }), ['depthPct']],
    ['a fractional depthPct', eventOf('scroll', { depthPct: 50.5, pageHeight: 1 }), ['depthPct']],
    ['a single-click rage burst', eventOf('rage_click', { ...valid.rage_click, clicks: 1 }), ['clicks']],
    ['relX above 1', eventOf('click', { ...valid.click, relX: 1.2 }), ['relX']],
    ['an unknown error source', eventOf('error', { ...valid.error, source: 'console' }), ['source']],
    [
      'a stack frame with a string line',
      eventOf('error', { ...valid.error, stack: [{ file: 'a.js', line: '1', col: null, fn: '' }] }),
      ['stack', 0, 'line'],
    ],
    ['a count of 0', eventOf('error', { ...valid.error, count: 0 }), ['count']],
    ['an unknown vital', eventOf('vital', { ...valid.vital, name: 'FID' }), ['name']],
    [
      'a DOM-like attribution part',
      eventOf('vital', { ...valid.vital, attribution: { element: {} } }),
      ['attribution', 'element'],
    ],
    ['an infinite feedback score', eventOf('feedback', { question: 'q', answer: Infinity }), ['answer']],
    ['an empty track name', eventOf('track', { name: '', props: {} }), ['name']],
    ['identify without userId', eventOf('identify', { traits: {} }), ['userId']],
    ['a negative engagedMs', eventOf('page_leave', { ...valid.page_leave, engagedMs: -1 }), ['engagedMs']],
    ['an unknown navigation', eventOf('page', { ...valid.page, navigation: 'prerender' }), ['navigation']],
    ['a negative counter', eventOf('sdk_health', { ...valid.sdk_health, dropped: { x: -1 } }), ['dropped', 'x']],
    [
      'a negative focusMs',
      eventOf('form_submit', {
        ...valid.form_submit,
        hesitation: [{ field: 'a', focusMs: -1, returns: 0, corrections: 0 }],
      }),
      ['hesitation', 0, 'focusMs'],
    ],
    [
      'fractional corrections',
      eventOf('form_abandon', {
        ...valid.form_submit,
        hesitation: [{ field: 'a', focusMs: 1, returns: 0, corrections: 0.5 }],
      }),
      ['hesitation', 0, 'corrections'],
    ],
    [
      'a field name over 200 characters',
      eventOf('form_submit', {
        ...valid.form_submit,
        hesitation: [{ field: 'x'.repeat(201), focusMs: 1, returns: 0, corrections: 0 }],
      }),
      ['hesitation', 0, 'field'],
    ],
    [
      'a quick back path over 4096 characters',
      eventOf('quick_back', { leftPath: '/' + 'x'.repeat(4096), durationMs: 1 }),
      ['leftPath'],
    ],
    ['a negative quick back duration', eventOf('quick_back', { leftPath: '/a', durationMs: -5 }), ['durationMs']],
    ['zero reversals', eventOf('excessive_scroll', { ...valid.excessive_scroll, reversals: 0 }), ['reversals']],
    [
      'a negative scroll distance',
      eventOf('excessive_scroll', { ...valid.excessive_scroll, distancePx: -1 }),
      ['distancePx'],
    ],
    ['order 0', eventOf('section', { ...valid.section, order: 0 }), ['order']],
    ['an unknown field error reason', eventOf('field_error', { form: 'f', field: 'x', reason: 'invalid' }), ['reason']],
    ['a fractional ts', { ...eventOf('scroll'), ts: 1.5 }, ['ts']],
    ['an id over 64 characters', { ...eventOf('scroll'), id: 'x'.repeat(65) }, ['id']],
    [
      'an unknown device type',
      { ...eventOf('scroll'), context: { ...envelope.context, deviceType: 'tv' } },
      ['context', 'deviceType'],
    ],
  ])('rejects %s, naming the field', (_what, raw, path) => {
    const result = eventSchema.safeParse(raw)
    expect(result.success).toBe(false)
    expect(result.error?.issues.map((issue) => issue.path)).toContainEqual(path)
  })
})

describe('envelopeSchema', () => {
  it('accepts the envelope alone and an optional userId up to 256 characters', () => {
    expect(envelopeSchema.safeParse(envelope).success).toBe(true)
    expect(envelopeSchema.safeParse({ ...envelope, userId: 'u'.repeat(256) }).success).toBe(true)
    expect(envelopeSchema.safeParse({ ...envelope, userId: 'u'.repeat(257) }).success).toBe(false)
  })
})
