import { z } from 'zod'

// Objects use `z.object`, which strips unknown keys instead of rejecting them (`z.strictObject`):
// an older collector then still accepts events from a newer SDK that added a field, and keeps
// only what it can vouch for (`z.looseObject` would pass unvalidated data on to the sinks).

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
  userAgent: z.string(),
  language: z.string(),
  /** IANA time zone, e.g. 'Europe/Paris'. */
  timezone: z.string(),
  viewport: sizeSchema,
  screen: sizeSchema,
  deviceType: z.enum(['mobile', 'tablet', 'desktop']),
  /** '' when the page was opened directly. */
  referrer: z.string(),
  /** UTM parameters of the session's landing page. */
  utm: z.object({
    source: z.string().optional(),
    medium: z.string().optional(),
    campaign: z.string().optional(),
    term: z.string().optional(),
    content: z.string().optional(),
  }),
  /** Experiment exposures so far in the session: name → variant. */
  experiments: z.record(z.string(), z.string()),
  sdk: z.object({ name: z.string(), version: z.string() }),
})

/** The page and device context of an event (see {@link contextSchema}). */
export type EventContext = z.infer<typeof contextSchema>
