// Events emitted by core itself: page views and the tracker's API calls.
import { z } from 'zod'
import { eventSchemaOf } from './envelope'
import {
  MAX_ANSWER_LENGTH,
  MAX_NAME_LENGTH,
  MAX_QUESTION_LENGTH,
  MAX_TITLE_LENGTH,
  MAX_URL_LENGTH,
  MAX_USER_ID_LENGTH,
} from './limits'

const nameSchema = z.string().min(1).max(MAX_NAME_LENGTH)
// Keys bounded here; values are open JSON, bounded by the collector's MAX_EVENT_CHARS.
const propsSchema = z.record(z.string().max(MAX_NAME_LENGTH), z.unknown())

const pageFields = {
  path: z.string().max(MAX_URL_LENGTH),
  title: z.string().max(MAX_TITLE_LENGTH),
  /** How the view began: first load, SPA route change, history traversal, bfcache restore, reload. */
  navigation: z.enum(['load', 'spa', 'back_forward', 'bfcache', 'reload']),
}

/**
 * `page`: a page view, automatic on load and on SPA route changes, or `fl.page()`.
 *
 * @example
 * pageEventSchema.parse({ ...envelope, type: 'page', path: '/pricing', title: 'Pricing', navigation: 'spa' })
 */
export const pageEventSchema = eventSchemaOf('page', pageFields)

const pageLeaveFields = {
  /** Time the page was visible and the visitor active. */
  engagedMs: z.number().nonnegative(),
  /** Deepest scroll reached on the page, in percent of its height. */
  maxScrollPct: z.number().min(0).max(100),
  /** Wall-clock time from page view to leave. */
  durationMs: z.number().nonnegative(),
}

/** `page_leave`: sent when a page view ends (route change, hide or exit), with its engagement. */
export const pageLeaveEventSchema = eventSchemaOf('page_leave', pageLeaveFields)

const trackFields = {
  name: nameSchema,
  props: propsSchema,
}

/**
 * `track`: a custom event from `fl.track(name, props)`; validate `props` against your own
 * definitions with `validateTrackProps`.
 */
export const trackEventSchema = eventSchemaOf('track', trackFields)

const identifyFields = {
  // Required here, unlike the envelope's optional `userId`: identifying is the point of the event.
  userId: z.string().min(1).max(MAX_USER_ID_LENGTH),
  traits: propsSchema,
}

/** `identify`: `fl.identify(userId, traits)` linked the anonymous visitor to a user id. */
export const identifyEventSchema = eventSchemaOf('identify', identifyFields)

const funnelStepFields = {
  funnel: nameSchema,
  step: nameSchema,
  /** Position of `step` in the funnel's declared steps, from 0. */
  stepIndex: z.int().nonnegative(),
  /** Time since the previous step of this funnel, null for the first step reached. */
  msSincePrevious: z.number().nonnegative().nullable(),
  props: propsSchema,
}

/** `funnel_step`: a step reached in a funnel declared with `fl.funnel(name, steps)`. */
export const funnelStepEventSchema = eventSchemaOf('funnel_step', funnelStepFields)

const experimentFields = {
  experiment: nameSchema,
  variant: nameSchema,
}

/** `experiment`: an exposure from `fl.experiment(name, variant)`; later events carry it in `context.experiments`. */
export const experimentEventSchema = eventSchemaOf('experiment', experimentFields)

const feedbackFields = {
  question: z.string().min(1).max(MAX_QUESTION_LENGTH),
  /** Free text, or a score (NPS, rating); z.number() already rejects NaN and ±Infinity. */
  answer: z.union([z.string().max(MAX_ANSWER_LENGTH), z.number()]),
}

/** `feedback`: zero-party input from `fl.feedback(question, answer)`. */
export const feedbackEventSchema = eventSchemaOf('feedback', feedbackFields)
