// Events emitted by the capture plugins (scrollDepth, clicks, errors, webVitals, forms, sections,
// quickBack, excessiveScroll).
import { z } from 'zod'
import { eventSchemaOf } from './envelope'
import {
  MAX_FINGERPRINT_LENGTH,
  MAX_FORM_FIELDS,
  MAX_FUNCTION_NAME_LENGTH,
  MAX_NAME_LENGTH,
  MAX_SELECTOR_LENGTH,
  MAX_STACK_FRAMES,
  MAX_TEXT_LENGTH,
  MAX_URL_LENGTH,
} from './limits'
import { VALIDITY_FLAGS } from './validityFlags'

const nameSchema = z.string().min(1).max(MAX_NAME_LENGTH)
const selectorSchema = z.string().max(MAX_SELECTOR_LENGTH)
const textSchema = z.string().max(MAX_TEXT_LENGTH)

const scrollFields = {
  /** Milestone crossed (25, 50, 75, 90, 100 by default; milestones are configurable, so any integer percent). */
  depthPct: z.int().min(0).max(100),
  pageHeight: z.number().nonnegative(),
}

/** `scroll`: a scroll-depth milestone crossed, once per milestone per page view. */
export const scrollEventSchema = eventSchemaOf('scroll', scrollFields)

const rageClickFields = {
  selector: selectorSchema,
  text: textSchema,
  /** Page coordinates of the last click. */
  x: z.number(),
  y: z.number(),
  // At least 2: a single click cannot be a burst, whatever the configured threshold.
  clicks: z.int().min(2),
  /** Time between the first and the last click of the burst. */
  windowMs: z.number().nonnegative(),
}

/** `rage_click`: repeated clicks on the same element in a short time and small radius. */
export const rageClickEventSchema = eventSchemaOf('rage_click', rageClickFields)

const deadClickFields = {
  selector: selectorSchema,
  text: textSchema,
  x: z.number(),
  y: z.number(),
}

/** `dead_click`: a click on an interactive element after which nothing visible happened. */
export const deadClickEventSchema = eventSchemaOf('dead_click', deadClickFields)

const clickFields = {
  selector: selectorSchema,
  /** Page coordinates. */
  x: z.number(),
  y: z.number(),
  /** Position within the element, 0–1, so heatmaps survive layout changes. */
  relX: z.number().min(0).max(1),
  relY: z.number().min(0).max(1),
  /** Viewport width at click time, to bucket heatmaps by breakpoint. */
  viewportW: z.number().nonnegative(),
}

/** `click`: heatmap data, sent only with `clicks({ heatmap: true })`. */
export const clickEventSchema = eventSchemaOf('click', clickFields)

/** One parsed stack frame; `line` and `col` are null when the browser does not give them. */
const stackFrameSchema = z.object({
  file: z.string().max(MAX_URL_LENGTH),
  line: z.number().nullable(),
  col: z.number().nullable(),
  fn: z.string().max(MAX_FUNCTION_NAME_LENGTH),
})

const errorFields = {
  source: z.enum(['onerror', 'unhandledrejection', 'resource', 'manual']),
  message: textSchema,
  /** Constructor name, e.g. 'TypeError'. */
  errorType: textSchema,
  stack: z.array(stackFrameSchema).max(MAX_STACK_FRAMES),
  /** Stable hash of type, message and top frames, to group repeats. */
  fingerprint: z.string().min(1).max(MAX_FINGERPRINT_LENGTH),
  /** Occurrences folded into this event instead of being sent as duplicates. */
  count: z.int().min(1),
  /** Selector clicked within 1 s before the error, if any: the likely trigger. */
  afterClick: selectorSchema.optional(),
}

/** `error`: a JavaScript error, unhandled rejection, failed resource or `fl.captureError(err)`. */
export const errorEventSchema = eventSchemaOf('error', errorFields)

/**
 * The static type of `attribution`. zod infers `{ [part: string]: number; target?: string }`
 * from the catchall, a type TypeScript accepts but no object literal with a `target` can
 * satisfy, so the plugin could not build one; this wider index signature can be built, while
 * validation stays as strict (`target` a string, every other part a number).
 */
type VitalAttribution = { target?: string; [part: string]: number | string | undefined }

const vitalFields = {
  name: z.enum(['LCP', 'INP', 'CLS', 'FCP', 'TTFB']),
  value: z.number(),
  delta: z.number(),
  rating: z.enum(['good', 'needs-improvement', 'poor']),
  /** web-vitals' `navigationType`, verbatim (hyphenated, unlike the `page` event's `navigation`). */
  navigationType: z.enum(['navigate', 'reload', 'back-forward', 'back-forward-cache', 'prerender', 'restore']),
  /**
   * The element responsible and the metric's main timing parts (e.g. `timeToFirstByte`,
   * `resourceLoadDelay` for LCP). The catchall keeps the parts open across metrics and
   * web-vitals versions while still refusing DOM nodes, entries and non-finite numbers.
   */
  attribution: z.object({ target: selectorSchema.optional() }).catchall(z.number()) as z.ZodType<VitalAttribution>,
}

/** `vital`: a Core Web Vital (or FCP/TTFB) reported by web-vitals with attribution. */
export const vitalEventSchema = eventSchemaOf('vital', vitalFields)

// The three form events share their fields; never field values (SPEC).
const formFields = {
  /** The form's id, name or selector. */
  form: nameSchema,
  /** Names of the fields touched, in order. */
  fields: z.array(z.string().max(MAX_NAME_LENGTH)).max(MAX_FORM_FIELDS),
  lastField: z.string().max(MAX_NAME_LENGTH).optional(),
  /** Time since the first interaction with the form. */
  durationMs: z.number().nonnegative(),
}

/** Hesitation on one field: counts and times only, never what was typed. */
const fieldHesitationSchema = z.object({
  field: z.string().max(MAX_NAME_LENGTH),
  /** Total time the field had focus. */
  focusMs: z.number().nonnegative(),
  /** Times focus came back to the field after leaving it. */
  returns: z.int().nonnegative(),
  /** Runs of deletions (Backspace, Delete, cut): a run of key presses counts once. */
  corrections: z.int().nonnegative(),
})

// Submit and abandon close a form: they add the per-field hesitation, in the order of `fields`.
// Optional on the wire so a collector still accepts these events from SDK builds without it.
const formEndFields = {
  ...formFields,
  hesitation: z.array(fieldHesitationSchema).max(MAX_FORM_FIELDS).optional(),
}

/** `form_start`: the first interaction with a form. */
export const formStartEventSchema = eventSchemaOf('form_start', formFields)

/** `form_submit`: a form submitted, with each touched field's hesitation. */
export const formSubmitEventSchema = eventSchemaOf('form_submit', formEndFields)

/** `form_abandon`: a started form left unsubmitted (page hidden or left), with each touched field's hesitation. */
export const formAbandonEventSchema = eventSchemaOf('form_abandon', formEndFields)

const fieldErrorFields = {
  form: nameSchema,
  field: nameSchema,
  reason: z.enum([
    ...VALIDITY_FLAGS,
    // Not a ValidityState flag: forms built with React Hook Form, Formik, VeeValidate… validate
    // in JavaScript on a `novalidate` form, so ValidityState stays valid and the only signal is
    // `aria-invalid="true"`, which those libraries set for accessibility (WAI-ARIA).
    'ariaInvalid',
  ]),
}

/** `field_error`: a form field failed validation, with the reason. */
export const fieldErrorEventSchema = eventSchemaOf('field_error', fieldErrorFields)

const sectionFields = {
  section: nameSchema,
  /** Time the section was visible on screen. */
  visibleMs: z.number().nonnegative(),
  /** 1 for the first section seen on the page, 2 for the next… */
  order: z.int().min(1),
}

/** `section`: a `[data-fl-section]` element was seen, with how long and in which order. */
export const sectionEventSchema = eventSchemaOf('section', sectionFields)

const quickBackFields = {
  /** `page.path` of the page left quickly: the visitor came back from it to the page before. */
  leftPath: z.string().max(MAX_URL_LENGTH),
  /** Time spent on the page left, from its page view to the return. */
  durationMs: z.number().nonnegative(),
}

/**
 * `quick_back`: the visitor went from this page to another page of the site and came back
 * within a short time (Clarity's "quick back"); sent on the page returned to, once per return.
 */
export const quickBackEventSchema = eventSchemaOf('quick_back', quickBackFields)

const excessiveScrollFields = {
  /** Direction changes between scroll legs of at least the detector's distance. */
  reversals: z.int().min(1),
  /** Time from the first counted reversal to the one that crossed the threshold. */
  windowMs: z.number().nonnegative(),
  /** Distance scrolled on the page view up to the signal, both directions added. */
  distancePx: z.number().nonnegative(),
}

/** `excessive_scroll`: repeated scrolling back and forth over a distance, once per page view. */
export const excessiveScrollEventSchema = eventSchemaOf('excessive_scroll', excessiveScrollFields)
