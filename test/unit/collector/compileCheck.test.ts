// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compileCheck, INVALID } from '../../../src/collector/compileCheck'
import { validateEvent } from '../../../src/collector/validate'
import { EVENT_TYPES, eventSchemas } from '../../../src/schema/index'
import { canonical, corpus } from './checkCorpus'

describe('compileCheck: the fast check derived from zod', () => {
  const cases = corpus()

  it(`accepts and rejects exactly what zod does, with the same output (${cases.length} events)`, () => {
    let accepted = 0
    let refused = 0
    const checks = new Map(
      EVENT_TYPES.map((type) => [
        type,
        compileCheck(z.toJSONSchema(eventSchemas[type], { io: 'input' }) as Record<string, unknown>),
      ]),
    )
    const mismatches: string[] = []
    for (const raw of cases) {
      const type = (raw as { type?: string }).type as keyof typeof eventSchemas
      if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) continue
      const zod = eventSchemas[type].safeParse(raw)
      const fast = checks.get(type)!(raw)
      if ((fast !== INVALID) !== zod.success) {
        const shown = { ...(raw as object), context: undefined, url: undefined, id: undefined }
        mismatches.push(
          `zod ${zod.success}: ${JSON.stringify(zod.error?.issues[0]?.path)} ${JSON.stringify(shown).slice(0, 300)}`,
        )
      }
      // Key order aside (the fast check keeps the client's order when it strips nothing), the same JSON.
      else if (zod.success && canonical(fast) !== canonical(zod.data)) {
        const [a, b] = [canonical(fast), canonical(zod.data)]
        let i = 0
        while (a[i] === b[i]) i += 1
        mismatches.push(`output differs: ${a.slice(i - 80, i + 80)} | zod: ${b.slice(i - 80, i + 80)}`)
      }
      if (zod.success) accepted += 1
      else refused += 1
    }
    expect(mismatches.slice(0, 5)).toEqual([])
    for (const raw of cases.slice(0, 3000)) {
      const type = (raw as { type?: string }).type as keyof typeof eventSchemas
      if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) continue
      const zod = eventSchemas[type].safeParse(raw)
      // toEqual: zod keeps an optional key holding `undefined`, which JSON never carries.
      if (zod.success) expect(checks.get(type)!(raw)).toEqual(zod.data)
    }
    expect(accepted).toBeGreaterThan(2000)
    expect(refused).toBeGreaterThan(300)
  }, 60_000)

  it('gives validateEvent the same verdicts and reasons with and without the fast check', () => {
    for (const raw of cases) {
      expect(validateEvent(raw, {})).toEqual(validateEvent(raw, { zodOnly: true }))
    }
  }, 60_000)

  it('compiles every event type (none left to zod alone)', () => {
    for (const type of EVENT_TYPES) {
      expect(() =>
        compileCheck(z.toJSONSchema(eventSchemas[type], { io: 'input' }) as Record<string, unknown>),
      ).not.toThrow()
    }
  })

  it('refuses keywords it does not know rather than checking less', () => {
    expect(() => compileCheck({ type: 'string', pattern: '^a' })).toThrow(/pattern/)
    expect(() => compileCheck({ $ref: '#/$defs/x' })).toThrow(/\$ref/)
  })
})
