import type { EventType, FrictionEvent } from '../schema/index'
import { pathOf as pathname } from './path'
import { terminalSafe } from './terminalSafe'
import { clockTime } from './time'

/** The fields worth a glance per event type, in print order; the rest stays in the file. */
const KEY_FIELDS: Record<EventType, string[]> = {
  page: ['title', 'navigation'],
  page_leave: ['engagedMs', 'maxScrollPct', 'durationMs'],
  track: ['name', 'props'],
  identify: ['userId', 'traits'],
  funnel_step: ['funnel', 'step', 'stepIndex', 'msSincePrevious'],
  experiment: ['experiment', 'variant'],
  feedback: ['question', 'answer'],
  scroll: ['depthPct'],
  rage_click: ['selector', 'clicks', 'text'],
  dead_click: ['selector', 'text'],
  click: ['selector', 'relX', 'relY'],
  error: ['source', 'message', 'count'],
  vital: ['name', 'value', 'rating'],
  form_start: ['form'],
  form_submit: ['form', 'durationMs'],
  form_abandon: ['form', 'lastField', 'durationMs'],
  field_error: ['form', 'field', 'reason'],
  section: ['section', 'visibleMs', 'order'],
  quick_back: ['leftPath', 'durationMs'],
  excessive_scroll: ['reversals', 'distancePx'],
  replay: ['seq'],
  sdk_health: ['dropped', 'retried', 'beaconRejected', 'invalid'],
}

/** Longest value printed; a line per event must stay a line. */
const MAX_VALUE_LENGTH = 60
const TYPE_COLUMN_WIDTH = 12

/**
 * One readable line for an event, e.g. `14:03:07 scroll       /pricing depthPct=50`.
 * Every value comes from the network, so control characters are replaced: an event must not
 * be able to send escape sequences to the operator's terminal.
 */
export function formatEvent(event: FrictionEvent): string {
  const record = event as unknown as Record<string, unknown>
  const time = clockTime(event.ts)
  const fields = (Object.hasOwn(KEY_FIELDS, event.type) ? KEY_FIELDS[event.type] : [])
    .filter((key) => record[key] !== undefined)
    .map((key) => `${key}=${formatValue(record[key])}`)
  return clean([time, String(event.type).padEnd(TYPE_COLUMN_WIDTH), pathOf(event), ...fields].join(' '))
}

function pathOf(event: FrictionEvent): string {
  // `page.path` carried the query before the SDK fix: pathname only, as the report groups.
  if (event.type === 'page' && typeof event.path === 'string') return pathname(event.path)
  try {
    return new URL(event.url).pathname
  } catch {
    return String(event.url)
  }
}

function formatValue(value: unknown): string {
  if (typeof value === 'number') return String(Number.isInteger(value) ? value : Number(value.toFixed(3)))
  const text = JSON.stringify(value) ?? String(value)
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH - 1)}…` : text
}

/** One line: newlines too become `?`, so an event cannot forge the next line of the stream. */
function clean(line: string): string {
  return terminalSafe(line).replace(/\n/g, '?')
}
