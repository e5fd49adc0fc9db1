// Size limits of the wire format. The SDK trims to these before sending; the collector rejects
// anything longer, so a buggy or hostile client cannot fill the store with huge strings.
// This file imports nothing (no zod): it is the one module of the schema that browser code may
// import values from (ESLint allows exactly this path), so the SDK and the collector share one
// copy of every number. docs/wire-format.md lists them, checked by test/unit/docs.

/** Longest id accepted (event, session, anonymous, page): nanoid's 21 characters with room to spare. */
export const MAX_ID_LENGTH = 64

/** Longest URL or path accepted: the practical limit of browsers and CDNs is 8 KiB, analytics needs far less. */
export const MAX_URL_LENGTH = 4096

/** Longest user id accepted (emails and UUID-based ids fit). */
export const MAX_USER_ID_LENGTH = 256

/**
 * Text captured from the page (`text`, `message`, `errorType`) is trimmed to this many characters
 * (docs/wire-format.md).
 */
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

/** Longest `context.userAgent` accepted: real ones stay under 500; the SDK does not trim it. */
export const MAX_USER_AGENT_LENGTH = 2048

/** Longest short label accepted: `context.language`, `context.timezone`, `sdk.name`, `sdk.version`. */
export const MAX_LABEL_LENGTH = 100

/**
 * Longest replay chunk accepted, in characters of its JSON (an rrweb array) or of its base64
 * string: the SDK keeps chunks under 12,000 (`MAX_ENCODED_CHARS` in src/replay), and a batch
 * may be at most 64 KiB (`batch.maxBytes`), so this is the most a chunk can honestly be.
 */
export const MAX_REPLAY_CHUNK_CHARS = 65_536

/** Most rrweb events in one replay chunk sent as an array (uncompressed chunks hold far fewer). */
export const MAX_REPLAY_CHUNK_EVENTS = 5000

/**
 * Largest event accepted, in characters of its JSON (estimated by the collector while it walks
 * the event): bounds what the open parts (`props`, `traits`, `attribution`, `dropped`, a replay
 * chunk) can hold, since their strings have no field of their own to carry a limit. The SDK's
 * per-event limit is `batch.maxBytes`, at most 65,536.
 */
export const MAX_EVENT_CHARS = 65_536 + 4096

/** Earliest timestamp accepted (`ts`, `sentAt`, replay `startTs`/`endTs`): 2000-01-01T00:00:00Z. */
export const MIN_TIMESTAMP = 946_684_800_000

/** Latest timestamp accepted: 2100-01-01T00:00:00Z; every renderer can format anything in between. */
export const MAX_TIMESTAMP = 4_102_444_800_000

/**
 * How far before the batch's `sentAt` an event's `ts` may be: events parked in the browser's
 * outbox wait for the visitor's next page of the site, which can be weeks later; older ones are
 * refused rather than filed under a day long gone.
 */
export const TS_WINDOW_PAST_MS = 30 * 24 * 3600 * 1000

/**
 * How far after the batch's `sentAt` an event's `ts` may be: both come from the same browser
 * clock, so only a clock set back between the event and the send puts `ts` ahead of `sentAt`.
 */
export const TS_WINDOW_FUTURE_MS = 10 * 60 * 1000
