import { z } from 'zod'
import { batchEnvelopeSchema, type BatchEnvelope } from '../schema/index'
import { compileCheck, INVALID, type Check } from './compileCheck'

/** A batch's envelope as checked, or the path of its first problem as zod names it (`(root)` for the whole). */
export type EnvelopeCheck = { ok: true; envelope: BatchEnvelope } | { ok: false; path: string }

/**
 * The envelope's compiled check (compileCheck.ts), from the JSON Schema zod prints for
 * `batchEnvelopeSchema`; null where it cannot be compiled (zod alone then).
 */
let fastCheck: Check | null | undefined
const fastCheckOf = (): Check | null => {
  if (fastCheck === undefined) {
    try {
      fastCheck = compileCheck(z.toJSONSchema(batchEnvelopeSchema, { io: 'input' }) as Record<string, unknown>)
    } catch {
      fastCheck = null
    }
  }
  return fastCheck
}

/**
 * Checks a parsed body against `batchEnvelopeSchema` (its events left unchecked, each is
 * validated alone). A valid envelope is accepted by the compiled check, a few property reads
 * instead of zod's parse per request; anything it refuses goes to zod, which names the reason
 * and whose verdict wins if they ever disagree. zod stays the one definition of the envelope.
 */
export function checkEnvelope(json: unknown, options: { zodOnly?: boolean } = {}): EnvelopeCheck {
  const fast = options.zodOnly ? null : fastCheckOf()
  const checked = fast ? fast(json) : INVALID
  if (checked !== INVALID) return { ok: true, envelope: checked as BatchEnvelope }
  const result = batchEnvelopeSchema.safeParse(json)
  if (result.success) return { ok: true, envelope: result.data }
  return { ok: false, path: result.error.issues[0]?.path.map(String).join('.') || '(root)' }
}
