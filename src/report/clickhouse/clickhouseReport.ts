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
import { scrollReach } from '../pages'
import { chooseConversion, conversionFunnelOf } from '../conversion'
import { converter, speedVsConversion } from '../report'
import type { ErrorReport, FormReport, ReplaySessionReport, Report, ReportOptions, SelectorReport } from '../types'
import type { METRIC_NAMES } from '../vitals'
import { dayReports, dayVitalsSql, type DayVitalRow } from './days'
import { feedbackQueries, feedbackReports, type AnswerRow, type LatestRow } from './feedback'
import { frictionCostRows, frictionCostSql, type SignalRow } from './frictionCost'
import {
  excessiveScrollReports,
  fieldHesitationReports,
  hesitationQueries,
  quickBackReports,
  type FieldRow,
  type QuickBackRow,
  type ScrollRow,
} from './hesitation'
import { funnelReports, funnelsOf, type StepRow } from './funnels'
import { createQueries } from './queries'
import { sessionStatesSql, sessionTableOf, type StateRow } from './sessions'
import { fromScope, quantileOf, type FirstExposure, type From, type Quantile } from './sql'
import { vitalSummaries, type VitalRow } from './vitals'

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

/**
 * Builds the same {@link Report} as `buildReport` from the events a ClickHouse sink stored, with
 * every aggregation pushed down as SQL (about forty GROUP BY queries, FINAL so retried ids count
 * once): Node receives counts, top lists, exact quantiles and the distinct per-session states,
 * never the events. The pieces then go through the JavaScript report's own code (experiment
 * verdicts and their scrutiny, days and incidents, friction cost, speed vs conversion, Wilson
 * intervals, scroll reach, vital ratings), so both paths give the same model: the equality test
 * compares it whole. Medians and p75s are exact here (sorted in ClickHouse) where the NDJSON path
 * samples beyond its reservoirs' sizes, and no map is capped here (see README, ClickHouse).
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
    const scope = { table: target, site: site ?? null, since, until }
    return await assemble(ch, createQueries(scope), fromScope(scope), reportOptions)
  } finally {
    if (!connection) await ch.close()
  }
}

async function assemble(
  ch: ClickhouseConnection,
  q: ReturnType<typeof createQueries>,
  from: From,
  options: ReportOptions,
): Promise<Report> {
  const run = <T>(sql: string) => ch.query<T>(sql)
  const hesitation = hesitationQueries(from)
  const feedback = feedbackQueries(from)
  const [
    [totals],
    byType,
    [health],
    dropped,
    funnelSteps,
    variants,
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
    dayVitals,
    quickBacks,
    scrolls,
    fields,
    answers,
    latestAnswers,
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
    run<FirstExposure>(q.variants),
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
    run<Omit<ReplaySessionReport, 'durationMs'>>(q.replays),
    run<{ sessions: number }>(q.replaySessions),
    run<{ n: number }>(q.stored),
    run<DayVitalRow>(dayVitalsSql(from)),
    run<QuickBackRow>(hesitation.quickBacks),
    run<ScrollRow>(hesitation.excessiveScrolls),
    run<FieldRow>(hesitation.fieldHesitation),
    run<AnswerRow>(feedback.answers),
    run<LatestRow>(feedback.latest),
  ])

  const notes: string[] = []
  const funnels = funnelsOf(funnelSteps)
  const conversion = chooseConversion(options, funnels, notes)
  const paths = pages.map((page) => page.urlPath)
  const fingerprints = errors.map((error) => error.fingerprint)
  const formNames = forms.map((form) => form.form)
  const selectorNames = [...new Set(selectors.map((row) => row.selector))]
  const [
    states,
    selectorPages,
    errorPages,
    errorClicks,
    lastFields,
    fieldErrors,
    pageScroll,
    pageVitals,
    quickBackPages,
    signals,
    guardrails,
    guardVitals,
  ] = await Promise.all([
    run<StateRow>(sessionStatesSql(from, conversion, variants)),
    run<{ type: string; selector: string; urlPath: string }>(q.selectorPages(selectorNames)),
    run<{ fingerprint: string; urlPath: string }>(q.errorPages(fingerprints)),
    run<{ fingerprint: string; afterClick: string }>(q.errorClicks(fingerprints)),
    run<{ form: string; lastField: string; n: number }>(q.formLastFields(formNames)),
    run<{ form: string; field: string; reason: string; n: number }>(q.fieldErrors(formNames)),
    run<{ urlPath: string; depthPct: number; n: number }>(q.pageScroll(paths)),
    run<{ urlPath: string } & VitalRow>(q.pageVitals(paths)),
    run<{ leftPath: string; urlPath: string }>(hesitation.quickBackPages(quickBacks.map((row) => row.leftPath))),
    // Without a conversion there is nothing to price (frictionCostAccumulator.ts).
    conversion ? run<SignalRow>(frictionCostSql(from, conversion)) : Promise.resolve([]),
    run<{ exposedTo: string; exposedVariant: string; rageClicks: number; deadClicks: number; errors: number }>(
      q.guardrails(variants),
    ),
    run<{ exposedTo: string; exposedVariant: string; name: string } & Quantile<'v'>>(q.guardVitals(variants)),
  ])

  // Per-session states, each standing for as many sessions as share it, in the order of their
  // first session: the JavaScript joins (experiments × conversion, LCP × conversion, days) then
  // run unchanged over them and meet every key in the same order.
  const sessions = sessionTableOf(states, conversion)
  const converted = converter(conversion, sessions)
  const experiments = createExperimentAccumulator()
  // Exposures and friction counts go through the accumulator against a throwaway session (the
  // states above carry the per-session bits), so that its caps and evictions apply as in report.ts.
  const scratch = 0
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
  // One value per variant and metric, the exact p75: the reservoir's p75 is then that value (the
  // JavaScript report samples 2,000 values per variant, so beyond that many the two differ by
  // the sampling error).
  for (const row of guardVitals) {
    const context = { experiments: { [row.exposedTo]: row.exposedVariant } }
    const vital = { type: 'vital', name: row.name, value: quantileOf(row, 'v', 0.75), context }
    experiments.guardrail(vital as unknown as FrictionEvent, scratch, 1, 'good')
  }
  const funnelReportList = funnelReports(funnels)
  const conversionFunnel = conversionFunnelOf(conversion, funnelReportList)
  const days = dayReports(dayVitals, sessions, converted)
  const incidentDays = days.filter((d) => d.errorSpike || d.latencySpike).map((d) => d.day)

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
    funnels: funnelReportList,
    experiments: experiments.result(sessions, converted, conversionFunnel, incidentDays, options.splits),
    speedVsConversion: converted ? speedVsConversion(sessions, converted) : null,
    friction: {
      rageClicks: selectorReports('rage_click'),
      deadClicks: selectorReports('dead_click'),
      errors: errorReports,
      forms: formReports.slice(0, REPORTED_ITEMS),
      quickBacks: quickBackReports(quickBacks, quickBackPages),
      excessiveScrolls: excessiveScrollReports(scrolls),
      fieldHesitation: fieldHesitationReports(fields),
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
    days,
    frictionCost: converted ? frictionCostRows(signals) : [],
    feedback: feedbackReports(answers, latestAnswers),
    notes,
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
