import { createHash, timingSafeEqual } from 'node:crypto'

/** Name of the cookie set by the login form. */
export const SESSION_COOKIE = 'fl_dashboard'

/** What the dashboard asks of each request when it is protected by a token. */
export interface DashboardAuth {
  /** True when the request carries the token (bearer header) or the session cookie. */
  isAllowed(request: Request): boolean
  /** True when `candidate` is the token, compared in constant time. */
  isToken(candidate: string): boolean
  /** The value of the session cookie: a digest of the token, so the cookie never holds the token itself. */
  cookieValue: string
}

const digest = (text: string): Buffer => createHash('sha256').update(text, 'utf8').digest()

/** The cookie value is derived with a label so it cannot be replayed as a bearer token. */
const sessionOf = (token: string): Buffer => digest(`frictionlog-dashboard-session:${token}`)

/**
 * Constant-time comparison of two strings of any length: both sides are hashed first, so
 * `timingSafeEqual` always compares 32 bytes and neither the length nor the first differing
 * character of the secret shows in the response time.
 */
export const isSameSecret = (candidate: string, secret: Buffer): boolean => timingSafeEqual(digest(candidate), secret)

/** Reads one cookie from a `Cookie` header; undefined when absent. */
export const readCookie = (header: string | null, name: string): string | undefined => {
  if (!header) return undefined
  for (const part of header.split(';')) {
    const index = part.indexOf('=')
    if (index < 0) continue
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim()
  }
  return undefined
}

/**
 * Creates the token check of a protected dashboard.
 *
 * @example
 * const auth = createAuth(process.env.FRICTIONLOG_DASHBOARD_TOKEN!)
 * if (!auth.isAllowed(request)) return new Response('unauthorized', { status: 401 })
 */
export function createAuth(token: string): DashboardAuth {
  const tokenDigest = digest(token)
  const session = sessionOf(token)
  const sessionDigest = digest(session.toString('hex'))
  return {
    cookieValue: session.toString('hex'),
    isToken: (candidate) => isSameSecret(candidate, tokenDigest),
    isAllowed(request) {
      const header = request.headers.get('authorization')
      if (header && /^bearer /i.test(header)) return isSameSecret(header.slice(7).trim(), tokenDigest)
      const cookie = readCookie(request.headers.get('cookie'), SESSION_COOKIE)
      return cookie !== undefined && isSameSecret(cookie, sessionDigest)
    },
  }
}

/** Hosts that only this machine can reach: the dashboard needs no token there. */
export const isLoopbackHost = (host: string): boolean =>
  host === 'localhost' || host === '::1' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host)
