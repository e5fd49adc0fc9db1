import type { Consent } from './types'

/**
 * The consent a visitor starts with: Global Privacy Control or Do Not Track mean 'denied'
 * unless the site turned `respectPrivacySignals` off; an explicit `consent()` call later wins.
 */
export const initialConsent = (configured: Consent, respectPrivacySignals: boolean): Consent => {
  // Only called by a tracker in a browser (createTracker checks window first): navigator exists.
  if (!respectPrivacySignals) return configured
  const nav = navigator as Navigator & { globalPrivacyControl?: boolean; msDoNotTrack?: string }
  const win = window as Window & { doNotTrack?: string }
  const isOptedOut = nav.globalPrivacyControl === true || nav.doNotTrack === '1' || win.doNotTrack === '1'
  return isOptedOut ? 'denied' : configured
}
