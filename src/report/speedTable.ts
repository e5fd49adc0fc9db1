// The "speed and conversion" table (sessions by their worst LCP rating), shared by the text and
// HTML renderers so both print the same cells.
import { count, pct } from './format'
import type { SpeedVsConversion } from './types'

export const SPEED_HEADERS = ['LCP', 'sessions', 'converted', 'rate', '95 % CI']

/** The good and the needs-improvement / poor rows of `speed`. */
export function speedRows(speed: SpeedVsConversion): string[][] {
  const row = (label: string, share: SpeedVsConversion['good']) => [
    label,
    count(share.n),
    count(share.k),
    pct(share.rate),
    `${pct(share.low)} – ${pct(share.high)}`,
  ]
  return [row('good', speed.good), row('needs improvement / poor', speed.slow)]
}
