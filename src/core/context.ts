import type { EventContext } from '../schema'
import type { UrlScrubber } from '../lib/scrubUrl'
import type { SessionState } from './session'

type DeviceType = EventContext['deviceType']

/** Tablet first: iPadOS and Android tablets also match the mobile patterns. */
export const deviceTypeOf = (userAgent: string, screenWidth: number): DeviceType => {
  if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet'
  // `Mobi` also covers IEMobile and every Android left here (those without "Mobile" are tablets).
  if (/Mobi|iPhone|iPod|Opera Mini/i.test(userAgent)) return 'mobile'
  // iPadOS 13+ claims to be a Mac; a touch screen of tablet width gives it away.
  if (/Macintosh/.test(userAgent) && navigator.maxTouchPoints > 1) return 'tablet'
  return screenWidth > 0 && screenWidth < 600 ? 'mobile' : 'desktop'
}

/**
 * Builds the `context` of an event. The parts fixed for the page are read once; utm and
 * experiments per event because they change during the page's life; the viewport and the
 * timezone in the deferred step (`completeContext`).
 */
export const createContext = (scrubUrl: UrlScrubber) => {
  let fixed: Omit<EventContext, 'viewport' | 'utm' | 'experiments'> | undefined
  return (session: SessionState): EventContext => {
    fixed ??= {
      userAgent: navigator.userAgent,
      language: navigator.language || '',
      // Filled by completeContext in the deferred pipeline step, see below.
      timezone: '',
      screen: { w: screen.width, h: screen.height },
      deviceType: deviceTypeOf(navigator.userAgent, screen.width),
      referrer: scrubUrl(document.referrer),
      sdk: { name: 'frictionlog', version: __FL_VERSION__ },
    }
    return {
      ...fixed,
      viewport: { w: 0, h: 0 },
      utm: session.utm,
      experiments: { ...session.experiments },
    }
  }
}

let timezone: string | undefined

/**
 * The visitor's IANA time zone. `Temporal.Now.timeZoneId()` where it exists (Chromium 144+,
 * Firefox 139+): about 0.1 ms, where the first `Intl.DateTimeFormat()` loads locale data and
 * took 14–24 ms of main-thread time per page in the benchmark visit (bench/profile.mjs).
 */
const readTimezone = (): string => {
  const fromTemporal = (
    globalThis as { Temporal?: { Now?: { timeZoneId?: () => string } } }
  ).Temporal?.Now?.timeZoneId?.()
  return typeof fromTemporal === 'string' && fromTemporal
    ? fromTemporal
    : Intl.DateTimeFormat().resolvedOptions().timeZone || ''
}

/**
 * Adds the context parts that are costly to read to an event, in the pipeline's deferred step:
 * the timezone (see readTimezone), and the viewport, whose `innerWidth`/`innerHeight` force a
 * layout when the DOM changed since the last one (at start-up, the page's whole first layout
 * would run inside the tracker's task). Deferred by a few milliseconds, it still describes the
 * moment of the event.
 */
export const completeContext = (event: { context: EventContext }): void => {
  timezone ??= readTimezone()
  event.context.timezone = timezone
  event.context.viewport = { w: window.innerWidth, h: window.innerHeight }
}
