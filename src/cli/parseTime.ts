/** Units of a relative time: `90m`, `24h`, `7d`. */
const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 }

/**
 * A `--since` / `--until` value as epoch ms, or undefined when it is none of: a duration back
 * from `now` (`30m`, `24h`, `7d`, `2w`), epoch milliseconds (`1732350000000`), or an ISO date or
 * date-time (`2024-11-23`, `2024-11-23T09:40`, read as UTC unless it carries an offset).
 *
 * @example
 * parseTime('24h', Date.parse('2024-11-24T00:00Z')) // Date.parse('2024-11-23T00:00Z')
 */
export function parseTime(value: string, now: number): number | undefined {
  const relative = /^(\d{1,6})([smhdw])$/.exec(value)
  if (relative) return now - Number(relative[1]) * UNIT_MS[relative[2]]
  if (/^\d{11,16}$/.test(value)) return Number(value)
  if (!/^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/.test(value))
    return undefined
  const hasOffset = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) && value.length > 10
  const iso = value.replace(' ', 'T')
  const ms = Date.parse(iso.length > 10 && !hasOffset ? `${iso}Z` : iso)
  return Number.isFinite(ms) ? ms : undefined
}
