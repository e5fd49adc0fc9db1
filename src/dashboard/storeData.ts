// What the dashboard's data routes answer, gathered from a stream of stored events: the same
// code for every store (the NDJSON files, or the rows a ClickHouse query picked, see
// dashboardSource.ts), so both stores show the same heatmap, replay and friction counts.
import { pathOf } from '../report/path'

/** Heat points returned for one page and breakpoint; past this the answer says `truncated`. */
export const MAX_HEAT_POINTS = 20_000
/** Paths listed in the heatmap's picker. */
export const MAX_HEAT_PATHS = 100
/** Replay payload returned for one session (base64 or JSON text), about a long session's worth. */
export const MAX_REPLAY_BYTES = 32 * 1024 * 1024
/** Friction markers returned for one session's timeline. */
const MAX_MARKERS = 1_000
/** Sessions whose friction is counted for the replay list. */
export const MAX_LISTED_SESSIONS = 200

/** Viewport breakpoints of the heatmaps, by the visitor's viewport width. */
export const BREAKPOINTS = ['mobile', 'tablet', 'desktop'] as const
export type Breakpoint = (typeof BREAKPOINTS)[number]

/** Under 768 px is a phone, under 1024 px a tablet (Bootstrap's md and lg). */
export const breakpointOf = (width: number): Breakpoint =>
  width < 768 ? 'mobile' : width < 1024 ? 'tablet' : 'desktop'

/** One click drawn on a heatmap: page coordinates at the visitor's viewport width. */
export interface HeatPoint {
  kind: 'click' | 'rage' | 'dead'
  x: number
  y: number
  /** The visitor's viewport width, to scale x to the width the map is drawn at. */
  viewportW: number
  selector: string
}

/** What the heatmap page needs for one path and breakpoint. */
export interface HeatmapData {
  path: string
  breakpoint: Breakpoint
  /** Paths with click signals, most clicked first, with their counts per breakpoint. */
  paths: Array<{ path: string; points: number; byBreakpoint: Record<Breakpoint, number> }>
  points: HeatPoint[]
  truncated: boolean
  /** The most common viewport width of the points: the width to draw the page at. */
  width: number | null
  /** The tallest page height the `scroll` events of this path reported. */
  pageHeight: number | null
  /** The latest http(s) URL seen for this path, to show the page under the heat. */
  pageUrl: string | null
  /** Whether the dashboard server could load `pageUrl` (set by the route, not the reader). */
  isPageReachable?: boolean
}

/** A friction event placed on a replay timeline. */
export interface ReplayMarker {
  ts: number
  type: string
  label: string
}

/** One recorded session, ready for the player. */
export interface ReplayData {
  sessionId: string
  chunks: Array<{ seq: number; pageId: string; startTs: number; endTs: number; events: unknown[] | string }>
  markers: ReplayMarker[]
  truncated: boolean
}

type Loose = Record<string, unknown>

const num = (value: unknown): number | undefined =>
  typeof value === 'number' && Number.isFinite(value) ? value : undefined
const text = (value: unknown): string => (typeof value === 'string' ? value : '')
const isHttpUrl = (value: string) => /^https?:\/\//i.test(value)

/** Stored events, in the order they arrived. */
export type StoredEvents = AsyncIterable<unknown> | Iterable<unknown>

export const CLICK_KINDS: Record<string, HeatPoint['kind']> = {
  click: 'click',
  rage_click: 'rage',
  dead_click: 'dead',
}

/** The viewport width of a click signal: `viewportW` of heatmap clicks, else the context's. */
const widthOf = (event: Loose): number | undefined => {
  const own = num(event.viewportW)
  if (own !== undefined) return own
  const viewport = (event.context as Loose | undefined)?.viewport as Loose | undefined
  return num(viewport?.w)
}

/**
 * Reads the events once and gathers the click signals of one path at one breakpoint, plus
 * the list of paths for the picker. Memory is bounded by {@link MAX_HEAT_POINTS}.
 */
export async function gatherHeatmap(events: StoredEvents, path: string, breakpoint: Breakpoint): Promise<HeatmapData> {
  const paths = new Map<string, Record<Breakpoint, number>>()
  const points: HeatPoint[] = []
  let truncated = false
  let pageHeight: number | null = null
  let pageUrl: string | null = null
  let pageUrlTs = -Infinity
  for await (const raw of events) {
    const event = raw as Loose
    if (!event || typeof event !== 'object') continue
    const type = text(event.type)
    const kind = CLICK_KINDS[type]
    const eventPath = pathOf(event.url)
    if (eventPath === path && type === 'scroll') {
      const height = num(event.pageHeight)
      if (height !== undefined && height > (pageHeight ?? 0)) pageHeight = height
    }
    if (eventPath === path && (type === 'page' || kind)) {
      const url = text(event.url)
      const ts = num(event.ts) ?? 0
      if (isHttpUrl(url) && ts >= pageUrlTs) {
        pageUrl = url
        pageUrlTs = ts
      }
    }
    if (!kind) continue
    const point = pointOf(event, kind)
    if (!point) continue
    const bp = breakpointOf(point.viewportW)
    let counts = paths.get(eventPath)
    if (!counts && paths.size < MAX_HEAT_PATHS * 10)
      paths.set(eventPath, (counts = { mobile: 0, tablet: 0, desktop: 0 }))
    if (counts) counts[bp] += 1
    if (eventPath !== path || bp !== breakpoint) continue
    if (points.length >= MAX_HEAT_POINTS) {
      truncated = true
      continue
    }
    points.push(point)
  }
  const total = (counts: Record<Breakpoint, number>) => counts.mobile + counts.tablet + counts.desktop
  return {
    path,
    breakpoint,
    paths: [...paths]
      .map(([name, byBreakpoint]) => ({ path: name, points: total(byBreakpoint), byBreakpoint }))
      .sort((a, b) => b.points - a.points)
      .slice(0, MAX_HEAT_PATHS),
    points,
    truncated,
    width: commonWidth(points),
    pageHeight,
    pageUrl,
  }
}

/** The heat point of a click signal; undefined without a position or a viewport width. */
export function pointOf(event: Loose, kind: HeatPoint['kind']): HeatPoint | undefined {
  const x = num(event.x)
  const y = num(event.y)
  const width = widthOf(event)
  if (x === undefined || y === undefined || width === undefined || width <= 0) return undefined
  return { kind, x, y, viewportW: width, selector: text(event.selector).slice(0, 300) }
}

/** The most common viewport width of the points (the first seen among equals): the width to draw at. */
export function commonWidth(points: HeatPoint[]): number | null {
  const widths = new Map<number, number>()
  for (const { viewportW } of points) widths.set(viewportW, (widths.get(viewportW) ?? 0) + 1)
  return [...widths].sort((a, b) => b[1] - a[1])[0]?.[0] ?? null
}

/** The label of a friction marker: what was clicked, or what failed. */
const markerLabel = (event: Loose): string => {
  switch (event.type) {
    case 'rage_click':
      return `rage click ×${num(event.clicks) ?? '?'} on ${text(event.selector)}`
    case 'dead_click':
      return `dead click on ${text(event.selector)}`
    case 'error':
      return `error: ${text(event.message)}`
    case 'field_error':
      return `${text(event.reason)} in ${text(event.field)} (${text(event.form)})`
    case 'form_abandon':
      return `abandoned ${text(event.form)} at ${text(event.lastField)}`
    default:
      return text(event.type)
  }
}

export const MARKER_TYPES = new Set(['rage_click', 'dead_click', 'error', 'field_error', 'form_abandon'])

/** Reads the events once and gathers one session's `replay` chunks and friction events. */
export async function gatherReplay(events: StoredEvents, sessionId: string): Promise<ReplayData> {
  const chunks: ReplayData['chunks'] = []
  const markers: ReplayMarker[] = []
  let bytes = 0
  let truncated = false
  for await (const raw of events) {
    const event = raw as Loose
    if (!event || typeof event !== 'object' || event.sessionId !== sessionId) continue
    if (event.type === 'replay') {
      const recorded = event.events
      if (typeof recorded !== 'string' && !Array.isArray(recorded)) continue
      const size = typeof recorded === 'string' ? recorded.length : JSON.stringify(recorded).length
      if (bytes + size > MAX_REPLAY_BYTES) {
        truncated = true
        continue
      }
      bytes += size
      chunks.push({
        seq: num(event.seq) ?? 0,
        pageId: text(event.pageId),
        startTs: num(event.startTs) ?? num(event.ts) ?? 0,
        endTs: num(event.endTs) ?? num(event.ts) ?? 0,
        events: recorded as unknown[] | string,
      })
    } else if (MARKER_TYPES.has(text(event.type)) && markers.length < MAX_MARKERS) {
      markers.push({ ts: num(event.ts) ?? 0, type: text(event.type), label: markerLabel(event).slice(0, 300) })
    }
  }
  chunks.sort((a, b) => a.startTs - b.startTs || a.seq - b.seq)
  markers.sort((a, b) => a.ts - b.ts)
  return { sessionId, chunks, markers, truncated }
}

/** Friction counts of recorded sessions, for the replay list. */
export type SessionFriction = Record<string, { rage: number; dead: number; errors: number; formIssues: number }>

/** Counts the friction events of the given sessions (at most {@link MAX_LISTED_SESSIONS}). */
export async function gatherSessionFriction(events: StoredEvents, sessionIds: string[]): Promise<SessionFriction> {
  const result: SessionFriction = Object.create(null) as SessionFriction
  for (const id of sessionIds.slice(0, MAX_LISTED_SESSIONS)) result[id] = { rage: 0, dead: 0, errors: 0, formIssues: 0 }
  for await (const raw of events) {
    const event = raw as Loose
    const id = event && typeof event === 'object' ? text(event.sessionId) : ''
    if (!Object.hasOwn(result, id)) continue
    const counts = result[id]
    if (event.type === 'rage_click') counts.rage += 1
    else if (event.type === 'dead_click') counts.dead += 1
    else if (event.type === 'error') counts.errors += num(event.count) ?? 1
    else if (event.type === 'field_error' || event.type === 'form_abandon') counts.formIssues += 1
  }
  return result
}
