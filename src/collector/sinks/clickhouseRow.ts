import type { FrictionEvent } from '../../schema/index'
import { MAX_FUNNEL_STEPS } from '../../report/funnels'
import { pathOf, str } from '../../report/path'
import { payloadBytes } from '../../report/replays'
import { LCP_RANK } from '../../report/sessions'
import { isMetricName, rateVital } from '../../report/vitals'

/** One row of the events table (see `clickhouseDdl`), as sent in a JSONEachRow body. */
export type ClickhouseRow = Record<string, string | number | null | string[] | number[]>

/** Envelope keys with their own columns; everything else of the event goes to `fields`. */
const ENVELOPE = new Set(['id', 'ts', 'type', 'sessionId', 'anonymousId', 'userId', 'pageId', 'url', 'context'])

const finiteOr = <T>(value: unknown, fallback: T): number | T =>
  typeof value === 'number' && Number.isFinite(value) ? value : fallback
const text = (value: unknown): string => (typeof value === 'string' ? value : '')

/**
 * The table row of one validated event: the envelope in typed columns, then the fields the report
 * aggregates in `facts` (flat JSON), normalized the way the JavaScript report normalizes them
 * (`(unknown)` keys, an error's occurrences, a vital's rating…), so that the SQL report groups
 * plain values and finds the same numbers. `seq` orders arrival (first-seen ties); `site` tags
 * the project.
 *
 * @example
 * clickhouseRow(event, 'landing', Date.now() * 1000)
 */
export function clickhouseRow(event: FrictionEvent, site: string, seq: number): ClickhouseRow {
  const e = event as unknown as Record<string, unknown>
  const experiments = event.context?.experiments
  const names: string[] = []
  const variants: string[] = []
  if (experiments && typeof experiments === 'object') {
    for (const name in experiments) {
      if (typeof experiments[name] !== 'string') continue
      names.push(name)
      variants.push(experiments[name])
    }
  }
  const fields: Record<string, unknown> = {}
  for (const key in e) if (!ENVELOPE.has(key)) fields[key] = e[key]

  // The report's fields, normalized, as one flat JSON object of scalars: queries read them with
  // visitParamExtract*, which is exact on a flat object the sink wrote itself.
  const facts: Record<string, string | number | null> = {}
  const row: ClickhouseRow = {
    id: event.id,
    ts: event.ts,
    seq,
    site,
    type: event.type,
    sessionId: typeof event.sessionId === 'string' ? event.sessionId : '(unknown)',
    anonymousId: text(event.anonymousId),
    userId: typeof event.userId === 'string' ? event.userId : null,
    pageId: text(event.pageId),
    url: text(event.url),
    urlPath: pathOf(event.url),
    experimentNames: names,
    experimentVariants: variants,
    droppedReasons: [],
    droppedCounts: [],
    facts: '',
    context: JSON.stringify(event.context ?? {}),
    fields: JSON.stringify(fields),
  }
  switch (event.type) {
    case 'track':
      facts.name = text(event.name)
      break
    case 'page_leave':
      facts.engagedMs = finiteOr(event.engagedMs, null)
      break
    case 'funnel_step': {
      const index = event.stepIndex
      const isValid =
        typeof event.funnel === 'string' && Number.isInteger(index) && index >= 0 && index < MAX_FUNNEL_STEPS
      facts.funnel = text(event.funnel)
      facts.stepIndex = isValid ? index : -1
      facts.step = typeof event.step === 'string' ? event.step : `#${index}`
      facts.msSincePrevious = finiteOr(event.msSincePrevious, null)
      break
    }
    case 'experiment':
      facts.experiment = text(event.experiment)
      facts.variant = text(event.variant)
      break
    case 'scroll': {
      const depth = event.depthPct
      facts.depthPct = Number.isInteger(depth) && depth >= 0 && depth <= 100 ? depth : -1
      break
    }
    case 'section':
      facts.section = str(event.section)
      facts.visibleMs = Number.isFinite(event.visibleMs) && event.visibleMs >= 0 ? event.visibleMs : 0
      facts.sectionOrder = Number.isInteger(event.order) ? event.order : 0
      break
    case 'rage_click':
    case 'dead_click':
      facts.selector = str(event.selector)
      facts.text = text(event.text)
      break
    case 'error':
      facts.fingerprint = str(event.fingerprint, str(event.message))
      facts.message = str(event.message, '')
      facts.errorType = str(event.errorType, '')
      facts.source = str(event.source, '')
      facts.occurrences = Number.isFinite(event.count) && event.count > 0 ? event.count : 1
      facts.afterClick = text(event.afterClick)
      break
    case 'form_start':
    case 'form_submit':
      facts.form = str(event.form)
      break
    case 'form_abandon':
      facts.form = str(event.form)
      facts.lastField = str(event.lastField, '(none)')
      break
    case 'field_error':
      facts.form = str(event.form)
      facts.field = str(event.field)
      facts.reason = str(event.reason)
      break
    case 'vital': {
      const name = event.name
      if (!isMetricName(name) || !Number.isFinite(event.value)) break
      facts.name = name
      facts.value = event.value
      facts.rating = Object.hasOwn(LCP_RANK, event.rating) ? event.rating : rateVital(name, event.value)
      facts.target = text(event.attribution?.target)
      break
    }
    case 'replay': {
      const replay = e as { events?: unknown; startTs?: unknown; endTs?: unknown }
      facts.replayBytes = payloadBytes(replay.events)
      facts.replayStart = finiteOr(replay.startTs, finiteOr(event.ts, null))
      facts.replayEnd = finiteOr(replay.endTs, finiteOr(event.ts, null))
      break
    }
    case 'sdk_health': {
      facts.retried = finiteOr(event.retried, 0)
      facts.beaconRejected = finiteOr(event.beaconRejected, 0)
      facts.persisted = finiteOr(event.persisted, 0)
      facts.invalid = finiteOr(event.invalid, 0)
      const reasons: string[] = []
      const counts: number[] = []
      if (event.dropped && typeof event.dropped === 'object') {
        for (const reason in event.dropped) {
          reasons.push(reason)
          counts.push(finiteOr(event.dropped[reason], 0))
        }
      }
      row.droppedReasons = reasons
      row.droppedCounts = counts
      break
    }
  }
  // Nulls are left out: an absent key reads back as NULL (see queries.ts).
  row.facts = JSON.stringify(facts, (_key, value: unknown) => (value === null ? undefined : value))
  return row
}

/** The envelope columns and JSON strings of a stored row: what {@link eventFromRow} needs. */
export interface StoredRow {
  id: string
  ts: number | string
  type: string
  sessionId: string
  anonymousId: string
  userId: string | null
  pageId: string
  url: string
  context: string
  fields: string
}

/**
 * Rebuilds the stored event from its row (`fields` and `context` parsed back): what tests and
 * exports read.
 */
export function eventFromRow(row: StoredRow): Record<string, unknown> {
  return {
    id: row.id,
    ts: Number(row.ts),
    type: row.type,
    sessionId: row.sessionId,
    anonymousId: row.anonymousId,
    ...(row.userId === null ? {} : { userId: row.userId }),
    pageId: row.pageId,
    url: row.url,
    context: JSON.parse(row.context) as unknown,
    ...(JSON.parse(row.fields) as Record<string, unknown>),
  }
}
