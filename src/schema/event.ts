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
  type clickFields,
  type deadClickFields,
  type errorFields,
  type excessiveScrollFields,
  type fieldErrorFields,
  type formEndFields,
  type formFields,
  type quickBackFields,
  type rageClickFields,
  type scrollFields,
  type sectionFields,
  type vitalFields,
} from './events/capture'
import {
  experimentEventSchema,
  feedbackEventSchema,
  funnelStepEventSchema,
  identifyEventSchema,
  pageEventSchema,
  pageLeaveEventSchema,
  trackEventSchema,
  type experimentFields,
  type feedbackFields,
  type funnelStepFields,
  type identifyFields,
  type pageFields,
  type pageLeaveFields,
  type trackFields,
} from './events/core'
import { replayEventSchema, sdkHealthEventSchema, type replayFields, type sdkHealthFields } from './events/system'

/**
 * Every event type's schema, keyed by its `type`, to validate one known type or list them.
 *
 * @example
 * eventSchemas.scroll.safeParse(raw)
 */
export const eventSchemas = {
  page: pageEventSchema,
  page_leave: pageLeaveEventSchema,
  track: trackEventSchema,
  identify: identifyEventSchema,
  funnel_step: funnelStepEventSchema,
  experiment: experimentEventSchema,
  feedback: feedbackEventSchema,
  scroll: scrollEventSchema,
  rage_click: rageClickEventSchema,
  dead_click: deadClickEventSchema,
  click: clickEventSchema,
  error: errorEventSchema,
  vital: vitalEventSchema,
  form_start: formStartEventSchema,
  form_submit: formSubmitEventSchema,
  form_abandon: formAbandonEventSchema,
  field_error: fieldErrorEventSchema,
  section: sectionEventSchema,
  quick_back: quickBackEventSchema,
  excessive_scroll: excessiveScrollEventSchema,
  replay: replayEventSchema,
  sdk_health: sdkHealthEventSchema,
} as const

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

type FieldsOf<S extends z.ZodRawShape> = z.output<z.ZodObject<S>>

// Written out rather than computed as `Omit<EventOf<T>, keyof EventEnvelope>`, which would
// wrongly drop `identify`'s own (required) `userId`, an envelope key too.
interface EventFieldsMap {
  page: FieldsOf<typeof pageFields>
  page_leave: FieldsOf<typeof pageLeaveFields>
  track: FieldsOf<typeof trackFields>
  identify: FieldsOf<typeof identifyFields>
  funnel_step: FieldsOf<typeof funnelStepFields>
  experiment: FieldsOf<typeof experimentFields>
  feedback: FieldsOf<typeof feedbackFields>
  scroll: FieldsOf<typeof scrollFields>
  rage_click: FieldsOf<typeof rageClickFields>
  dead_click: FieldsOf<typeof deadClickFields>
  click: FieldsOf<typeof clickFields>
  error: FieldsOf<typeof errorFields>
  vital: FieldsOf<typeof vitalFields>
  form_start: FieldsOf<typeof formFields>
  form_submit: FieldsOf<typeof formEndFields>
  form_abandon: FieldsOf<typeof formEndFields>
  field_error: FieldsOf<typeof fieldErrorFields>
  section: FieldsOf<typeof sectionFields>
  quick_back: FieldsOf<typeof quickBackFields>
  excessive_scroll: FieldsOf<typeof excessiveScrollFields>
  replay: FieldsOf<typeof replayFields>
  sdk_health: FieldsOf<typeof sdkHealthFields>
}

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
