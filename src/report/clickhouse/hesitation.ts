// The hesitation tables (hesitation.ts) from ClickHouse: quick backs by the page left, excessive
// scrolling by page, and field hesitation by form field, counted and their medians sorted in SQL.
// Their fields are read from the event's own JSON (`fields`), so rows stored before this report
// existed count too.
import { finite } from '../count'
import type { ExcessiveScrollReport, FieldHesitationReport, QuickBackReport } from '../types'
import { fieldNumberSql, inList, quantileItems, quantileOf, strSql, type From, type Quantile } from './sql'

/** Rows per list, and pages per quick back (hesitation.ts, count.ts). */
const REPORTED_ITEMS = 20
const PAGES_PER_ITEM = 3

/** `quantileItems` of the median of a nullable column: the JavaScript reservoirs skip what is not a number ≥ 0. */
const medianItems = (alias: string, column: string, condition = '1') =>
  quantileItems(alias, `assumeNotNull(${column})`, `isNotNull(${column}) AND ${condition}`, 0.5)

const median = <A extends string>(row: Quantile<A>, alias: A) => finite(quantileOf(row, alias, 0.5))

/** Ties between equal counts break on the first arrival (createTopMap keeps insertion order). */
export function hesitationQueries(from: From) {
  return {
    quickBacks: `SELECT leftPath, count() AS count, uniqExact(sessionId) AS sessions, min(seq) AS first,
        ${medianItems('d', 'durationMs')}
      FROM (SELECT sessionId, seq, ${strSql("visitParamExtractString(fields, 'leftPath')")} AS leftPath,
        ${fieldNumberSql('fields', 'durationMs')} AS durationMs ${from("type = 'quick_back'")})
      GROUP BY leftPath ORDER BY count DESC, first LIMIT ${REPORTED_ITEMS}`,
    /** The pages returned to from each listed page left, most returns first. */
    quickBackPages: (leftPaths: string[]) => `SELECT leftPath, urlPath, count() AS n, min(seq) AS first
      FROM (SELECT seq, urlPath, ${strSql("visitParamExtractString(fields, 'leftPath')")} AS leftPath
        ${from("type = 'quick_back'")})
      WHERE leftPath IN ${inList(leftPaths)}
      GROUP BY leftPath, urlPath ORDER BY leftPath, n DESC, first LIMIT ${PAGES_PER_ITEM} BY leftPath`,
    excessiveScrolls: `SELECT urlPath, count() AS count, uniqExact(sessionId) AS sessions, min(seq) AS first,
        ${medianItems('r', 'reversals')}, ${medianItems('d', 'distancePx')}
      FROM (SELECT sessionId, seq, urlPath, ${fieldNumberSql('fields', 'reversals')} AS reversals,
        ${fieldNumberSql('fields', 'distancePx')} AS distancePx ${from("type = 'excessive_scroll'")})
      GROUP BY urlPath ORDER BY count DESC, first LIMIT ${REPORTED_ITEMS}`,
    /**
     * Each entry of a form end's `hesitation` array, a flat JSON object (the wire format's
     * `{ field, focusMs, returns, corrections }`), split out with a regular expression since
     * 18.16 cannot parse arrays of objects; ordered by sessions, then by first arrival and
     * position in the array, as the JavaScript map meets the fields.
     */
    fieldHesitation: `SELECT form, field, uniqExact(sessionId) AS sessions, countIf(isSubmit) AS submits,
        countIf(NOT isSubmit) AS abandons, min((seq, itemIndex)) AS first,
        ${medianItems('f', 'focusMs')}, ${medianItems('r', 'returns')}, ${medianItems('c', 'corrections')},
        ${medianItems('s', 'focusMs', 'isSubmit')}, ${medianItems('a', 'focusMs', 'NOT isSubmit')}
      FROM (
        SELECT sessionId, seq, form, isSubmit, itemIndex, ${strSql("visitParamExtractString(item, 'field')")} AS field,
          ${fieldNumberSql('item', 'focusMs')} AS focusMs, ${fieldNumberSql('item', 'returns')} AS returns,
          ${fieldNumberSql('item', 'corrections')} AS corrections
        FROM (
          SELECT sessionId, seq, form, type = 'form_submit' AS isSubmit,
            extractAll(visitParamExtractRaw(fields, 'hesitation'), '\\\\{[^{}]*\\\\}') AS items
          ${from("type IN ('form_submit', 'form_abandon')")}
        ) ARRAY JOIN items AS item, arrayEnumerate(items) AS itemIndex
      ) GROUP BY form, field ORDER BY sessions DESC, first LIMIT ${REPORTED_ITEMS}`,
  }
}

export type QuickBackRow = { leftPath: string; count: number; sessions: number } & Quantile<'d'>
export type ScrollRow = { urlPath: string; count: number; sessions: number } & Quantile<'r'> & Quantile<'d'>
export type FieldRow = { form: string; field: string; sessions: number; submits: number; abandons: number } & Quantile<
  'f' | 'r' | 'c' | 's' | 'a'
>

export function quickBackReports(
  rows: QuickBackRow[],
  pages: Array<{ leftPath: string; urlPath: string }>,
): QuickBackReport[] {
  return rows.map((row) => ({
    leftPath: row.leftPath,
    count: row.count,
    sessions: row.sessions,
    medianDurationMs: median(row, 'd'),
    returnedTo: pages.filter((page) => page.leftPath === row.leftPath).map((page) => page.urlPath),
  }))
}

export function excessiveScrollReports(rows: ScrollRow[]): ExcessiveScrollReport[] {
  return rows.map((row) => ({
    page: row.urlPath,
    count: row.count,
    sessions: row.sessions,
    medianReversals: median(row, 'r'),
    medianDistancePx: median(row, 'd'),
  }))
}

export function fieldHesitationReports(rows: FieldRow[]): FieldHesitationReport[] {
  return rows.map((row) => ({
    form: row.form,
    field: row.field,
    sessions: row.sessions,
    submits: row.submits,
    abandons: row.abandons,
    medianFocusMs: median(row, 'f'),
    medianReturns: median(row, 'r'),
    medianCorrections: median(row, 'c'),
    medianFocusMsSubmitted: median(row, 's'),
    medianFocusMsAbandoned: median(row, 'a'),
  }))
}
