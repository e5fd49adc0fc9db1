import { z } from 'zod'
import { eventSchema } from './event'
import { timestampSchema } from './events/envelope'
import { MAX_BATCH_EVENTS, MAX_SITE_LENGTH } from './events/limits'
import { timestampIssue } from './timestampWindow'

const batchShape = {
  /** Wire format version: a collector refuses versions it does not know rather than guess. */
  v: z.literal(1),
  /** Project id from the `site` option. */
  site: z.string().max(MAX_SITE_LENGTH).optional(),
  /**
   * Epoch ms when the batch left the browser; with each event's `ts`, it corrects client clock
   * skew. Every event's timestamps must lie from 30 days before it to 10 minutes after it.
   */
  sentAt: timestampSchema,
}

/**
 * One POSTed batch (wire format version 1) with every event validated: all or nothing.
 *
 * @example
 * const batch = batchSchema.parse(JSON.parse(body))
 */
export const batchSchema = z
  .object({
    ...batchShape,
    events: z.array(eventSchema).min(1).max(MAX_BATCH_EVENTS),
  })
  .superRefine((batch, ctx) => {
    batch.events.forEach((event, index) => {
      const field = timestampIssue(event, batch.sentAt)
      if (!field) return
      ctx.addIssue({ code: 'custom', path: ['events', index, field], message: 'outside the window around sentAt' })
    })
  })

/**
 * The same batch with its events left unchecked: the collector validates this envelope, then
 * each event alone with `eventSchema`, so one bad event is rejected alone and the rest kept.
 *
 * @example
 * const envelope = batchEnvelopeSchema.parse(json)
 * const events = envelope.events.map((raw) => eventSchema.safeParse(raw))
 */
export const batchEnvelopeSchema = z.object({
  ...batchShape,
  events: z.array(z.unknown()).min(1).max(MAX_BATCH_EVENTS),
})

/** One batch as sent on the wire. */
export type Batch = z.infer<typeof batchSchema>

/** A batch whose events are not validated yet (see {@link batchEnvelopeSchema}). */
export type BatchEnvelope = z.infer<typeof batchEnvelopeSchema>

/**
 * The JSON Schema (draft 2020-12) of a batch, for collectors written in other languages.
 * It describes the input side (what the SDK sends); any construct JSON Schema cannot express
 * becomes `{}` instead of throwing, and sub-schemas used more than once (the context, the
 * envelope's ids) go to `$defs` so the twenty event types do not repeat them.
 *
 * @example
 * writeFileSync('schema.json', JSON.stringify(toJSONSchema(), null, 2))
 */
export const toJSONSchema = (): Record<string, unknown> =>
  z.toJSONSchema(batchSchema, { io: 'input', unrepresentable: 'any', reused: 'ref' }) as Record<string, unknown>
