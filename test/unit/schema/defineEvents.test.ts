import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { defineEvents, validateTrackProps } from '../../../src/schema'

const events = defineEvents({
  signup: z.object({ plan: z.enum(['free', 'pro']) }),
  cta_click: z.object({ position: z.string() }),
})

describe('defineEvents', () => {
  it('returns the definitions unchanged', () => {
    const defs = { signup: z.object({ plan: z.string() }) }
    expect(defineEvents(defs)).toBe(defs)
  })

  it.each([
    // [what, definitions]
    ['null', null],
    ['an array', [z.object({})]],
    ['a non-schema value', { signup: { plan: 'string' } }],
    ['a function', { signup: () => true }],
  ])('throws a TypeError for %s', (_what, defs) => {
    expect(() => defineEvents(defs as never)).toThrow(TypeError)
  })
})

describe('validateTrackProps', () => {
  it.each([
    // [what, name, props, options, ok]
    ['valid props', 'signup', { plan: 'pro' }, {}, true],
    ['an unknown name, by default', 'newsletter', { any: 1 }, {}, true],
    ['an unknown name in strict mode', 'newsletter', {}, { strict: true }, false],
    ['a prototype key as name in strict mode', 'constructor', {}, { strict: true }, false],
    ['a prototype key as name', 'toString', {}, {}, true],
    ['a wrong enum value', 'signup', { plan: 'enterprise' }, {}, false],
    ['a missing prop', 'cta_click', {}, {}, false],
    ['props that are not an object', 'signup', 'pro', {}, false],
  ])('handles %s', (_what, name, props, options, ok) => {
    expect(validateTrackProps(events, name, props, options).ok).toBe(ok)
  })

  it('gives a reason naming the failing prop', () => {
    const result = validateTrackProps(events, 'signup', { plan: 'enterprise' })
    expect(result.ok).toBe(false)
    if (!result.ok) expect(result.reason).toMatch(/^props\.plan: /)
    expect(validateTrackProps(events, 'nope', {}, { strict: true })).toEqual({
      ok: false,
      reason: 'unknown event name "nope"',
    })
  })
})
