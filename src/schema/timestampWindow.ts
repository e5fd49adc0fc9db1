import { TS_WINDOW_FUTURE_MS, TS_WINDOW_PAST_MS } from './events/limits'

/** The timestamp fields of an event that must fall in the window around `sentAt`. */
const TIMESTAMP_FIELDS = ['ts', 'startTs', 'endTs'] as const

/**
 * Names the first timestamp of an event outside the window around its batch's `sentAt`
 * (from `TS_WINDOW_PAST_MS` before to `TS_WINDOW_FUTURE_MS` after), or returns undefined.
 * Both come from the same browser clock, so a wrong clock moves them together and still
 * passes; what fails is a stale event or a forged value. Fields that are absent or not
 * numbers are left to the event's schema.
 *
 * @example
 * timestampIssue({ ts: 1e15 }, Date.now()) // 'ts'
 */
export const timestampIssue = (event: Record<string, unknown>, sentAt: number): string | undefined => {
  for (const field of TIMESTAMP_FIELDS) {
    const value = event[field]
    if (typeof value !== 'number') continue
    if (!(value >= sentAt - TS_WINDOW_PAST_MS && value <= sentAt + TS_WINDOW_FUTURE_MS)) return field
  }
  return undefined
}
