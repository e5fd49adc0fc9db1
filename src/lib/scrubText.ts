/** What a scrubbed secret or personal value is replaced with. */
export const REDACTED = '[redacted]'

/** Longest input a scrubber reads: text past it is cut first, so the scan cost has a bound. */
export const MAX_SCRUB_INPUT_LENGTH = 8192

// Keys whose values are secrets or personal data wherever they appear in them (SPEC: token,
// code, email, password, key, sig, auth, session; plus what real apps and servers use:
// `credentials`, `mysql_pwd`, `Bearer`, `PHPSESSID`, `jwt`, `access`).
const SECRET_KEY = /token|code|mail|pass|pwd|secret|key|sig|auth|session|sessid|credential|bearer|jwt|access/i
// Short names match only as a whole word, or they would hit "sidebar", "shipping",
// "footprint" and "classname": `sid`, `connect.sid`, `pin`, `ssn`, `otp`, `card[number]`.
const SECRET_WORD = /(?:^|[^a-z])(?:sid|pin|ssn|otp|cvc|cvv|card|cc)(?:[^a-z]|$)/

/** True when a `key=value` or `"key": value` key names a secret or personal value. */
export const isSecretKey = (key: string): boolean =>
  SECRET_KEY.test(key) || SECRET_WORD.test(key.replace(/([a-z])(?=[A-Z])/g, '$1_').toLowerCase())

// An at-sign, plain or percent-encoded once or twice (`%40`, `%2540`), and a dot followed by a
// top-level domain after it (`.`, `%2E`, `%252E`). Each is tried at one position per piece,
// so the test is linear; a single unanchored email pattern backtracks quadratically.
const AT = /@|%(?:25)?40/i
const TLD = /(?:\.|%(?:25)?2e)[a-z]{2}/i
// `logo@2x.png`: image density suffixes are not addresses.
const DENSITY = /^(?:@|%(?:25)?40)\d(?:\.\d)?x\b/i
// A JSON Web Token: base64url JSON header `{"…` (`eyJ`), payload, optional signature.
const JWT = /^eyJ[\w-]{4,}\.[\w-]{4,}\.?[\w-]*$/
// Opaque tokens: 32+ hex digits (API keys, reset links) or 32+ base64/base64url characters.
const HEX = /^[\da-f]{32,}$/i
const BASE64 = /^[\w%+-]{32,}={0,2}$/

const digitCount = (text: string) => text.replace(/\D+/g, '').length

/** Luhn's checksum, as card numbers carry it: tells a card number from an order number. */
const isLuhn = (digits: string): boolean => {
  let sum = 0
  for (let i = digits.length - 1, double = false; i >= 0; i--, double = !double) {
    const d = +digits[i] * (double ? 2 : 1)
    sum += d > 9 ? d - 9 : d
  }
  return sum % 10 === 0
}

/** True when one piece of text (no separators inside) is an email address or an opaque token. */
const isSecretPiece = (piece: string): boolean => {
  const at = piece.search(AT)
  if (at > 0 && !DENSITY.test(piece.slice(at)) && TLD.test(piece.slice(at))) return true
  if (/^\d{13,19}$/.test(piece)) return isLuhn(piece)
  if (piece.length < 20) return false
  if (JWT.test(piece)) return true
  if (HEX.test(piece)) return /\d/.test(piece) && /[a-f]/i.test(piece)
  // Mixed case and digits: base64 of random bytes, not a long word or identifier.
  return BASE64.test(piece) && /[a-z]/.test(piece) && /[A-Z]/.test(piece) && digitCount(piece) > 1
}

/** Replaces every piece (a run between `separators`) that is an email address or a token. */
export const scrubPieces = (text: string, separators: RegExp): string =>
  text.replace(separators, (piece) => (isSecretPiece(piece) ? REDACTED : piece))

// Runs of 13 or more digits, single spaces or dashes between them (`4242 4242 4242 4242`),
// bounded so a long number costs a constant per position.
const DIGIT_RUN = /\d(?:[ -]?\d){12,26}/g

/**
 * Redacts card numbers in a run of digits: the run's groups (split at its spaces and dashes)
 * are tried as 13 to 19 digit windows, and a window that passes Luhn's check is replaced, so a
 * card next to an expiry date or an order number is still found.
 */
const scrubDigitRun = (run: string, offset: number, text: string): string => {
  // Part of a longer number (an id, a hash): not a card.
  if (/\d/.test(text[offset - 1] ?? '') || /\d/.test(text[offset + run.length] ?? '')) return run
  const groups = run.split(/[ -]/)
  const out: string[] = []
  let found = false
  for (let i = 0; i < groups.length; i++) {
    let digits = ''
    let end = -1
    for (let j = i; j < groups.length && digits.length < 19; j++) {
      digits += groups[j]
      if (digits.length >= 13 && digits.length <= 19 && isLuhn(digits)) end = j
    }
    if (end < 0) out.push(groups[i])
    else {
      out.push(REDACTED)
      found = true
      i = end
    }
  }
  return found ? out.join(' ') : run
}

// In objects and log lines `code` is mostly an error or status code (`{"code":42}`,
// `statusCode: 500`): redacted only when it holds 4+ digits, as one-time codes do.
const isSecretField = (key: string, value: string) =>
  isSecretKey(key) && !value.includes(REDACTED) && (isSecretKey(key.replace(/code/gi, '')) || /\d{4}/.test(value))

// Separators of text pieces: whitespace, quotes, brackets, and URL delimiters.
const TEXT_PIECE = /[^\s"'`<>()[\]{},;|\\/?#&=:]+/g
// `key=value` (a query string inside a message). The key starts after a non-key character
// and is at most 64 long, so each position of a long word is tried once, not 64 times.
const TEXT_PAIR = /(^|[^\w.[\]%-])([\w.[\]%-]{1,64})=([^\s&#;,"'<>)]*)/g
// `"key":"value"`, `'key': 1`, `password: hunter2` (a serialized object or a log line).
const TEXT_FIELD = /(^|[^\w.[\]-])(["']?)([\w.[\]-]{1,64})\2(\s?:\s?)("[^"]*"|'[^']*'|[^\s,;}"']+)/g
// "code 483920", "PIN 1234": a secret-sounding word followed by four or more digits.
const TEXT_CODE = /\b(code|otp|pin|passcode|password|token)(\s+)\d{4,}\b/gi
// HTTP credentials in a logged header: `Bearer <token>`.
const TEXT_BEARER = /\b(Bearer)(\s+)[\w.~+/-]+=*/gi

/**
 * Redacts personal data and secrets in captured text (titles, click text, error messages,
 * field names): email addresses (plain or percent-encoded), card numbers (13–19 digits that
 * pass Luhn's check, spaced or not), values of secret-looking keys (`token=…`,
 * `"password":"…"`, `code 483920`), JSON Web Tokens and long hex or base64 tokens, each
 * replaced by `[redacted]`. Linear in the input, which is cut at MAX_SCRUB_INPUT_LENGTH first.
 */
export const scrubText = (text: string): string => {
  let out = String(text).slice(0, MAX_SCRUB_INPUT_LENGTH)
  // Nothing to find in short, plain text: the common case costs one test.
  if (!/[\d@=:%]/.test(out) && out.length < 20) return out
  out = out
    .replace(TEXT_PAIR, (pair, lead: string, key: string, value: string) =>
      value && isSecretKey(key) ? lead + key + '=' + REDACTED : pair,
    )
    .replace(TEXT_BEARER, (_, word: string, space: string) => word + space + REDACTED)
    .replace(TEXT_FIELD, (field, lead: string, quote: string, key: string, colon: string, value: string) => {
      if (!isSecretField(key, value)) return field
      // A quoted value keeps its quotes, so a serialized object still reads as one.
      const mark = value[0] === '"' || value[0] === "'" ? value[0] : ''
      return lead + quote + key + quote + colon + mark + REDACTED + mark
    })
    .replace(TEXT_CODE, (_, word: string, space: string) => word + space + REDACTED)
    .replace(DIGIT_RUN, scrubDigitRun)
  return scrubPieces(out, TEXT_PIECE)
}
