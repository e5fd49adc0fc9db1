// Tables that the text and the HTML report both print under headings of their own: the variants
// of an experiment, the pages, the elements blamed for slow vitals and the recorded sessions.
import type { Table } from './block'
import { count, ms, pct, pValue, signedPct, vitalValue } from './format'
import { isoSecond } from './time'
import type { ExperimentReport, Report } from './types'

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
