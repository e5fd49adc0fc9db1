import { EVENT_TYPES } from '../../../src/schema/index'
import { generateEvents } from '../report/fixtures'
import { eventOf, valid } from '../schema/fixtures'

// The corpus the fast checks are compared with zod on (compileCheck.test.ts, exactCheck.test.ts).

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
export function canonical(value: unknown): string {
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
export function corpus(): unknown[] {
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
