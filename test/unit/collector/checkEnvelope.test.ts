// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { checkEnvelope } from '../../../src/collector/checkEnvelope'
import { MAX_BATCH_EVENTS, MAX_SITE_LENGTH } from '../../../src/schema/index'
import { makeBatch, makeEvent } from '../support/events'

const NASTY: unknown[] = [
  undefined,
  null,
  true,
  0,
  -0,
  1,
  '1',
  1.5,
  2,
  NaN,
  Infinity,
  Number.MAX_SAFE_INTEGER + 2,
  946_684_799_999,
  946_684_800_000,
  4_102_444_800_000,
  4_102_444_800_001,
  '',
  'x'.repeat(MAX_SITE_LENGTH),
  'x'.repeat(MAX_SITE_LENGTH + 1),
  [],
  [{}],
  Array.from({ length: MAX_BATCH_EVENTS }, () => ({})),
  Array.from({ length: MAX_BATCH_EVENTS + 1 }, () => ({})),
  {},
]

/** Envelopes valid and not: each field replaced by each nasty value, removed, and extra or trap keys added. */
function envelopes(): unknown[] {
  const base = makeBatch([makeEvent(), makeEvent()]) as Record<string, unknown>
  const out: unknown[] = [base, null, [], 'batch', 1, {}, { ...base, extra: 1 }, { ...base, site: undefined }]
  for (const key of ['v', 'site', 'sentAt', 'events']) {
    const { [key]: _removed, ...rest } = base
    out.push(rest)
    for (const nasty of NASTY) out.push({ ...base, [key]: nasty })
  }
  out.push(JSON.parse(`{"__proto__":{"v":1},${JSON.stringify(base).slice(1)}`))
  out.push(JSON.parse(`{"constructor":1,"toString":2,${JSON.stringify(base).slice(1)}`))
  out.push(Object.assign(Object.create({ v: 1 }), { ...base, v: undefined }))
  return out
}

describe('checkEnvelope', () => {
  it('gives the same verdicts, envelopes and reasons as zod alone', () => {
    const cases = envelopes()
    let accepted = 0
    for (const json of cases) {
      const fast = checkEnvelope(json)
      expect(fast).toEqual(checkEnvelope(json, { zodOnly: true }))
      if (fast.ok) accepted += 1
    }
    expect(accepted).toBeGreaterThan(10)
    expect(cases.length - accepted).toBeGreaterThan(40)
  })

  it('answers a valid envelope from the compiled check (the parsed value itself, nothing copied)', () => {
    const json = JSON.parse(JSON.stringify(makeBatch([makeEvent()]))) as unknown
    const check = checkEnvelope(json)
    expect(check.ok && check.envelope).toBe(json)
    // With a key to strip, the copy zod would make (and its reason when invalid).
    const extra = { ...(json as object), extra: 1 }
    const stripped = checkEnvelope(extra)
    expect(stripped.ok && stripped.envelope).not.toBe(extra)
    expect(stripped.ok && 'extra' in stripped.envelope).toBe(false)
    expect(checkEnvelope({ ...(json as object), sentAt: 1.5 })).toEqual({ ok: false, path: 'sentAt' })
    expect(checkEnvelope(null)).toEqual({ ok: false, path: '(root)' })
  })
})
