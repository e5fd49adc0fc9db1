import type { EventContext } from '../schema'
import type { UrlScrubber } from '../lib/scrubUrl'
import type { SessionState } from './session'

type DeviceType = EventContext['deviceType']

/** Tablet first: iPadOS and Android tablets also match the mobile patterns. */
export const deviceTypeOf = (userAgent: string, screenWidth: number): DeviceType => {
  if (/iPad|Tablet|PlayBook|Silk|Android(?!.*Mobile)/i.test(userAgent)) return 'tablet'
  if (/Mobi|iPhone|iPod|Android|Opera Mini|IEMobile/i.test(userAgent)) return 'mobile'
  // iPadOS 13+ claims to be a Mac; a touch screen of tablet width gives it away.
  if (/Macintosh/.test(userAgent) && navigator.maxTouchPoints > 1) return 'tablet'
  return screenWidth > 0 && screenWidth < 600 ? 'mobile' : 'desktop'
}

/**
 * Builds the `context` of an event. The parts fixed for the page are read once; viewport,
 * utm and experiments are read per event because they change during the page's life.
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
      viewport: { w: window.innerWidth, h: window.innerHeight },
      utm: session.utm,
      experiments: { ...session.experiments },
    }
  }
}

let timezone: string | undefined

/**
 * Adds the context parts that are expensive to read to an event, in the pipeline's deferred
 * step: the first `Intl.DateTimeFormat()` loads locale data (about 30 ms in Chromium), which
 * would make the tracker's start a long task if done while the first page view is emitted.
 */
export const completeContext = (event: { context: EventContext }): void => {
  timezone ??= Intl.DateTimeFormat().resolvedOptions().timeZone || ''
  event.context.timezone = timezone
}
