const REDACTED = '[redacted]'
// Longest URL the collector accepts (schema MAX_URL_LENGTH); a longer one would cost the event.
const MAX_URL_LENGTH = 4096
// Query keys whose values look like secrets or personal data (SPEC: token, code, email,
// password, key, sig, auth, session).
const SECRET_KEY = /token|code|email|pass|key|sig|auth|session|secret/i
// URL pieces between separators; one holding an email address (its `@` plain or
// percent-encoded, a dot in the domain) is replaced whole, percent-encoded `+` and all.
// Tested per piece rather than with one unanchored pattern, whose backtracking is quadratic
// on long URLs.
const PIECE = /[^\s/?#&=:]+/g
const EMAIL = /(?:@|%40)[^@\s]*?\.[a-z]{2,}/i
// `key=value` pairs of a fragment (OAuth's implicit flow puts `#access_token=…` there).
const FRAGMENT_PAIR = /([#?&;])([^=#?&;]+)=([^#?&;]*)/g

/**
 * Replaces secret-looking query (and fragment) values and any email address in `url` with
 * `[redacted]`, and drops userinfo credentials. Never throws: an unparsable URL is scrubbed as
 * text.
 */
export const scrubUrl = (url: string): string => {
  let text = String(url)
  if (!text) return text // document.referrer of a direct visit
  try {
    const isAbsolute = /^[a-z][a-z\d+.-]*:/i.test(text)
    const parsed = new URL(text, 'http://x.invalid')
    parsed.username = ''
    parsed.password = ''
    for (const key of new Set(parsed.searchParams.keys())) {
      if (SECRET_KEY.test(key)) parsed.searchParams.set(key, REDACTED)
    }
    if (parsed.hash.includes('=')) {
      parsed.hash = parsed.hash.replace(FRAGMENT_PAIR, (pair, separator: string, key: string) =>
        SECRET_KEY.test(key) ? separator + key + '=' + REDACTED : pair)
    }
    text = isAbsolute ? parsed.href : parsed.href.slice(parsed.origin.length)
  } catch {
    // Keep the raw text; the email pass below still applies.
  }
  return text.replace(/%5Bredacted%5D/gi, REDACTED).replace(PIECE, (piece) => (EMAIL.test(piece) ? REDACTED : piece)).slice(0, MAX_URL_LENGTH)
}

/** A URL scrubber: the built-in rules, then the app's own. */
export type UrlScrubber = (url: string) => string

/**
 * The tracker's one URL scrubber: `scrubUrl`, then the app's `extra` rule on its result. An
 * `extra` that throws or returns something other than a string is reported through `onError`
 * and the built-in result is kept, so a bug in the app's rule never leaks the raw URL.
 */
export const createUrlScrubber = (extra: UrlScrubber | undefined, onError: (detail: unknown) => void): UrlScrubber =>
  extra
    ? (url) => {
        const scrubbed = scrubUrl(url)
        try {
          const result = extra(scrubbed)
          if (typeof result === 'string') return result.slice(0, MAX_URL_LENGTH)
          onError(result)
        } catch (error) {
          onError(error)
        }
        return scrubbed
      }
    : scrubUrl
