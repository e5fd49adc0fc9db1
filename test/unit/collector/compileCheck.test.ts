// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { compileCheck, INVALID } from '../../../src/collector/compileCheck'
import { validateEvent } from '../../../src/collector/validate'
import { EVENT_TYPES, eventSchemas } from '../../../src/schema/index'
import { generateEvents } from '../report/fixtures'
import { eventOf, valid } from '../schema/fixtures'

/** mulberry32, seeded so a failing case can be replayed. */
function seeded(seed: number): () => number {
  let state = seed
  return () => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), 1 | state)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296
  }
}

const NASTY: unknown[] = [
  null,
  undefined,
  true,
  0,
  -0,
  -1,
  0.5,
  1.5,
  101,
  1e300,
  -1e300,
  Infinity,
  NaN,
  Number.MAX_SAFE_INTEGER + 2,
  '',
  'x',
  'x'.repeat(65),
  'x'.repeat(201),
  'x'.repeat(5000),
  '__proto__',
  [],
  [1],
  {},
  { a: 1 },
  946_684_800_000,
]

/** JSON with object keys sorted, to compare values whatever their key order. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  )
}

/** Every path to a value inside `value`, so each can be replaced by a nasty value. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix]
  const entries = Object.entries(value as Record<string, unknown>)
  return [prefix, ...entries.flatMap(([key, child]) => paths(child, [...prefix, key]))]
}

function replaced(value: unknown, path: string[], replacement: unknown): unknown {
  if (path.length === 0) return replacement
  const copy: Record<string, unknown> = Array.isArray(value) ? ([...value] as never) : { ...(value as object) }
  const [head, ...rest] = path
  copy[head] = replaced((value as Record<string, unknown>)[head], rest, replacement)
  return copy
}

/** Valid events of every type, then each with one value replaced, one key removed or one key added. */
function corpus(): unknown[] {
  const random = seeded(7)
  const out: unknown[] = [...generateEvents(2000)]
  for (const type of EVENT_TYPES) {
    const base = eventOf(type)
    out.push(base, { ...base, site: 'landing' }, { ...base, extra: { deep: [1, 2] } }, { ...base, ['__proto__']: 1 })
    for (const path of paths(base)) {
      if (path.length === 0) continue
      for (const nasty of NASTY) if (random() < 0.5) out.push(replaced(base, path, nasty))
      const parent = path.slice(0, -1)
      const removed = JSON.parse(JSON.stringify(base)) as Record<string, unknown>
      let node = removed as Record<string, unknown>
      for (const key of parent) node = node[key] as Record<string, unknown>
      if (typeof node === 'object' && node !== null && !Array.isArray(node)) {
        delete node[path[path.length - 1]]
        out.push(removed)
      }
    }
  }
  // Values JSON can carry into the open parts, including keys that are traps for plain objects.
  out.push(
    JSON.parse(
      `{"x":1,${JSON.stringify(eventOf('track', { name: 'n', props: { a: 1 } }))
        .slice(1, -1)
        .replace('"a":1', '"__proto__":{"p":1},"constructor":2')}}`,
    ),
  )
  out.push(eventOf('vital', { ...valid.vital, attribution: { target: 'x', part: 'not-a-number' } }))
  out.push(eventOf('vital', { ...valid.vital, attribution: { target: 7 } }))
  out.push(eventOf('feedback', { question: 'q', answer: 7 }), eventOf('feedback', { question: 'q', answer: null }))
  out.push(eventOf('funnel_step', { ...valid.funnel_step, msSincePrevious: 12 }))
  return out
}

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
