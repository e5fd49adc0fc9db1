import { z } from 'zod'
import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH, MAX_URL_LENGTH, MAX_USER_AGENT_LENGTH } from './events/limits'

// Objects use `z.object`, which strips unknown keys instead of rejecting them (`z.strictObject`):
// an older collector then still accepts events from a newer SDK that added a field, and keeps
// only what it can vouch for (`z.looseObject` would pass unvalidated data on to the sinks).

const labelSchema = z.string().max(MAX_LABEL_LENGTH)
const utmSchema = z.string().max(MAX_NAME_LENGTH).optional()
const nameSchema = z.string().max(MAX_NAME_LENGTH)

const sizeSchema = z.object({
  w: z.number().nonnegative(),
  h: z.number().nonnegative(),
})

/**
 * The page and device context stamped by core on every event.
 *
 * @example
 * const context = contextSchema.parse(event.context)
 * context.deviceType // 'mobile' | 'tablet' | 'desktop'
 */
export const contextSchema = z.object({
  userAgent: z.string().max(MAX_USER_AGENT_LENGTH),
  language: labelSchema,
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timezone: labelSchema,
  viewport: sizeSchema,
  screen: sizeSchema,
  deviceType: z.enum(['mobile', 'tablet', 'desktop']),
  /** '' when the page was opened directly. */
  referrer: z.string().max(MAX_URL_LENGTH),
  /** UTM parameters of the session's landing page. */
  utm: z.object({
    source: utmSchema,
    medium: utmSchema,
    campaign: utmSchema,
    term: utmSchema,
    content: utmSchema,
  }),
  /** Experiment exposures so far in the session: name → variant. */
  experiments: z.record(nameSchema, nameSchema),
  sdk: z.object({ name: labelSchema, version: labelSchema }),
})

/** The page and device context of an event (see {@link contextSchema}). */
export type EventContext = z.infer<typeof contextSchema>
