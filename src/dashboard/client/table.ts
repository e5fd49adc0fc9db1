// Tables: typed columns for the known sections, and a generic renderer for anything else in
// the report (sections added later show up without a view written for them).
import { h, type Child } from './dom'
import { pct } from './format'

/** A column: its header and how to render one row's cell. */
export interface Column<T> {
  label: string
  cell: (row: T) => Child
  /** Right-aligned numbers. */
  isNumeric?: boolean
}

/** A table of rows; an empty list shows `empty` instead. */
export function table<T>(rows: T[], columns: Array<Column<T>>, empty = 'Nothing yet.'): HTMLElement {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty)
  return h(
    'table',
    {},
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        columns.map((column) => h('th', { class: column.isNumeric ? 'num' : null }, column.label)),
      ),
    ),
    h(
      'tbody',
      {},
      rows.map((row) =>
        h(
          'tr',
          {},
          columns.map((column) => h('td', { class: column.isNumeric ? 'num' : null }, column.cell(row))),
        ),
      ),
    ),
  )
}

const MAX_GENERIC_ROWS = 200
const MAX_DEPTH = 4

/** `camelCase` → "camel case". */
export const humanize = (key: string): string => key.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase()

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

const isProportion = (value: unknown): value is { n: number; k: number; rate: number; low: number; high: number } =>
  isRecord(value) && ['n', 'k', 'rate', 'low', 'high'].every((key) => typeof value[key] === 'number')

/**
 * Renders any JSON value readably: arrays of objects as tables, objects as definition lists,
 * scalars as text. Used for report sections that have no view of their own.
 */
export function genericValue(value: unknown, depth = 0): Child {
  if (value === null || value === undefined) return '–'
  if (typeof value === 'number') return Number.isInteger(value) ? String(value) : value.toFixed(3)
  if (typeof value !== 'object') return String(value)
  if (depth >= MAX_DEPTH) return JSON.stringify(value).slice(0, 200)
  // The report's Proportion ({ n, k, rate, low, high }): one readable cell, not a list of five.
  if (isProportion(value)) {
    return `${value.k}/${value.n} · ${pct(value.rate)} (${pct(value.low)} – ${pct(value.high)})`
  }
  if (Array.isArray(value)) {
    if (value.length === 0) return h('span', { class: 'empty' }, 'none')
    if (value.every(isRecord)) {
      const keys = [...new Set(value.slice(0, MAX_GENERIC_ROWS).flatMap((row) => Object.keys(row)))].slice(0, 12)
      return table(
        value.slice(0, MAX_GENERIC_ROWS) as Array<Record<string, unknown>>,
        keys.map((key) => ({ label: humanize(key), cell: (row) => genericValue(row[key], depth + 1) })),
      )
    }
    return value
      .slice(0, MAX_GENERIC_ROWS)
      .map((item) => genericValue(item, depth + 1))
      .flatMap((item, i) => (i ? [', ', item] : [item]))
  }
  const entries = Object.entries(value)
  if (entries.length === 0) return h('span', { class: 'empty' }, 'none')
  return h(
    'dl',
    { class: 'generic' },
    entries.map(([key, item]) => [h('dt', {}, humanize(key)), h('dd', {}, genericValue(item, depth + 1))]),
  )
}
