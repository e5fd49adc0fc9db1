// Dates of the report from epoch milliseconds that come from browsers: `ts: 9e15` or a replay
// `startTs: 1e300` passes a schema that only asks for a number, and `Date#toISOString` throws
// a RangeError ("Invalid time value") past ±8.64e15 ms. The renderers format through here.

/** Printed instead of a date that no calendar holds. */
export const INVALID_TIME = 'invalid time'

/** The ISO string of `ts`, or null when `ts` is not a representable date. */
function iso(ts: number): string | null {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return null
  const date = new Date(ts)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

/** `2024-11-23`, the UTC day of epoch ms; null for a value no Date holds. */
export function isoDay(ts: number): string | null {
  return iso(ts)?.slice(0, 10) ?? null
}

/** `2024-11-23 09:40` from epoch ms; `invalid time` for a value no Date holds. */
export function isoMinute(ts: number): string {
  return iso(ts)?.slice(0, 16).replace('T', ' ') ?? INVALID_TIME
}

/** `2024-11-23 09:40:12` from epoch ms; `invalid time` for a value no Date holds. */
export function isoSecond(ts: number): string {
  return iso(ts)?.slice(0, 19).replace('T', ' ') ?? INVALID_TIME
}

/** `09:40:12` in local time from epoch ms; `--:--:--` for a value no Date holds. */
export function clockTime(ts: unknown): string {
  if (typeof ts !== 'number' || !Number.isFinite(ts)) return '--:--:--'
  const date = new Date(ts)
  return Number.isNaN(date.getTime()) ? '--:--:--' : date.toTimeString().slice(0, 8)
}
