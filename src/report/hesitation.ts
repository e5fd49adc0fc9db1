import type { EventOf } from '../schema/index'
import { countInto, finite, MAX_KEYS_PER_ITEM, PAGES_PER_ITEM, topKeys } from './count'
import { str } from './path'
import { createInterner } from './interner'
import { createReservoir, type Reservoir } from './reservoir'
import { addCapped, createSessionLists } from './sessionLists'
import { createTopMap } from './topMap'
import type { ExcessiveScrollReport, FieldHesitationReport, QuickBackReport } from './types'

/** Pages and form fields kept (top-N each, see createTopMap). */
const MAX_ITEMS = 500

/** Rows per list in the report object (renderers may show fewer). */
const REPORTED_ITEMS = 20

/**
 * Samples kept per page or field for its medians: up to 500 keys × a few reservoirs, so far
 * fewer than the 10 000 of a funnel step; a median from 1 000 samples is plenty for a table.
 */
const SAMPLES_PER_ITEM = 1000

/** Keys remembered per session to count sessions once per page or field (like the friction cost). */
const MAX_KEYS_PER_SESSION = 50

const SEPARATOR = '\u0000'

interface QuickBackEntry {
  count: number
  sessions: number
  duration: Reservoir
  returnedTo: Map<string, number>
}

interface ScrollEntry {
  count: number
  sessions: number
  reversals: Reservoir
  distance: Reservoir
}

interface FieldEntry {
  sessions: number
  submits: number
  abandons: number
  focus: Reservoir
  returns: Reservoir
  corrections: Reservoir
  submitFocus: Reservoir
  abandonFocus: Reservoir
}

const median = (reservoir: Reservoir): number | null => finite(reservoir.quantile(0.5))

const finiteNonNegative = (value: unknown): number =>
  typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : NaN

/**
 * Streams the hesitation signals: quick backs by the page left, excessive scrolling by page,
 * and per-field hesitation (focus time, returns, corrections) from `form_submit` and
 * `form_abandon`. Sessions are counted once per key through a small capped list per session.
 */
export function createHesitationAccumulator() {
  const quickBacks = createTopMap<QuickBackEntry>(
    MAX_ITEMS,
    () => ({ count: 0, sessions: 0, duration: createReservoir(SAMPLES_PER_ITEM), returnedTo: new Map() }),
    (entry) => entry.count,
  )
  const scrolls = createTopMap<ScrollEntry>(
    MAX_ITEMS,
    () => ({
      count: 0,
      sessions: 0,
      reversals: createReservoir(SAMPLES_PER_ITEM),
      distance: createReservoir(SAMPLES_PER_ITEM),
    }),
    (entry) => entry.count,
  )
  const fields = createTopMap<FieldEntry>(
    MAX_ITEMS,
    () => ({
      sessions: 0,
      submits: 0,
      abandons: 0,
      focus: createReservoir(SAMPLES_PER_ITEM),
      returns: createReservoir(SAMPLES_PER_ITEM),
      corrections: createReservoir(SAMPLES_PER_ITEM),
      submitFocus: createReservoir(SAMPLES_PER_ITEM),
      abandonFocus: createReservoir(SAMPLES_PER_ITEM),
    }),
    (entry) => entry.sessions,
  )

  // Keys counted once per session (addCapped: only kept keys get a number).
  const keys = createInterner()
  const seen = createSessionLists(0)

  /** True the first time `session` meets `key`; also true once the session's list is full (a bounded overcount). */
  const firstInSession = (session: number, key: string): boolean =>
    addCapped(seen, keys, session, key, MAX_KEYS_PER_SESSION)

  return {
    /** A `quick_back` stored on `path`, the page returned to. */
    quickBack(event: EventOf<'quick_back'>, path: string, session: number) {
      const leftPath = str(event.leftPath)
      const entry = quickBacks.get(leftPath)
      entry.count += 1
      if (firstInSession(session, `q${SEPARATOR}${leftPath}`)) entry.sessions += 1
      entry.duration.add(finiteNonNegative(event.durationMs))
      countInto(entry.returnedTo, path, 1, MAX_KEYS_PER_ITEM)
    },
    /** An `excessive_scroll` stored on `path`. */
    excessiveScroll(event: EventOf<'excessive_scroll'>, path: string, session: number) {
      const entry = scrolls.get(path)
      entry.count += 1
      if (firstInSession(session, `s${SEPARATOR}${path}`)) entry.sessions += 1
      entry.reversals.add(finiteNonNegative(event.reversals))
      entry.distance.add(finiteNonNegative(event.distancePx))
    },
    /** A `form_submit` or `form_abandon`: each entry of its `hesitation` array, field by field. */
    formEnd(event: EventOf<'form_submit' | 'form_abandon'>, session: number) {
      if (!Array.isArray(event.hesitation)) return
      const form = str(event.form)
      const submitted = event.type === 'form_submit'
      for (const item of event.hesitation) {
        if (item === null || typeof item !== 'object') continue
        const field = str(item.field)
        const key = `${form}${SEPARATOR}${field}`
        const entry = fields.get(key)
        if (firstInSession(session, `f${SEPARATOR}${key}`)) entry.sessions += 1
        if (submitted) entry.submits += 1
        else entry.abandons += 1
        const focusMs = finiteNonNegative(item.focusMs)
        entry.focus.add(focusMs)
        entry.returns.add(finiteNonNegative(item.returns))
        entry.corrections.add(finiteNonNegative(item.corrections))
        ;(submitted ? entry.submitFocus : entry.abandonFocus).add(focusMs)
      }
    },
    result() {
      const kept = <V>(map: { entries(): Array<[string, V]> }) => map.entries().slice(0, REPORTED_ITEMS)
      const quickBackReports: QuickBackReport[] = kept(quickBacks).map(([leftPath, e]) => ({
        leftPath,
        count: e.count,
        sessions: e.sessions,
        medianDurationMs: median(e.duration),
        returnedTo: topKeys(e.returnedTo, PAGES_PER_ITEM),
      }))
      const scrollReports: ExcessiveScrollReport[] = kept(scrolls).map(([page, e]) => ({
        page,
        count: e.count,
        sessions: e.sessions,
        medianReversals: median(e.reversals),
        medianDistancePx: median(e.distance),
      }))
      const fieldReports: FieldHesitationReport[] = kept(fields).map(([key, e]) => {
        const [form, field] = key.split(SEPARATOR)
        return {
          form,
          field,
          sessions: e.sessions,
          submits: e.submits,
          abandons: e.abandons,
          medianFocusMs: median(e.focus),
          medianReturns: median(e.returns),
          medianCorrections: median(e.corrections),
          medianFocusMsSubmitted: median(e.submitFocus),
          medianFocusMsAbandoned: median(e.abandonFocus),
        }
      })
      return {
        quickBacks: quickBackReports,
        excessiveScrolls: scrollReports,
        fieldHesitation: fieldReports,
        evicted: quickBacks.evicted + scrolls.evicted + fields.evicted,
      }
    },
  }
}
