import { z } from 'zod'
import {
  clickEventSchema,
  deadClickEventSchema,
  errorEventSchema,
  excessiveScrollEventSchema,
  fieldErrorEventSchema,
  formAbandonEventSchema,
  formStartEventSchema,
  formSubmitEventSchema,
  quickBackEventSchema,
  rageClickEventSchema,
  scrollEventSchema,
  sectionEventSchema,
  vitalEventSchema,
} from './events/capture'
import {
  experimentEventSchema,
  feedbackEventSchema,
  funnelStepEventSchema,
  identifyEventSchema,
  pageEventSchema,
  pageLeaveEventSchema,
  trackEventSchema,
} from './events/core'
import type { envelopeSchema } from './events/envelope'
import { replayEventSchema, sdkHealthEventSchema } from './events/system'

/**
 * Any event of the wire format, discriminated on `type`: zod picks the one schema by `type`,
 * so errors name the failing field of that type rather than twenty union branches.
 *
 * @example
 * const result = eventSchema.safeParse(raw)
 * if (result.success && result.data.type === 'scroll') result.data.depthPct
 */
export const eventSchema = z.discriminatedUnion('type', [
  pageEventSchema,
  pageLeaveEventSchema,
  trackEventSchema,
  identifyEventSchema,
  funnelStepEventSchema,
  experimentEventSchema,
  feedbackEventSchema,
  scrollEventSchema,
  rageClickEventSchema,
  deadClickEventSchema,
  clickEventSchema,
  errorEventSchema,
  vitalEventSchema,
  formStartEventSchema,
  formSubmitEventSchema,
  formAbandonEventSchema,
  fieldErrorEventSchema,
  sectionEventSchema,
  quickBackEventSchema,
  excessiveScrollEventSchema,
  replayEventSchema,
  sdkHealthEventSchema,
])

/**
 * Every event type's schema, keyed by its `type`, to validate one known type or list them.
 *
 * @example
 * eventSchemas.scroll.safeParse(raw)
 */
export const eventSchemas = Object.fromEntries(
  eventSchema.options.map((schema) => [schema.shape.type.value, schema]),
) as {
  readonly [S in EventSchema as S['shape']['type']['value']]: S
}

/** One event type's schema. */
type EventSchema = (typeof eventSchema.options)[number]

/** Any event of the wire format. */
export type FrictionEvent = z.infer<typeof eventSchema>

/** The `type` of any event: `'page' | 'scroll' | …`. */
export type EventType = FrictionEvent['type']

/**
 * The event of one type.
 *
 * @example
 * const onScroll = (event: EventOf<'scroll'>) => event.depthPct
 */
export type EventOf<T extends EventType> = Extract<FrictionEvent, { type: T }>

/** Every event type, in the order of the SPEC's table. */
export const EVENT_TYPES = Object.freeze(Object.keys(eventSchemas)) as readonly EventType[]

type EnvelopeShape = typeof envelopeSchema.shape

/**
 * The keys of a schema's own fields: its shape's keys but `type` and the envelope's, except those
 * it defines differently (`identify`'s required `userId`, where the envelope's is optional).
 * Derived rather than written out per type, so that a new event type needs no line here.
 */
type OwnKeys<S extends z.ZodRawShape> = {
  [K in keyof S]: K extends 'type'
    ? never
    : K extends keyof EnvelopeShape
      ? S[K] extends EnvelopeShape[K]
        ? never
        : K
      : K
}[keyof S]

type FieldsByType = {
  [T in EventType]: Pick<EventOf<T>, Extract<OwnKeys<(typeof eventSchemas)[T]['shape']>, keyof EventOf<T>>>
}

// An interface, so that `EventFieldsMap[T]` stays one opaque lookup in generic code (core's
// `emit(type, fields)`) instead of a mapped type TypeScript expands there.
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- the interface is the point (see above)
interface EventFieldsMap extends FieldsByType {}

/**
 * The fields a plugin emits for one type: the event without its envelope and `type`,
 * which core stamps.
 *
 * @example
 * const fields: EventFields<'scroll'> = { depthPct: 50, pageHeight: 3200 }
 */
export type EventFields<T extends EventType> = EventFieldsMap[T]

/** A `page` event. */
export type PageEvent = EventOf<'page'>
/** A `page_leave` event. */
export type PageLeaveEvent = EventOf<'page_leave'>
/** A `track` event. */
export type TrackEvent = EventOf<'track'>
/** An `identify` event. */
export type IdentifyEvent = EventOf<'identify'>
/** A `funnel_step` event. */
export type FunnelStepEvent = EventOf<'funnel_step'>
/** An `experiment` event. */
export type ExperimentEvent = EventOf<'experiment'>
/** A `feedback` event. */
export type FeedbackEvent = EventOf<'feedback'>
/** A `scroll` event. */
export type ScrollEvent = EventOf<'scroll'>
/** A `rage_click` event. */
export type RageClickEvent = EventOf<'rage_click'>
/** A `dead_click` event. */
export type DeadClickEvent = EventOf<'dead_click'>
/** A `click` (heatmap) event. */
export type ClickEvent = EventOf<'click'>
/** An `error` event. Shadows the DOM's `ErrorEvent` where imported: alias it if you need both. */
export type ErrorEvent = EventOf<'error'>
/** A `vital` event. */
export type VitalEvent = EventOf<'vital'>
/** A `form_start` event. */
export type FormStartEvent = EventOf<'form_start'>
/** A `form_submit` event. */
export type FormSubmitEvent = EventOf<'form_submit'>
/** A `form_abandon` event. */
export type FormAbandonEvent = EventOf<'form_abandon'>
/** A `field_error` event. */
export type FieldErrorEvent = EventOf<'field_error'>
/** A `section` event. */
export type SectionEvent = EventOf<'section'>
/** A `quick_back` event. */
export type QuickBackEvent = EventOf<'quick_back'>
/** An `excessive_scroll` event. */
export type ExcessiveScrollEvent = EventOf<'excessive_scroll'>
/** A `replay` event. */
export type ReplayEvent = EventOf<'replay'>
/** An `sdk_health` event. */
export type SdkHealthEvent = EventOf<'sdk_health'>
