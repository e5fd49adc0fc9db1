// Tables that the text and the HTML report both print under headings of their own: the variants
// of an experiment, the pages and their speed, the elements blamed for slow vitals and the recorded sessions.
import type { Table } from './block'
import { count, ms, pct, pValue, signedPct, vitalValue } from './format'
import { isoSecond } from './time'
import type { ExperimentReport, Rating, Report } from './types'

/** The cells of an experiment's variant table; `significantMark` follows a significant p. */
export function variantRows(experiment: ExperimentReport, significantMark: string): string[][] {
  return experiment.variants.map((v, index) => [
    index === 0 ? `${v.variant} (control)` : v.variant,
    count(v.exposed),
    count(v.conversions),
    pct(v.rate.rate),
    `${pct(v.rate.low)} – ${pct(v.rate.high)}`,
    signedPct(v.lift),
    `${pValue(v.pValue)}${v.isSignificant ? significantMark : ''}`,
    v.rageClicksPerSession.toFixed(2),
    v.errorsPerSession.toFixed(2),
  ])
}

/** The first `top` pages: views, engagement, scroll reach and friction counts. */
export function pagesTable(pages: Report['pages'], top: number): Table {
  return {
    headers: ['path', 'views', 'engaged', 'reach 50 %', 'reach 90 %', 'rage', 'dead', 'errors'],
    rows: pages.slice(0, top).map((p) => {
      const reach = (depth: number) => pct(p.scroll.find((r) => r.depthPct === depth)?.share)
      return [
        p.path,
        count(p.pageViews),
        ms(p.avgEngagedMs),
        reach(50),
        reach(90),
        count(p.rageClicks),
        count(p.deadClicks),
        count(p.errors),
      ]
    }),
    textColumns: [],
    codeColumns: [0],
  }
}

/** The metrics of the page-speed table: a path with none of them (FCP and TTFB only) has no row. */
const PAGE_SPEED_METRICS: readonly string[] = ['LCP', 'INP', 'CLS']

export const PAGE_SPEED_HEADERS = [
  'path',
  'LCP p75',
  'LCP p95',
  'LCP poor',
  'INP p75',
  'INP p95',
  'INP poor',
  'CLS p75',
]

/** How a renderer sets a page-speed row's path and its rated p75 cells (coloured, or marked). */
export interface PageSpeedCells<Cell> {
  path(path: string): string | Cell
  p75(text: string, rating: Rating | null): string | Cell
}

/** Per path with an LCP, INP or CLS, of the first `top` such: p75 (rated), p95, share rated poor. */
export function pageSpeedTable<Cell>(pages: Report['pages'], top: number, cells: PageSpeedCells<Cell>) {
  const headers = ['path', 'LCP p75', 'LCP p95', 'LCP poor', 'INP p75', 'INP p95', 'INP poor', 'CLS p75']
  const rows = pages
    .filter((p) => p.vitals.some((m) => PAGE_SPEED_METRICS.includes(m.name)))
    .slice(0, top)
    .map((p) => {
      const v = (name: string) => p.vitals.find((m) => m.name === name)
      const p75 = (name: string) => {
        const m = v(name)
        return m ? cells.p75(vitalValue(name, m.p75), m.rating) : '–'
      }
      const lcp = v('LCP')
      const inp = v('INP')
      return [
        cells.path(p.path),
        p75('LCP'),
        vitalValue('LCP', lcp?.p95 ?? null),
        pct(lcp?.poorShare),
        p75('INP'),
        vitalValue('INP', inp?.p95 ?? null),
        pct(inp?.poorShare),
        p75('CLS'),
      ]
    })
  return { headers, rows }
}

/** The first `top` elements blamed for needs-improvement or poor vitals. */
export function blamedElementsTable(targets: Report['vitals']['worstTargets'], top: number): Table {
  return {
    headers: ['metric', 'element', 'slow reports', 'poor', 'p75 of those'],
    rows: targets
      .slice(0, top)
      .map((t) => [t.name, t.target, count(t.slowReports), count(t.poorReports), vitalValue(t.name, t.p75)]),
    textColumns: [],
    codeColumns: [1],
  }
}

/** The first `top` recorded sessions, most recent first. */
export function replaysTable(replays: NonNullable<Report['replays']>, top: number): Table {
  return {
    headers: ['session', 'pages', 'chunks', 'bytes', 'first (UTC)', 'last (UTC)', 'duration'],
    rows: replays.list
      .slice(0, top)
      .map((r) => [
        r.sessionId,
        count(r.pages),
        count(r.chunks),
        count(r.bytes),
        r.firstTs === null ? '–' : isoSecond(r.firstTs),
        r.lastTs === null ? '–' : isoSecond(r.lastTs),
        ms(r.durationMs),
      ]),
    // Times are text, also when every one is missing ('–').
    textColumns: [4, 5],
    codeColumns: [0],
  }
}
