import type { EventOf, FrictionEvent } from '../../schema/index'
import {
  connectClickhouse,
  type ClickhouseConnection,
  type ClickhouseConnectionOptions,
} from '../../collector/sinks/clickhouseClient'
import { DEFAULT_CLICKHOUSE_DATABASE, DEFAULT_CLICKHOUSE_TABLE } from '../../collector/sinks/clickhouseDdl'
import { sqlIdentifier } from '../../collector/sinks/clickhouseEscape'
import { finite, ratio } from '../count'
import { createExperimentAccumulator } from '../experiments'
import { funnelReport } from '../funnels'
import { scrollReach } from '../pages'
import { converter, speedVsConversion } from '../report'
import type { Reservoir } from '../reservoir'
import type { SessionState } from '../sessions'
import { quantileSorted } from '../stats'
import type { Conversion, ErrorReport, FormReport, FunnelReport, Report, ReportOptions, SelectorReport } from '../types'
import { METRIC_NAMES, summarizeVital } from '../vitals'
import { createQueries } from './queries'

/** Options of {@link buildClickhouseReport}: the report's own, plus where the events are. */
export interface ClickhouseReportOptions extends ReportOptions, ClickhouseConnectionOptions {
  /** @default 'frictionlog' */
  database?: string
  /** @default 'events' */
  table?: string
  /** Only the events of this `site` (the sink's `site` option); default: every site. */
  site?: string
  /** An open connection to use instead of opening one from `url` (left open). */
  connection?: ClickhouseConnection
}

/** Forms with fewer starts sort after the others (friction.ts). */
const MIN_FORM_STARTS = 10
const REPORTED_ITEMS = 20

type Quantile<A extends string> = Record<`${A}N` | `${A}Lo` | `${A}Hi`, number>

/** One funnel step's aggregates. */
type StepRow = { funnel: string; stepIndex: number; step: string; events: number; sessions: number } & Quantile<'ms'>

/** One distinct per-session state, as the sessionStates query returns it. */
interface StateRow {
  exposures: Array<[string, string]>
  mixed: string[]
  mask: number
  hasGoal: number
  worstLcp: number
  /** Start (epoch ms) of the UTC day of the session's first event. */
  firstDay: number
  hadError: number
}

/**
 * Builds the same {@link Report} as `buildReport` from the events a ClickHouse sink stored, with
 * every aggregation pushed down as SQL (about twenty GROUP BY queries, FINAL so retried ids count
 * once): Node receives counts, top lists and per-session states, never the events. The pieces
 * then go through the JavaScript report's own code (experiment verdicts, speed vs conversion,
 * Wilson intervals, scroll reach, vital ratings), so both paths agree; medians and p75s are exact
 * here (sorted in ClickHouse) where the NDJSON path samples beyond 10 000 values per key.
 *
 * @example
 * const report = await buildClickhouseReport({ url: 'http://127.0.0.1:8123', funnel: 'checkout' })
 */
export async function buildClickhouseReport(options: ClickhouseReportOptions): Promise<Report> {
  const {
    url: _url,
    username: _username,
    password: _password,
    requestTimeoutMs: _timeout,
    database = DEFAULT_CLICKHOUSE_DATABASE,
    table = DEFAULT_CLICKHOUSE_TABLE,
    connection,
    ...reportOptions
  } = options
  const { site, since, until } = reportOptions
  const ch = connection ?? (await connectClickhouse(options))
  try {
    const target = `${sqlIdentifier(database)}.${sqlIdentifier(table)}`
    const queries = createQueries({ table: target, site: site ?? null, since, until })
    return await assemble(ch, queries, reportOptions)
  } finally {
    if (!connection) await ch.close()
  }
}

async function assemble(
  ch: ClickhouseConnection,
  q: ReturnType<typeof createQueries>,
  options: ReportOptions,
): Promise<Report> {
  const run = <T>(sql: string) => ch.query<T>(sql)
  const [
    [totals],
    byType,
    [health],
    dropped,
    funnelSteps,
    variants,
    guardrails,
    selectors,
    errors,
    forms,
    scroll,
    sections,
    metrics,
    targets,
    pages,
    replays,
    [replaySessions],
    [all],
  ] = await Promise.all([
    run<{
      events: number
      sessions: number
      visitors: number
      pageViews: number
      firstTs: number
      lastTs: number
      ignoredSteps: number
    }>(q.totals),
    run<{ type: string; n: number }>(q.byType),
    run<{ reports: number; retried: number; beaconRejected: number; persisted: number; invalid: number }>(q.health),
    run<{ droppedReason: string; n: number }>(q.dropped),
    run<StepRow>(q.funnelSteps),
    run<{ experiment: string; variant: string }>(q.variants),
    run<{ exposedTo: string; exposedVariant: string; rageClicks: number; deadClicks: number; errors: number }>(
      q.guardrails,
    ),
    run<{ type: string; selector: string; n: number; text: string }>(q.selectors),
    run<{ fingerprint: string; count: number; events: number; message: string; errorType: string; source: string }>(
      q.errors,
    ),
    run<{ form: string; starts: number; submits: number; abandons: number }>(q.forms),
    run<{ depthPct: number; n: number }>(q.scroll),
    run<{ section: string; views: number; visibleMsSum: number; typicalOrder: number }>(q.sections),
    run<VitalRow>(q.metrics),
    run<{ name: string; target: string; slowReports: number; poorReports: number } & Quantile<'v'>>(q.targets),
    run<{
      urlPath: string
      events: number
      pageViews: number
      engagedMsSum: number
      leaves: number
      rageClicks: number
      deadClicks: number
      errors: number
    }>(q.pages),
    run<{
      sessionId: string
      pages: number
      chunks: number
      bytes: number
      firstTs: number | null
      lastTs: number | null
    }>(q.replays),
    run<{ sessions: number }>(q.replaySessions),
    run<{ n: number }>(q.stored),
  ])

  const notes: string[] = []
  const funnels = funnelsOf(funnelSteps)
  const conversion = chooseConversion(options, funnels, notes)
  const converted = converter(conversion)
  const paths = pages.map((page) => page.urlPath)
  const fingerprints = errors.map((error) => error.fingerprint)
  const formNames = forms.map((form) => form.form)
  const funnelName = conversion?.kind === 'funnel' ? conversion.funnel : null
  const goal = conversion?.kind === 'goal' ? conversion.goal : null
  const selectorNames = [...new Set(selectors.map((row) => row.selector))]
  const [states, selectorPages, errorPages, errorClicks, lastFields, fieldErrors, pageScroll, pageVitals] =
    await Promise.all([
      run<StateRow & { n: number }>(q.sessionStates(funnelName, goal)),
      run<{ type: string; selector: string; urlPath: string }>(q.selectorPages(selectorNames)),
      run<{ fingerprint: string; urlPath: string }>(q.errorPages(fingerprints)),
      run<{ fingerprint: string; afterClick: string }>(q.errorClicks(fingerprints)),
      run<{ form: string; lastField: string; n: number }>(q.formLastFields(formNames)),
      run<{ form: string; field: string; reason: string; n: number }>(q.fieldErrors(formNames)),
      run<{ urlPath: string; depthPct: number; n: number }>(q.pageScroll(paths)),
      run<{ urlPath: string } & VitalRow>(q.pageVitals(paths)),
    ])

  // Per-session states, each repeated as many times as sessions share it: the JavaScript joins
  // (experiments × conversion, LCP × conversion) then run unchanged over them.
  const sessions = states.map((row) => ({ state: sessionState(row, conversion), n: row.n }))
  const everySession = function* (): Generator<SessionState> {
    for (const { state, n } of sessions) for (let i = 0; i < n; i += 1) yield state
  }
  const experiments = createExperimentAccumulator()
  const empty: StateRow = { exposures: [], mixed: [], mask: 0, hasGoal: 0, worstLcp: 0, firstDay: 0, hadError: 0 }
  const scratch = sessionState(empty, null)
  for (const { experiment, variant } of variants) {
    experiments.expose({ type: 'experiment', experiment, variant } as EventOf<'experiment'>, scratch)
  }
  for (const row of guardrails) {
    const context = { experiments: { [row.exposedTo]: row.exposedVariant } }
    const of = (type: string) => ({ type, context }) as unknown as FrictionEvent
    if (row.rageClicks > 0) experiments.guardrail(of('rage_click'), scratch, row.rageClicks)
    if (row.deadClicks > 0) experiments.guardrail(of('dead_click'), scratch, row.deadClicks)
    if (row.errors > 0) experiments.guardrail(of('error'), scratch, row.errors)
  }
  const conversionFunnel =
    conversion?.kind === 'funnel' ? { name: conversion.funnel, steps: conversion.stepIndex + 1 } : null

  if (totals.ignoredSteps > 0) {
    notes.push(`${totals.ignoredSteps} funnel_step events ignored (a stepIndex ≥ 31).`)
  }
  if (experiments.evicted > 0) {
    notes.push(
      `${experiments.evicted} experiments or variants with the fewest sessions dropped to keep 50 experiments ` +
        'of 20 variants (their counts are partial).',
    )
  }

  const pagesOf = groupBy(selectorPages, (row) => `${row.type}\u0000${row.selector}`)
  const selectorReports = (type: string): SelectorReport[] =>
    selectors
      .filter((row) => row.type === type)
      .map((row) => ({
        selector: row.selector,
        count: row.n,
        text: row.text,
        pages: (pagesOf.get(`${type}\u0000${row.selector}`) ?? []).map((page) => page.urlPath),
      }))
  const errorPagesOf = groupBy(errorPages, (row) => row.fingerprint)
  const clickOf = new Map(errorClicks.map((row) => [row.fingerprint, row.afterClick]))
  const errorReports: ErrorReport[] = errors.map((row) => ({
    fingerprint: row.fingerprint,
    count: row.count,
    events: row.events,
    message: row.message,
    errorType: row.errorType,
    source: row.source,
    pages: (errorPagesOf.get(row.fingerprint) ?? []).map((page) => page.urlPath),
    afterClick: clickOf.get(row.fingerprint) ?? null,
  }))
  const lastFieldOf = new Map(lastFields.map((row) => [row.form, row]))
  const fieldErrorsOf = groupBy(fieldErrors, (row) => row.form)
  const formReports: FormReport[] = forms.map((row) => {
    const top = lastFieldOf.get(row.form)
    return {
      form: row.form,
      starts: row.starts,
      submits: row.submits,
      abandons: row.abandons,
      abandonRate: ratio(row.abandons, row.starts),
      topLastField: top ? { field: top.lastField, count: top.n } : null,
      fieldErrors: (fieldErrorsOf.get(row.form) ?? []).map(({ field, reason, n }) => ({ field, reason, count: n })),
    }
  })
  const isTrusted = (form: FormReport) => (form.starts >= MIN_FORM_STARTS ? 1 : 0)
  formReports.sort(
    (a, b) => isTrusted(b) - isTrusted(a) || (b.abandonRate ?? -1) - (a.abandonRate ?? -1) || b.abandons - a.abandons,
  )

  const scrollOf = new Map<string, Map<number, number>>()
  for (const row of pageScroll) {
    if (!scrollOf.has(row.urlPath)) scrollOf.set(row.urlPath, new Map())
    scrollOf.get(row.urlPath)!.set(row.depthPct, row.n)
  }
  const vitalsOf = groupBy(pageVitals, (row) => row.urlPath)

  return {
    options: { ...options },
    totals: {
      events: totals.events,
      sessions: totals.sessions,
      visitors: totals.visitors,
      pageViews: totals.pageViews,
      byType: Object.fromEntries(byType.map((row) => [row.type, row.n])),
      skipped: 0,
      filteredOut: all.n - totals.events,
      firstTs: totals.events > 0 ? totals.firstTs : null,
      lastTs: totals.events > 0 ? totals.lastTs : null,
    },
    health:
      health.reports > 0
        ? { ...health, dropped: Object.fromEntries(dropped.map((row) => [row.droppedReason, row.n])) }
        : null,
    conversion,
    funnels: funnelReports(funnels),
    experiments: experiments.result(everySession(), converted, conversionFunnel),
    speedVsConversion: converted ? speedVsConversion(everySession(), converted) : null,
    friction: {
      rageClicks: selectorReports('rage_click'),
      deadClicks: selectorReports('dead_click'),
      errors: errorReports,
      forms: formReports.slice(0, REPORTED_ITEMS),
      // Not computed in SQL yet (see README): quick backs, excessive scrolling, field hesitation.
      quickBacks: [],
      excessiveScrolls: [],
      fieldHesitation: [],
    },
    attention: {
      scroll: scrollReach(new Map(scroll.map((row) => [row.depthPct, row.n])), totals.pageViews),
      sections: sections
        .map((row) => ({
          section: row.section,
          views: row.views,
          avgVisibleMs: row.views > 0 ? row.visibleMsSum / row.views : 0,
          typicalOrder: row.typicalOrder,
        }))
        .sort((a, b) => a.typicalOrder - b.typicalOrder || b.views - a.views),
    },
    vitals: {
      metrics: vitalSummaries(metrics),
      worstTargets: targets.map((row) => ({
        name: row.name as (typeof METRIC_NAMES)[number],
        target: row.target,
        slowReports: row.slowReports,
        poorReports: row.poorReports,
        p75: finite(quantileOf(row, 'v', 0.75)),
      })),
    },
    pages: pages.map((row) => ({
      path: row.urlPath,
      pageViews: row.pageViews,
      avgEngagedMs: finite(row.engagedMsSum / row.leaves),
      scroll: scrollReach(scrollOf.get(row.urlPath) ?? new Map(), row.pageViews),
      rageClicks: row.rageClicks,
      deadClicks: row.deadClicks,
      errors: row.errors,
      vitals: vitalSummaries(vitalsOf.get(row.urlPath) ?? []),
    })),
    replays: {
      sessions: replaySessions.sessions,
      list: replays.map((row) => ({
        sessionId: row.sessionId,
        pages: row.pages,
        chunks: row.chunks,
        bytes: row.bytes,
        firstTs: row.firstTs,
        lastTs: row.lastTs,
        durationMs: row.firstTs !== null && row.lastTs !== null ? row.lastTs - row.firstTs : null,
      })),
    },
    // Sections added by the verdict work, not computed in SQL yet (see README).
    days: [],
    frictionCost: [],
    feedback: [],
    notes,
  }
}

/** The q-quantile from the count and the two order statistics a `quantileItems` query returned. */
function quantileOf<A extends string>(row: Quantile<A>, alias: A, q: number): number {
  const n = row[`${alias}N`]
  const lower = Math.floor((n - 1) * q)
  const around: ArrayLike<number> = {
    length: n,
    [lower]: row[`${alias}Lo`],
    [Math.min(n - 1, lower + 1)]: row[`${alias}Hi`],
  }
  return quantileSorted(around, q)
}

/** One metric's sorted-value neighbours around p75 (v) and p95 (w), and its poor reports. */
type VitalRow = { name: string; poor: number } & Quantile<'v'> & Quantile<'w'>

/** Summaries of the metrics present, in the report's metric order, through summarizeVital. */
function vitalSummaries(rows: VitalRow[]) {
  const byName = new Map(rows.map((row) => [row.name, row]))
  return METRIC_NAMES.filter((name) => byName.has(name)).map((name) => {
    const row = byName.get(name)!
    const p75 = quantileOf(row, 'v', 0.75)
    const p95 = quantileOf(row, 'w', 0.95)
    const quantile = (q: number) => (q === 0.95 ? p95 : q === 0.75 ? p75 : NaN)
    const values: Reservoir = { count: row.vN, add: () => {}, quantile }
    return summarizeVital(name, { values, poor: row.poor })
  })
}

interface FunnelData {
  steps: Array<{ name: string; events: number; sessions: number; median: number } | undefined>
  lastIndex: number
}

/** Funnels in first-seen order (the rows come ordered by their first event). */
function funnelsOf(rows: StepRow[]) {
  const funnels = new Map<string, FunnelData>()
  for (const row of rows) {
    let funnel = funnels.get(row.funnel)
    if (!funnel) funnels.set(row.funnel, (funnel = { steps: [], lastIndex: -1 }))
    const median = quantileOf(row, 'ms', 0.5)
    funnel.steps[row.stepIndex] = { name: row.step, events: row.events, sessions: row.sessions, median }
    funnel.lastIndex = Math.max(funnel.lastIndex, row.stepIndex)
  }
  return funnels
}

function funnelReports(funnels: Map<string, FunnelData>): FunnelReport[] {
  return [...funnels].map(([funnel, entry]) => {
    const counts = Array.from({ length: entry.lastIndex + 1 }, (_, i) => entry.steps[i]?.sessions ?? 0)
    return funnelReport(funnel, counts, (stepIndex) => {
      const step = entry.steps[stepIndex]
      return step && { name: step.name, medianMs: step.median }
    })
  })
}

/** As report.ts: `--goal`, else `--funnel`'s last step, else the longest funnel's (ties: most first-step events). */
function chooseConversion(
  options: ReportOptions,
  funnels: Map<string, FunnelData>,
  notes: string[],
): Conversion | null {
  if (options.goal !== undefined) return { kind: 'goal', goal: options.goal }
  let name = options.funnel
  if (name === undefined) {
    let bestSteps = -1
    let bestEntries = -1
    for (const [funnel, entry] of funnels) {
      const entries = entry.steps[0]?.events ?? 0
      if (entry.lastIndex > bestSteps || (entry.lastIndex === bestSteps && entries > bestEntries)) {
        name = funnel
        bestSteps = entry.lastIndex
        bestEntries = entries
      }
    }
  }
  if (name === undefined) return null
  const entry = funnels.get(name)
  if (!entry) {
    notes.push(`Funnel "${name}" has no stored funnel_step events: experiments are reported without conversions.`)
    return null
  }
  const step = entry.steps[entry.lastIndex]?.name ?? `#${entry.lastIndex}`
  return { kind: 'funnel', funnel: name, stepIndex: entry.lastIndex, step }
}

function sessionState(row: StateRow, conversion: Conversion | null): SessionState {
  return {
    exposures: row.exposures.length > 0 ? new Map(row.exposures) : undefined,
    mixed: row.mixed.length > 0 ? new Set(row.mixed) : undefined,
    funnelSteps: conversion?.kind === 'funnel' && row.mask > 0 ? new Map([[conversion.funnel, row.mask]]) : undefined,
    hasGoal: row.hasGoal > 0,
    worstLcp: row.worstLcp,
    // What the verdict's scrutiny reads per session is not computed in SQL yet (see README):
    // the landing day and errors are, device, source, visitor, guardrail bits and pages are not.
    firstTs: row.firstDay,
    visitor: '(unknown)',
    device: '(unknown)',
    source: 'direct',
    hadError: row.hadError > 0,
    guards: undefined,
    pages: undefined,
    signals: undefined,
    hesitations: undefined,
  }
}

function groupBy<T>(rows: T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>()
  for (const row of rows) {
    const k = key(row)
    const list = groups.get(k)
    if (list) list.push(row)
    else groups.set(k, [row])
  }
  return groups
}
