// Feedback answers are free text typed by visitors: they hold emails, phone and card numbers and
// pasted tokens more often than any captured page text. The report shows them, so it scrubs them
// first (the SDK scrubs page text; answers are the visitor's own words and reach the collector
// as typed).

/** Longest answer kept for the report; scrubbing runs on at most this much (linear time). */
export const MAX_SCRUBBED_CHARS = 300

const REDACTED = '[redacted]'

/**
 * One linear pass each (no nested quantifiers): an email address; a run of 9 or more digits,
 * spaces, dots, dashes or parentheses holding at least 9 digits (cards, phones, IBAN tails); a JWT; a long
 * hex or base64url token.
 */
const EMAIL = /[^\s@<>()[\]"',;:]{1,64}@[^\s@<>()[\]"',;:]{1,255}\.[a-z]{2,24}/gi
const DIGIT_RUN = /\+?\(?\d(?:[\s().-]{0,2}\d){8,}/g
const JWT = /\beyJ[\w-]{5,}\.[\w-]{5,}\.[\w-]{5,}/g
const TOKEN = /\b(?=[A-Za-z_-]*\d)[A-Za-z0-9_-]{32,}\b/g

/**
 * `text` cut to MAX_SCRUBBED_CHARS with emails, long digit runs and token-looking strings
 * replaced by `[redacted]`.
 *
 * @example
 * scrubText('mail me at jane@example.com') // 'mail me at [redacted]'
 */
export function scrubText(text: string): string {
  const cut = String(text).slice(0, MAX_SCRUBBED_CHARS)
  return cut.replace(JWT, REDACTED).replace(EMAIL, REDACTED).replace(TOKEN, REDACTED).replace(DIGIT_RUN, REDACTED)
}
