import type { Plugin } from '../core/types'
import type { EventFields } from '../schema'
import { createFieldHesitationLog, type FieldHesitationLog } from '../lib/fieldHesitation'
import { fieldName, MAX_FIELD_NAME_LENGTH } from '../lib/fieldName'
import { selectorOf } from '../lib/selector'
import { trimText } from '../lib/text'
import { VALIDITY_FLAGS } from '../schema/events/validityFlags'

/** Options of `forms()`. */
export interface FormsOptions {
  /**
   * Which elements are forms. `[data-fl-form]` marks a container that is not a `<form>`
   * (React forms often are not); its value, if any, names the form.
   * @default 'form,[data-fl-form]'
   */
  selector?: string
}

/** The default `selector`: real forms and marked containers. */
export const DEFAULT_FORM_SELECTOR = 'form,[data-fl-form]'
/** Most touched fields listed in one form event (schema `MAX_FORM_FIELDS`). */
export const MAX_FORM_FIELDS = 100
/** Most `field_error` events per page view: a form resubmitted in a loop cannot flood the queue. */
export const MAX_FIELD_ERRORS_PER_VIEW = 100

// Buttons and hidden inputs are not fields a visitor fills in.
const NOT_A_FIELD_TYPE = /^(submit|button|reset|image|hidden)$/

type Reason = EventFields<'field_error'>['reason']
interface FormState {
  fields: string[]
  hesitation: FieldHesitationLog
  lastField?: string
  startedAt: number
  isSubmitted?: boolean
  isAbandoned?: boolean
}

const isField = (el: Element) =>
  /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) && !NOT_A_FIELD_TYPE.test((el as HTMLInputElement).type)

/** `data-fl-form`'s value (an explicit name wins), the id, the name, else its selector. */
const nameForm = (form: Element) =>
  trimText(
    // getAttribute, not `form.id`/`form.name`: a control named "id" or "name" shadows those.
    form.getAttribute('data-fl-form') || form.getAttribute('id') || form.getAttribute('name') || selectorOf(form),
    MAX_FIELD_NAME_LENGTH,
  )

/**
 * Form friction, never field values: `form_start` at the first interaction (focus, input,
 * change) with a form, `form_submit` on submit (for a `[data-fl-form]` container that is not a
 * `<form>`: a click on a `[type=submit]` or `[data-fl-submit]` inside it), `form_abandon` when
 * the page is hidden or the route changes with a started form unsubmitted (at most once per
 * form per page view; a later submit is still reported), each with the touched fields in order,
 * the last field and the time since the start; submit and abandon add each touched field's
 * `hesitation`: time focused, returns to it and corrections (runs of deletions, read from
 * `InputEvent.inputType`); `field_error` with the first failing ValidityState
 * flag on the browser's `invalid` event, or `ariaInvalid` when a script sets
 * `aria-invalid="true"` (React Hook Form, Formik…).
 *
 * Fields are named by `name`, `id`, label text or `aria-label` (see `fieldName`); no code path
 * reads `.value`, and password or card fields are named by their attributes only. Forms are
 * keyed by name, so a form re-rendered by a framework keeps its progress. Not covered: fields
 * inside shadow roots, and Enter-key submits of containers that are not `<form>`.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [forms()] })
 * // <div data-fl-form="signup">…<button type="submit">Join</button></div>
 */
export const forms = (options: FormsOptions = {}): Plugin => ({
  name: 'forms',
  setup(ctx) {
    const selector = options.selector ?? DEFAULT_FORM_SELECTOR
    let states = new Map<string, FormState>()
    let errorCount = 0
    // Names of fields and of forms, each worked out once per element: they are read on every
    // keystroke, and a form's name goes through the text scrubber. A form and its fields are
    // different elements, so one map holds both.
    const names = new WeakMap<Element, string>()
    const nameOf = (el: Element, name = fieldName) => {
      let value = names.get(el)
      if (!value) names.set(el, (value = name(el)))
      return value
    }
    const formName = (form: Element) => nameOf(form, nameForm)
    // `now` is read once per interaction so a form_start is 0 ms long even when the clock ticks
    // between creating the state and reporting it.
    const report = (
      type: 'form_start' | 'form_submit' | 'form_abandon',
      form: string,
      state: FormState,
      now = Date.now(),
    ) =>
      ctx.emit(type, {
        form,
        fields: state.fields.slice(),
        lastField: state.lastField,
        durationMs: Math.max(0, now - state.startedAt),
        // Submit and abandon close the form: they say where the visitor hesitated.
        ...(type !== 'form_start' && { hesitation: state.hesitation.report(state.fields, now) }),
      })
    const newState = (now: number): FormState => ({
      fields: [],
      hesitation: createFieldHesitationLog(),
      startedAt: now,
    })
    const formOf = (target: EventTarget | null) => (target as Element | null)?.closest?.(selector)

    const onInteraction = (event: Event) => {
      const field = event.target as Element
      const form = formOf(field)
      if (!form || !isField(field)) return
      const name = formName(form)
      const fieldLabel = nameOf(field)
      let state = states.get(name)
      const isStart = !state
      const now = Date.now()
      if (!state) states.set(name, (state = newState(now)))
      if (!state.fields.includes(fieldLabel) && state.fields.length < MAX_FORM_FIELDS) state.fields.push(fieldLabel)
      state.lastField = fieldLabel
      if (event.type === 'focusin') state.hesitation.focus(fieldLabel, now)
      // inputType names the kind of edit, never its content: deleteContentBackward, deleteByCut…
      // (https://w3c.github.io/input-events/#interface-InputEvent-Attributes).
      else if (event.type === 'input')
        state.hesitation.input(fieldLabel, /^delete/.test((event as InputEvent).inputType))
      if (isStart) report('form_start', name, state, now)
    }
    const onFocusOut = (event: Event) => {
      const field = event.target as Element
      const form = formOf(field)
      if (form && isField(field)) states.get(formName(form))?.hesitation.blur(nameOf(field), Date.now())
    }
    const onSubmit = (form: Element) => {
      const name = formName(form)
      let state = states.get(name)
      if (!state) states.set(name, (state = newState(Date.now())))
      state.isSubmitted = true
      report('form_submit', name, state)
    }
    const onFieldError = (field: Element, reason: Reason) => {
      const form = formOf(field)
      if (!form || errorCount >= MAX_FIELD_ERRORS_PER_VIEW) return
      errorCount++
      ctx.emit('field_error', { form: formName(form), field: nameOf(field), reason })
    }
    const abandon = () =>
      states.forEach((state, name) => {
        if (state.isSubmitted || state.isAbandoned) return
        state.isAbandoned = true
        report('form_abandon', name, state)
      })

    // On window in the capture phase, as the other plugins listen: one native listener per event
    // type for all of them, and first to hear it, before any handler of the page can stop it.
    for (const type of ['focusin', 'input', 'change']) ctx.listen(window, type, onInteraction, true)
    ctx.listen(window, 'focusout', onFocusOut, true)
    ctx.listen(
      window,
      'submit',
      (event) => {
        const form = formOf(event.target)
        if (form) onSubmit(form)
      },
      true,
    )
    ctx.listen(
      window,
      'click',
      (event) => {
        // A <form> reports through its submit event; this is for containers without one.
        const button = (event.target as Element | null)?.closest?.('[type=submit],[data-fl-submit]')
        const form = formOf(button ?? null)
        if (form && form.tagName !== 'FORM') onSubmit(form)
      },
      true,
    )
    // `invalid` does not bubble: listened to in the capture phase.
    ctx.listen(
      window,
      'invalid',
      (event) => {
        const validity = (event.target as HTMLInputElement).validity
        const reason = VALIDITY_FLAGS.find((flag) => validity?.[flag])
        if (reason) onFieldError(event.target as Element, reason)
      },
      true,
    )
    ctx.onHidden(abandon)
    ctx.onRouteChange(() => {
      abandon()
      states = new Map()
      errorCount = 0
    })

    if (typeof MutationObserver !== 'function') return
    // Only `aria-invalid` attribute changes are delivered (attributeFilter), so this stays cheap.
    const observer = new MutationObserver(
      ctx.guard((records: MutationRecord[]) => {
        for (const record of records) {
          const el = record.target as Element
          if (record.oldValue !== 'true' && el.getAttribute('aria-invalid') === 'true') onFieldError(el, 'ariaInvalid')
        }
      }),
    )
    observer.observe(document.documentElement, {
      subtree: true,
      attributeFilter: ['aria-invalid'],
      attributeOldValue: true,
    })
    return () => observer.disconnect()
  },
})
