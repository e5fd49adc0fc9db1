import { afterEach, vi } from 'vitest'
import { createTracker } from '../../../src/core/tracker'
import type { EventMap, SendResult, Tracker, TrackerOptions, Transport, WireBatch } from '../../../src/core/types'
import type { FrictionEvent } from '../../../src/schema'

export interface Sent {
  batch: WireBatch
  unloading: boolean
}

/** A fake transport that records every batch it is handed and answers `result()`. */
export const fakeTransport = (result: () => SendResult | Promise<SendResult> = () => ({ ok: true })) => {
  const sent: Sent[] = []
  const transport = vi.fn<Transport>((batch, { unloading }) => {
    sent.push({ batch: JSON.parse(JSON.stringify(batch)), unloading })
    return result()
  })
  const events = (type?: string): FrictionEvent[] =>
    sent.flatMap((entry) => entry.batch.events).filter((event) => !type || event.type === type)
  return { sent, transport, events }
}

const live: Tracker<any>[] = []

/** createTracker with a fake transport; every tracker made here is shut down after the test. */
export const startTracker = <E extends EventMap = EventMap>(
  options: Partial<TrackerOptions> = {},
  result?: () => SendResult | Promise<SendResult>,
) => {
  const fake = fakeTransport(result)
  const tracker = createTracker<E>({ endpoint: '/e', transport: fake.transport, ...options })
  live.push(tracker)
  return { tracker, ...fake }
}

export const setVisibility = (state: 'visible' | 'hidden') => {
  if (state === 'visible') delete (document as any).visibilityState
  else Object.defineProperty(document, 'visibilityState', { value: 'hidden', configurable: true })
  document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
}

/** Shuts every tracker down and resets storage, URL, visibility and privacy signals. */
export const resetPage = () => {
  vi.restoreAllMocks()
  live.splice(0).forEach((tracker) => tracker.shutdown())
  delete (document as any).visibilityState
  delete (navigator as any).globalPrivacyControl
  delete (navigator as any).doNotTrack
  localStorage.clear()
  history.replaceState(null, '', '/')
  vi.useRealTimers()
}

afterEach(resetPage)
