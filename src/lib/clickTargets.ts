/**
 * What a visitor expects to react to a click (README "clicks(options)": links, buttons, controls).
 * `input` here means the button-like ones: text-like inputs are caught by `isTextEntry` first.
 */
export const INTERACTIVE = 'a[href],button,input,[role=button],[role=link],summary,label'

// Input types that are clicked rather than typed into.
const BUTTON_INPUT = /^(submit|button|checkbox|radio|reset|image)$/
// Controls clicked many times on purpose: steppers (increment, quantity, spin buttons) and
// next/previous navigation (carousels, pagination, date pickers), recognised by their label,
// class, rel or id. `next`, `prev` and `back` as whole words only, so `feedback` or `background`
// do not count. No lookbehind: Safari before 16.4 cannot parse one and would reject the bundle.
// Two patterns only to keep each line short: a text is a repeated control when either matches.
const NAVIGATION_WORD = /(^|[^a-z])(next|prev(ious)?|back|forward)([^a-z]|$)|arrow|pag(inat|er)|date-?picker|calendar/i
const STEPPER_WORD = /incre|decre|stepper|spin|qty|quantity/i
// A control whose whole label is a sign or an arrow: `+`, `−`, `‹`, `»`, `→`…
const SIGN_LABEL = /^[-+−–<>‹›«»←→]+$/

/**
 * True when a click on `el` is about text entry: text-like inputs (and number, date, file, range…),
 * textareas, selects, contenteditable. Clicks there place a caret or select words.
 */
export const isTextEntry = (el: Element): boolean =>
  el.localName === 'input'
    ? !BUTTON_INPUT.test((el as HTMLInputElement).type)
    : !!el.closest('textarea,select,[contenteditable]')

/** True for steppers and next/previous controls: clicking them repeatedly is normal use. */
export const isRepeatedControl = (el: Element): boolean => {
  const label = (el.getAttribute('aria-label') ?? el.textContent ?? '').trim()
  const words = [label.slice(0, 50), ...['title', 'class', 'rel', 'id'].map((name) => el.getAttribute(name))].join(' ')
  return (
    !!el.closest('[role=spinbutton]') ||
    SIGN_LABEL.test(label) ||
    NAVIGATION_WORD.test(words) ||
    STEPPER_WORD.test(words)
  )
}

// Files a link downloads (or hands to a viewer or another app) rather than a page it shows:
// documents, archives, installers, data and media. Such a click changes nothing on the page,
// with or without the `download` attribute, so it must never count as dead (SPEC).
const DOWNLOAD_PATH =
  /\.(pdf|zip|rar|7z|t?gz|tar|dmg|exe|msi|pkg|deb|rpm|apk|iso|csv|xlsx?|docx?|pptx?|od[tsp]|epub|ics|mp[34]|mov|wav)$/i

/**
 * True when a link's pathname names a downloadable file (`/files/price-list.PDF`). The query
 * and hash are not part of a pathname, so `/report.pdf?v=2` counts and `/pdf-guide` does not.
 */
export const isDownloadPath = (pathname: string): boolean => DOWNLOAD_PATH.test(pathname)

/**
 * True when `el`, the clicked interactive element, can be a dead click: not a download (a
 * `download` attribute or a link to a file, see `isDownloadPath`), not a
 * label of a file input (the picker opens outside the page), not disabled, not opening another
 * tab, not a stepper (it changes an input's value property, which no MutationObserver sees) nor
 * a next/previous control (at the end of a carousel it does nothing on purpose).
 */
export const isDeadClickCandidate = (el: Element): boolean =>
  !el.matches('a[download],:disabled,[target=_blank]') &&
  !(el.localName === 'a' && isDownloadPath((el as HTMLAnchorElement).pathname ?? '')) &&
  !el.closest('[aria-disabled=true]') &&
  ((el as HTMLLabelElement).control as HTMLInputElement | null)?.type !== 'file' &&
  !isRepeatedControl(el)
