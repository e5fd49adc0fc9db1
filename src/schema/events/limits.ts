// Size limits of the wire format. The SDK trims to these before sending; the collector rejects
// anything longer, so a buggy or hostile client cannot fill the store with huge strings.
// This file imports nothing (no zod), so it is the one schema file browser code may import
// values from (`src/lib/text.ts`, `scrubUrl.ts`, `stack.ts`): one copy of every number.

/** Longest id accepted (event, session, anonymous, page): nanoid's 21 characters with room to spare. */
export const MAX_ID_LENGTH = 64

/** Longest URL or path accepted: the practical limit of browsers and CDNs is 8 KiB, analytics needs far less. */
export const MAX_URL_LENGTH = 4096

/** Longest user id accepted (emails and UUID-based ids fit). */
export const MAX_USER_ID_LENGTH = 256

/** Text captured from the page (`text`, `message`, `errorType`) is trimmed to this many characters (SPEC). */
export const MAX_TEXT_LENGTH = 100

/** Longest CSS selector accepted (`selector`, `attribution.target`, `afterClick`). */
export const MAX_SELECTOR_LENGTH = 500

/** Longest document title accepted. */
export const MAX_TITLE_LENGTH = 300

/** Longest name accepted: custom event, funnel, step, experiment, variant, form, field, section. */
export const MAX_NAME_LENGTH = 200

/** Longest feedback question accepted. */
export const MAX_QUESTION_LENGTH = 500

/** Longest free-text feedback answer accepted. */
export const MAX_ANSWER_LENGTH = 2000

/** Most stack frames kept per error: the top frames locate the bug, the rest is framework noise. */
export const MAX_STACK_FRAMES = 50

/** Longest function name accepted in a stack frame. */
export const MAX_FUNCTION_NAME_LENGTH = 500

/** Longest error fingerprint accepted (a hash, in practice far shorter). */
export const MAX_FINGERPRINT_LENGTH = 64

/** Most touched fields listed in one form event. */
export const MAX_FORM_FIELDS = 100

/** Most events in one batch: 1000 small events is already far above `batch.maxBytes`. */
export const MAX_BATCH_EVENTS = 1000

/** Longest `site` (project id) accepted in a batch. */
export const MAX_SITE_LENGTH = 200
