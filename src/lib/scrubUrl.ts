const REDACTED = '[redacted]'
// Query keys whose values look like secrets or personal data (SPEC: token, code, email,
// password, key, sig, auth, session).
const SECRET_KEY = /token|code|email|pass|key|sig|auth|session|secret/i
// An email address, with its `@` plain or percent-encoded as it appears inside a URL.
const EMAIL = /[^\s/?#&=:@%]+(?:@|%40)[^\s/?#&=:@%]+\.[a-z]{2,}/gi

/**
 * Replaces secret-looking query values and any email address in `url` with `[redacted]`,
 * and drops userinfo credentials. Never throws: an unparsable URL is scrubbed as text.
 */
export const scrubUrl = (url: string): string => {
  let text = String(url)
  try {
    const isAbsolute = /^[a-z][a-z\d+.-]*:/i.test(text)
    const parsed = new URL(text, 'http://x.invalid')
    parsed.username = ''
    parsed.password = ''
    for (const key of new Set(parsed.searchParams.keys())) {
      if (SECRET_KEY.test(key)) parsed.searchParams.set(key, REDACTED)
    }
    text = isAbsolute ? parsed.href : parsed.href.slice(parsed.origin.length)
  } catch {
    // Keep the raw text; the email pass below still applies.
  }
  return text.replace(/%5Bredacted%5D/g, REDACTED).replace(EMAIL, REDACTED)
}
