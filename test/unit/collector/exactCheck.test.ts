// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest'
import { z } from 'zod'
import { compileCheck, INVALID } from '../../../src/collector/compileCheck'
import { compileExactCheck, NOT_EXACT, type ExactCheck } from '../../../src/collector/exactCheck'
import { measure } from '../../../src/collector/measure'
import { EVENT_TYPES, eventSchemas, type EventType } from '../../../src/schema/index'
import { generateEvents } from '../report/fixtures'
import { eventOf } from '../schema/fixtures'
import { canonical, corpus } from './checkCorpus'

const jsonSchemaOf = (type: EventType) => z.toJSONSchema(eventSchemas[type], { io: 'input' }) as Record<string, unknown>

const typeOf = (raw: unknown): EventType | undefined => {
  const type = (raw as { type?: unknown } | null)?.type
  return typeof type === 'string' && Object.hasOwn(eventSchemas, type) ? (type as EventType) : undefined
}

describe('compileExactCheck: the generated "valid, nothing to strip" check, with the size estimate', () => {
  afterEach(() => vi.unstubAllGlobals())

  const exact = new Map(EVENT_TYPES.map((type) => [type, compileExactCheck(jsonSchemaOf(type))]))
  const compiled = new Map(EVENT_TYPES.map((type) => [type, compileCheck(jsonSchemaOf(type))]))

  it('is generated for every event type', () => {
    expect(EVENT_TYPES.filter((type) => !exact.get(type))).toEqual([])
  })

  it('accepts only what zod accepts unchanged, all that the compiled check returns as it is, sized as measure() sizes it', () => {
    const wrong: string[] = []
    let accepted = 0
    for (const raw of corpus()) {
      const type = typeOf(raw)
      if (!type) continue
      const size = exact.get(type)!(raw)
      const isAccepted = size !== NOT_EXACT
      const shown = `${type}: ${JSON.stringify(raw).slice(0, 300)}`
      // The compiled check returns the value itself exactly when nothing inside it was stripped.
      if (isAccepted !== (compiled.get(type)!(raw) === raw)) wrong.push(`compiled check disagrees, ${shown}`)
      if (!isAccepted) continue
      accepted += 1
      const zod = eventSchemas[type].safeParse(raw)
      if (!zod.success || canonical(zod.data) !== canonical(raw)) wrong.push(`zod disagrees, ${shown}`)
      if (size !== measure(raw, 1)) wrong.push(`size ${size} against ${measure(raw, 1)}, ${shown}`)
    }
    expect(wrong.slice(0, 5)).toEqual([])
    // The corpus's 2,000 generated events and every valid variant that strips nothing.
    expect(accepted).toBeGreaterThan(2000)
  }, 60_000)

  it('accepts every generated event, the value the compiled check returns unchanged', () => {
    for (const raw of generateEvents(3000)) {
      const type = typeOf(raw)!
      expect(exact.get(type)!(raw)).toBe(measure(raw, 1))
      const checked = compiled.get(type)!(raw)
      expect(checked).not.toBe(INVALID)
      expect(canonical(checked)).toBe(canonical(raw))
    }
  })

  it('declines a key zod would strip, at any depth, an own key holding undefined, and another prototype', () => {
    const [event] = generateEvents(1)
    const check = exact.get(typeOf(event)!)!
    expect(check({ ...event })).toBe(measure(event, 1))
    expect(check({ ...event, unknown: 1 })).toBe(NOT_EXACT)
    expect(check({ ...event, context: { ...event.context, unknown: 1 } })).toBe(NOT_EXACT)
    expect(check({ ...event, userId: undefined })).toBe(NOT_EXACT)
    expect(check(Object.assign(Object.create({ inherited: 1 }) as object, event))).toBe(NOT_EXACT)
  })

  it('declines free JSON nested deeper than measure() allows, so the slow road names it too-deep', () => {
    const check = exact.get('track')!
    const nested = (levels: number): unknown => (levels === 0 ? 1 : { a: nested(levels - 1) })
    const base = eventOf('track', { name: 'deep' })
    for (const levels of [1, 10, 29, 30, 31, 40]) {
      const raw = { ...base, props: { a: nested(levels) } }
      const expected = measure(raw, 1)
      expect(check(raw), `${levels} levels`).toBe(expected < 0 ? NOT_EXACT : expected)
    }
    expect(measure({ ...base, props: { a: nested(40) } }, 1)).toBeLessThan(0)
  })

  it('writes property names and literals safely into the generated source', () => {
    const name = `a"b'\\\n*/}) ; throw 1 //`
    const check = compileExactCheck({
      type: 'object',
      properties: { [name]: { type: 'string', enum: ['x"y', `'); throw 1; ('`] }, constructor: { type: 'number' } },
      required: [name],
    })!
    const accepts = (value: unknown) => check(value) !== NOT_EXACT
    expect(accepts({ [name]: 'x"y' })).toBe(true)
    expect(accepts({ [name]: `'); throw 1; ('` })).toBe(true)
    expect(accepts({ [name]: 'z' })).toBe(false)
    expect(accepts({})).toBe(false)
    // `constructor` is inherited by every object: absent unless it is the object's own key.
    expect(accepts({ [name]: 'x"y', constructor: 2 })).toBe(true)
    expect(accepts({ [name]: 'x"y', constructor: 'no' })).toBe(false)
    expect(check({ [name]: 'x"y', constructor: 2 })).toBe(measure({ [name]: 'x"y', constructor: 2 }, 1))
  })

  it('is not made where code cannot be generated (a CSP or an edge runtime), so the compiled check runs alone', () => {
    vi.stubGlobal('Function', function refused() {
      throw new EvalError('Code generation from strings disallowed for this context')
    })
    expect(compileExactCheck(jsonSchemaOf('scroll'))).toBeUndefined()
  })

  it('refuses what it cannot read exactly: unknown keywords and unions that could strip', () => {
    expect(compileExactCheck({ type: 'string', pattern: '^a' })).toBeUndefined()
    expect(compileExactCheck({ anyOf: [{ type: 'object', properties: {} }, { type: 'string' }] })).toBeUndefined()
    const union = compileExactCheck({
      anyOf: [
        { type: 'array', items: {} },
        { type: 'string', maxLength: 2 },
      ],
    })!
    const values = [[1, { a: 1 }], 'ab', 'abc', 3]
    expect(values.map(union)).toEqual([measure(values[0], 1), 4, NOT_EXACT, NOT_EXACT])
  })

  it('checks the bounds of every keyword it writes', () => {
    const cases: Array<[Record<string, unknown>, unknown[], unknown[]]> = [
      [{ type: 'integer', minimum: 1, maximum: 3 }, [1, 3], [0, 4, 1.5, Number.MAX_SAFE_INTEGER + 2, '1']],
      [{ type: 'number', exclusiveMinimum: 0, exclusiveMaximum: 1 }, [0.5], [0, 1, Infinity, NaN]],
      [{ type: 'string', minLength: 1, maxLength: 2 }, ['a', 'ab'], ['', 'abc', 1]],
      [
        { type: 'array', minItems: 1, maxItems: 2, items: { type: 'boolean' } },
        [[true], [false, true]],
        [[], [1], [true, true, true]],
      ],
      [{ type: 'string', const: 'x' }, ['x'], ['y']],
      [{ type: ['string', 'null'] }, ['s', null], [1, undefined]],
      [
        { type: 'object', propertyNames: { type: 'string', maxLength: 2 }, additionalProperties: { type: 'number' } },
        [{ ab: 1 }, {}],
        [{ abc: 1 }, { a: 'x' }, JSON.parse('{"__proto__":1}')],
      ],
    ]
    for (const [schema, yes, no] of cases) {
      const check = compileExactCheck(schema) as ExactCheck
      expect(yes.map(check), JSON.stringify(schema)).toEqual(yes.map((value) => measure(value, 1)))
      expect(no.map(check), JSON.stringify(schema)).toEqual(no.map(() => NOT_EXACT))
    }
  })
})
