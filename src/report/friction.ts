import type { EventOf } from '../schema/index'
import { countInto, MAX_KEYS_PER_ITEM, PAGES_PER_ITEM, ratio, topKeys } from './count'
import { str } from './path'
import { createTopMap } from './topMap'
import type { ErrorReport, FormReport, SelectorReport } from './types'

/** Selectors, error fingerprints and forms kept (top-N each, see createTopMap). */
const MAX_ITEMS = 500

/** Rows per friction list in the report object (renderers may show fewer). */
const REPORTED_ITEMS = 20

/**
 * Forms with fewer starts than this sort after the others: 1 abandon of 1 start is a 100 %
 * rate that says nothing, and should not hide a form losing 40 % of 3 000 visitors.
 */
const MIN_FORM_STARTS = 10

interface SelectorEntry {
  count: number
  text: string
  pages: Map<string, number>
}

interface ErrorEntry {
  count: number
  events: number
  message: string
  errorType: string
  source: string
  pages: Map<string, number>
  afterClick: Map<string, number>
}

interface FormEntry {
  starts: number
  submits: number
  abandons: number
  lastFields: Map<string, number>
  /** Keyed `field\0reason`. */
  fieldErrors: Map<string, number>
}

const selectorMap = () =>
  createTopMap<SelectorEntry>(
    MAX_ITEMS,
    () => ({ count: 0, text: '', pages: new Map() }),
    (entry) => entry.count,
  )

const selectorReports = (map: ReturnType<typeof selectorMap>): SelectorReport[] =>
  map
    .entries()
    .slice(0, REPORTED_ITEMS)
    .map(([selector, entry]) => ({
      selector,
      count: entry.count,
      text: entry.text,
      pages: topKeys(entry.pages, PAGES_PER_ITEM),
    }))

/**
 * Streams the friction events: rage and dead clicks by selector, errors by fingerprint, and
 * forms from start to submit or abandon with their failing fields.
 */
export function createFrictionAccumulator() {
  const rage = selectorMap()
  const dead = selectorMap()
  const errors = createTopMap<ErrorEntry>(
    MAX_ITEMS,
    () => ({ count: 0, events: 0, message: '', errorType: '', source: '', pages: new Map(), afterClick: new Map() }),
    (entry) => entry.count,
  )
  const forms = createTopMap<FormEntry>(
    MAX_ITEMS,
    () => ({ starts: 0, submits: 0, abandons: 0, lastFields: new Map(), fieldErrors: new Map() }),
    (entry) => entry.starts + entry.abandons,
  )

  const addClick = (map: ReturnType<typeof selectorMap>, event: EventOf<'rage_click' | 'dead_click'>, path: string) => {
    const entry = map.get(str(event.selector))
    entry.count += 1
    if (typeof event.text === 'string' && event.text !== '') entry.text = event.text
    countInto(entry.pages, path, 1, MAX_KEYS_PER_ITEM)
  }

  return {
    rageClick: (event: EventOf<'rage_click'>, path: string) => addClick(rage, event, path),
    deadClick: (event: EventOf<'dead_click'>, path: string) => addClick(dead, event, path),
    /** Adds an `error` event and returns its occurrences (`count`, at least 1). */
    error(event: EventOf<'error'>, path: string): number {
      const occurrences = Number.isFinite(event.count) && event.count > 0 ? event.count : 1
      const entry = errors.get(str(event.fingerprint, str(event.message)))
      entry.count += occurrences
      entry.events += 1
      entry.message ||= str(event.message, '')
      entry.errorType ||= str(event.errorType, '')
      entry.source ||= str(event.source, '')
      countInto(entry.pages, path, occurrences, MAX_KEYS_PER_ITEM)
      if (typeof event.afterClick === 'string' && event.afterClick !== '') {
        countInto(entry.afterClick, event.afterClick, 1, MAX_KEYS_PER_ITEM)
      }
      return occurrences
    },
    form(event: EventOf<'form_start' | 'form_submit' | 'form_abandon'>) {
      const entry = forms.get(str(event.form))
      if (event.type === 'form_start') entry.starts += 1
      else if (event.type === 'form_submit') entry.submits += 1
      else {
        entry.abandons += 1
        countInto(entry.lastFields, str(event.lastField, '(none)'), 1, MAX_KEYS_PER_ITEM)
      }
    },
    fieldError(event: EventOf<'field_error'>) {
      const entry = forms.get(str(event.form))
      countInto(entry.fieldErrors, `${str(event.field)}\u0000${str(event.reason)}`, 1, MAX_KEYS_PER_ITEM)
    },
    result() {
      const formReports: FormReport[] = forms.entries().map(([form, entry]) => {
        const [topField] = topKeys(entry.lastFields, 1)
        return {
          form,
          starts: entry.starts,
          submits: entry.submits,
          abandons: entry.abandons,
          abandonRate: ratio(entry.abandons, entry.starts),
          topLastField: topField === undefined ? null : { field: topField, count: entry.lastFields.get(topField) ?? 0 },
          fieldErrors: [...entry.fieldErrors]
            .sort((a, b) => b[1] - a[1])
            .slice(0, REPORTED_ITEMS)
            .map(([key, count]) => {
              const [field, reason] = key.split('\u0000')
              return { field, reason, count }
            }),
        }
      })
      const isTrusted = (form: FormReport) => (form.starts >= MIN_FORM_STARTS ? 1 : 0)
      formReports.sort(
        (a, b) =>
          isTrusted(b) - isTrusted(a) || (b.abandonRate ?? -1) - (a.abandonRate ?? -1) || b.abandons - a.abandons,
      )
      const errorReports: ErrorReport[] = errors
        .entries()
        .slice(0, REPORTED_ITEMS)
        .map(([fingerprint, entry]) => ({
          fingerprint,
          count: entry.count,
          events: entry.events,
          message: entry.message,
          errorType: entry.errorType,
          source: entry.source,
          pages: topKeys(entry.pages, PAGES_PER_ITEM),
          afterClick: topKeys(entry.afterClick, 1)[0] ?? null,
        }))
      return {
        rageClicks: selectorReports(rage),
        deadClicks: selectorReports(dead),
        errors: errorReports,
        forms: formReports.slice(0, REPORTED_ITEMS),
        evicted: rage.evicted + dead.evicted + errors.evicted + forms.evicted,
      }
    },
  }
}
