// Entry `frictionlog/schema`: the wire format, written down once. Browser code imports types
// only from here (`import type`), so zod never enters the browser bundle.
export { contextSchema, type EventContext } from './context'
export { envelopeSchema, type EventEnvelope } from './events/envelope'
export {
  pageEventSchema, pageLeaveEventSchema, trackEventSchema, identifyEventSchema, funnelStepEventSchema,
  experimentEventSchema, feedbackEventSchema,
} from './events/core'
export {
  scrollEventSchema, rageClickEventSchema, deadClickEventSchema, clickEventSchema, errorEventSchema,
  vitalEventSchema, formStartEventSchema, formSubmitEventSchema, formAbandonEventSchema,
  fieldErrorEventSchema, sectionEventSchema, quickBackEventSchema, excessiveScrollEventSchema,
} from './events/capture'
export { replayEventSchema, sdkHealthEventSchema } from './events/system'
export {
  eventSchema, eventSchemas, EVENT_TYPES,
  type FrictionEvent, type EventType, type EventOf, type EventFields,
  type PageEvent, type PageLeaveEvent, type TrackEvent, type IdentifyEvent, type FunnelStepEvent,
  type ExperimentEvent, type FeedbackEvent, type ScrollEvent, type RageClickEvent, type DeadClickEvent,
  type ClickEvent, type ErrorEvent, type VitalEvent, type FormStartEvent, type FormSubmitEvent,
  type FormAbandonEvent, type FieldErrorEvent, type SectionEvent, type ReplayEvent, type SdkHealthEvent,
  type QuickBackEvent, type ExcessiveScrollEvent,
} from './event'
export { batchSchema, batchEnvelopeSchema, toJSONSchema, type Batch, type BatchEnvelope } from './batch'
export {
  defineEvents, validateTrackProps,
  type EventDefinitions, type InferEvents, type ValidateTrackPropsOptions, type TrackPropsResult,
} from './defineEvents'
export {
  MAX_ID_LENGTH, MAX_URL_LENGTH, MAX_USER_ID_LENGTH, MAX_TEXT_LENGTH, MAX_SELECTOR_LENGTH,
  MAX_TITLE_LENGTH, MAX_NAME_LENGTH, MAX_QUESTION_LENGTH, MAX_ANSWER_LENGTH, MAX_STACK_FRAMES,
  MAX_FUNCTION_NAME_LENGTH, MAX_FINGERPRINT_LENGTH, MAX_FORM_FIELDS, MAX_BATCH_EVENTS, MAX_SITE_LENGTH,
} from './events/limits'
