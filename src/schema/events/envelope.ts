import { z } from 'zod'
import { contextSchema } from '../context'
import {
  MAX_ID_LENGTH,
  MAX_SITE_LENGTH,
  MAX_TIMESTAMP,
  MAX_URL_LENGTH,
  MAX_USER_ID_LENGTH,
  MIN_TIMESTAMP,
} from './limits'

const idSchema = z.string().min(1).max(MAX_ID_LENGTH)

/**
 * An epoch-milliseconds timestamp between 2000 and 2100: anything else is a bug or an attack
 * (`9e15` or `1e300` made `new Date()` throw in every renderer). The window relative to the
 * batch's `sentAt` is checked by `batchSchema` and the collector (see `timestampIssue`).
 */
export const timestampSchema = z.int().min(MIN_TIMESTAMP).max(MAX_TIMESTAMP)

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
  ts: timestampSchema,
  sessionId: idSchema,
  anonymousId: idSchema,
  /** Present once `identify()` has been called. */
  userId: z.string().max(MAX_USER_ID_LENGTH).optional(),
  /** One per page view, so events of the same view group without comparing URLs. */
  pageId: idSchema,
  /** Page URL with PII scrubbed. */
  url: z.string().max(MAX_URL_LENGTH),
  context: contextSchema,
  /**
   * The batch's `site` (project id), stamped on each event by the collector when it stores
   * it, so stored events of several sites can be told apart. The SDK does not send it per event.
   */
  site: z.string().max(MAX_SITE_LENGTH).optional(),
})

/** The envelope fields every event carries (see {@link envelopeSchema}). */
export type EventEnvelope = z.infer<typeof envelopeSchema>

/**
 * Builds one event type's schema: the envelope plus `type` and the type's own fields.
 * Internal to `src/schema`: one helper so that all twenty schemas have the same shape.
 */
export const eventSchemaOf = <T extends string, S extends z.ZodRawShape>(type: T, fields: S) =>
  envelopeSchema.extend({ type: z.literal(type) }).extend(fields)
