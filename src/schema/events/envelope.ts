import { z } from 'zod'
import { contextSchema } from '../context'
import { MAX_ID_LENGTH, MAX_URL_LENGTH, MAX_USER_ID_LENGTH } from './limits'

const idSchema = z.string().min(1).max(MAX_ID_LENGTH)

/**
 * The fields every event carries, stamped by core (plugins never build them); each event
 * schema extends it with its `type` literal and its own fields.
 *
 * @example
 * const { id, ts, sessionId } = envelopeSchema.parse(rawEvent) // unknown keys, incl. `type`, are stripped
 */
export const envelopeSchema = z.object({
  /** nanoid, the idempotency key: a retried event keeps its id. */
  id: idSchema,
  /** Epoch milliseconds when the event happened. */
  ts: z.int().positive(),
  sessionId: idSchema,
  anonymousId: idSchema,
  /** Present once `identify()` has been called. */
  userId: z.string().max(MAX_USER_ID_LENGTH).optional(),
  /** One per page view, so events of the same view group without comparing URLs. */
  pageId: idSchema,
  /** Page URL with PII scrubbed. */
  url: z.string().max(MAX_URL_LENGTH),
  context: contextSchema,
})

/** The envelope fields every event carries (see {@link envelopeSchema}). */
export type EventEnvelope = z.infer<typeof envelopeSchema>

/**
 * Builds one event type's schema: the envelope plus `type` and the type's own fields.
 * Internal to `src/schema`: one helper so that all twenty schemas have the same shape.
 */
export const eventSchemaOf = <T extends string, S extends z.ZodRawShape>(type: T, fields: S) =>
  envelopeSchema.extend({ type: z.literal(type) }).extend(fields)
