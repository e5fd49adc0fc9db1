import { MAX_URL_LENGTH } from '../schema/events/limits'
import { isSecretKey, MAX_SCRUB_INPUT_LENGTH, REDACTED, scrubPieces } from './scrubText'

// URL pieces between delimiters: one holding an email address or a token is replaced whole.
const URL_PIECE = /[^\s/?#&=:;]+/g
// `key=value` after `?`, `&`, `;` or `#`, anywhere in the URL: the query, a fragment
// (OAuth's implicit flow puts `#access_token=…` there), a nested `?next=/a?code=…` and path
// parameters (`;jsessionid=…`). One pass over the text: no `searchParams.set` in a loop,
// which re-serialises the whole query on every call.
const PAIR = /([?&;#])([^=?&;#]{1,256})=([^?&;#]*)/g
// A value that is itself an encoded query (`next=%2Fcb%3Fcode%3D…`) is scrubbed decoded.
const ENCODED_QUERY = /%3[fd]|%26/i
const DATA_URL = /^\s*data:([\w.+-]+\/[\w.+-]+)?/i

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}

const scrubPairs = (text: string, depth: number): string =>
  text.replace(PAIR, (pair, separator: string, key: string, value: string) => {
    if (!value) return pair
    if (isSecretKey(key.includes('%') ? decode(key) : key)) return separator + key + '=' + REDACTED
    if (depth < 2 && ENCODED_QUERY.test(value)) {
      const decoded = decode(value)
      const scrubbed = scrubPairs(decoded, depth + 1)
      if (scrubbed !== decoded) {
        return separator + key + '=' + encodeURIComponent(scrubbed).replace(/%5Bredacted%5D/g, REDACTED)
      }
    }
    return pair
  })

/**
 * Replaces secret-looking query, fragment and path-parameter values, email addresses (plain or
 * percent-encoded) and tokens (JSON Web Tokens, long hex or base64 runs) in `url` with
 * `[redacted]`, drops userinfo credentials, and shortens `data:` URLs to their media type.
 * Never throws: an unparsable URL is scrubbed as text. Linear in the input, which is cut first.
 */
export const scrubUrl = (url: string): string => {
  let text = String(url ?? '')
  const data = DATA_URL.exec(text)
  if (data) return 'data:' + (data[1] ?? '')
  if (text.length > MAX_SCRUB_INPUT_LENGTH) {
    // Cut at a delimiter so no half address or half token is left to slip through.
    text = text.slice(0, MAX_SCRUB_INPUT_LENGTH)
    text = text.slice(0, text.search(/[/?#&=;][^/?#&=;]*$/) + 1)
  }
  // Parsed only to drop `user:password@`: the URL parser would also rewrite the rest
  // (`webpack:///./src` → `webpack:///src`), which stack frames must keep as they are.
  if (/^[a-z][a-z\d+.-]+:\/\/[^/?#]*@/i.test(text)) {
    try {
      const parsed = new URL(text)
      parsed.username = ''
      parsed.password = ''
      text = parsed.href
    } catch {
      // Keep the raw text; the passes below still apply.
    }
  }
  return scrubPieces(scrubPairs(text, 0), URL_PIECE).slice(0, MAX_URL_LENGTH)
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
