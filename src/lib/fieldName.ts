import { MAX_NAME_LENGTH } from '../schema/events/limits'
import { REDACTED } from './scrubText'
import { selectorOf } from './selector'
import { trimText } from './text'

/** Longest form or field name the wire format accepts (schema `MAX_NAME_LENGTH`). */
export const MAX_FIELD_NAME_LENGTH = MAX_NAME_LENGTH

// Fields whose surrounding text may itself be sensitive: saved-payment and password-manager
// UIs put "Visa •••• 4242" or "Password for jane@example.com" in labels and aria-labels.
// https://html.spec.whatwg.org/multipage/form-control-infrastructure.html#autofill-field
const CARD_AUTOCOMPLETE = /\bcc-[a-z-]+/

const attribute = (el: Element, name: string) => trimText(el.getAttribute(name), MAX_FIELD_NAME_LENGTH)

// Text written for people ("Send receipt to jane@…", "Card ending 4242 for Jane Doe") that held
// personal data the scrubber found, or a number of 4+ digits, likely holds more that it cannot
// see (the name next to it): such a label is not used as the field's name at all.
const impersonal = (text: string) => (text.includes(REDACTED) || /\d{4}/.test(text) ? '' : text)

/** A label's own text, without the text of controls nested in it (a `<select>`'s options). */
const labelText = (el: Element): string => {
  const label = (el as HTMLInputElement).labels?.[0] ?? el.closest('label')
  if (!label) return ''
  const copy = label.cloneNode(true) as Element
  copy.querySelectorAll('input,select,textarea,button').forEach((control) => control.remove())
  return trimText(copy.textContent)
}

/**
 * Names a form field from its markup only, never from its value: the `name` attribute, the
 * `id`, the associated `<label>`'s text (≤ 100 characters), the `aria-label`, else its
 * selector; all scrubbed (`scrubText`), and a label or `aria-label` in which the scrubber found
 * personal data, or that holds a 4+ digit number, is skipped. Password and card
 * (`autocomplete="cc-*"`) fields are named by `name`/`id` only, else generically (`password`,
 * `cc-number`), because their labels may hold personal data.
 */
export const fieldName = (el: Element): string => {
  const named = attribute(el, 'name') || attribute(el, 'id')
  if (named) return named
  const type = el.getAttribute('type')?.toLowerCase()
  const card = CARD_AUTOCOMPLETE.exec(el.getAttribute('autocomplete') ?? '')?.[0]
  if (type === 'password') return type
  if (card) return card
  const described = impersonal(labelText(el)) || impersonal(attribute(el, 'aria-label'))
  return described || selectorOf(el).slice(0, MAX_FIELD_NAME_LENGTH)
}
