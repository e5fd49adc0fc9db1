// Feedback answers are free text typed by visitors: besides what every captured text may hold
// (emails, card numbers, tokens: the SDK's one text scrubber), they hold phone numbers more
// often than any page text. The report shows them, so it scrubs them again, server side: an
// answer sent by an older SDK, or by a client that is not the SDK, was never scrubbed.
import { REDACTED, scrubText } from '../lib/scrubText'

/** Longest answer kept for the report; scrubbing runs on at most this much (linear time). */
export const MAX_ANSWER_CHARS = 300

/**
 * A run of 9 or more digits with spaces, dots, dashes or parentheses between them: phone
 * numbers (`+1 (415) 555-0100`), IBAN and account tails. Each iteration consumes a digit and at
 * most two separators, so a match costs a constant per character.
 */
const DIGIT_RUN = /\+?\(?\d(?:[\s().-]{0,2}\d){8,}/g

/**
 * `text` cut to MAX_ANSWER_CHARS, with the SDK's text scrubber applied (emails, card numbers,
 * secret values, JWTs and long tokens) and then every long digit run replaced by `[redacted]`.
 *
 * @example
 * scrubAnswer('call me on +1 415 555 0100') // 'call me on [redacted]'
 */
export function scrubAnswer(text: string): string {
  return scrubText(String(text).slice(0, MAX_ANSWER_CHARS)).replace(DIGIT_RUN, REDACTED)
}
