import type { FrictionEvent } from '../schema/index'
import { countInto, ratio } from './count'
import { createAttentionAccumulator } from './attention'
import { createDayAccumulator } from './days'
import { createExperimentAccumulator } from './experiments'
import { createFrictionAccumulator } from './friction'
import { createFrictionCostAccumulator } from './frictionCostAccumulator'
import { createFeedbackAccumulator } from './feedback'
import { chooseConversion, conversionFunnelOf } from './conversion'
import { createFunnelAccumulator } from './funnels'
import { createHesitationAccumulator } from './hesitation'
import { createPagesAccumulator } from './pages'
import { pathOf, str } from './path'
import { createReplayAccumulator } from './replays'
import { createSessionTracker, LCP_RANK } from './sessions'
import type { SessionTable } from './sessionTable'
import { proportion, twoProportionZTest } from './stats'
import type { Conversion, Health, Rating, Report, ReportOptions, SpeedVsConversion } from './types'
import { createVitalsAccumulator, isMetricName, rateVital } from './vitals'

/** Distinct `type` values counted; the wire format has twenty, the rest is foreign data. */
const MAX_TYPES = 100

/** Distinct paths whose string is shared between sessions; past it each keeps its own copy. */
const MAX_SHARED_PATHS = 10_000

/** Distinct `sdk_health` drop reasons counted. */
const MAX_DROP_REASONS = 100

/** A streaming report: feed it events one by one, in any order, then ask for the result. */
export interface ReportBuilder {
  /** Adds one stored event; anything that is not an object with a string `type` is skipped. */
  add(event: unknown): void
  /** The report of every event added so far. */
  finish(): Report
}

/**
 * Creates a streaming report builder. Memory stays flat with the number of events: counters,
 * top-N maps (selectors, paths, errors, forms…), reservoirs of at most 10 000 samples per key
 * for medians and p75s, and a packed row per session (see {@link SessionTable}) to join
 * experiment exposures with conversions and LCP, which may arrive in any order.
 *
 * @example
 * const report = createReport({ goal: 'signup' })
 * for await (const event of readNdjson('./.frictionlog')) report.add(event)
 * console.log(report.finish().experiments)
 */
export function createReport(options: ReportOptions = {}): ReportBuilder {
  const byType = new Map<string, number>()
  const health: Health = { reports: 0, dropped: {}, retried: 0, beaconRejected: 0, persisted: 0, invalid: 0 }
  const dropped = new Map<string, number>()
  let events = 0
  let skipped = 0
  let pageViews = 0
  let firstTs = Infinity
  let lastTs = -Infinity

  const sessions = createSessionTracker()
  const pages = createPagesAccumulator()
  const funnels = createFunnelAccumulator()
  const experiments = createExperimentAccumulator()
  const friction = createFrictionAccumulator()
  const attention = createAttentionAccumulator()
  const vitals = createVitalsAccumulator()
  const replays = createReplayAccumulator()
  const days = createDayAccumulator()
  const cost = createFrictionCostAccumulator()
  const feedback = createFeedbackAccumulator()
  const hesitation = createHesitationAccumulator()
  const keep = createFilter(options)
  let filteredOut = 0
  let lastUrl: unknown = {}
  let lastPath = ''
  // One string per distinct path (bounded), so the maps keyed by path (pages, friction, hesitation) share them.
  const pathStrings = new Map<string, string>()

  const add = (input: unknown) => {
    const event = input as FrictionEvent
    if (input === null || typeof input !== 'object' || typeof event.type !== 'string') {
      skipped += 1
      return
    }
    if (!keep(event)) {
      filteredOut += 1
      return
    }
    events += 1
    countInto(byType, event.type, 1, MAX_TYPES)
    if (isDateMs(event.ts)) {
      if (event.ts < firstTs) firstTs = event.ts
      if (event.ts > lastTs) lastTs = event.ts
    }
    const session = sessions.session(event)
    // Consecutive events usually share their URL (the parser even shares the string).
    if (event.url !== lastUrl) {
      lastUrl = event.url
      const path = pathOf(event.url)
      const known = pathStrings.get(path)
      if (known !== undefined) lastPath = known
      else {
        if (pathStrings.size < MAX_SHARED_PATHS) pathStrings.set(path, path)
        lastPath = path
      }
    }
    const path = lastPath
    const page = pages.entry(path)

    switch (event.type) {
      case 'page':
        pageViews += 1
        page.pageViews += 1
        cost.view(session, path)
        break
      case 'page_leave':
        if (Number.isFinite(event.engagedMs)) {
          page.engagedMsSum += event.engagedMs
          page.leaves += 1
        }
        break
      case 'track':
        if (options.goal !== undefined && event.name === options.goal) sessions.markGoal(session)
        break
      case 'funnel_step':
        funnels.add(event, session)
        break
      case 'experiment':
        experiments.expose(event, session)
        break
      case 'scroll': {
        const depth = attention.scroll(event)
        if (depth !== undefined) page.scroll.set(depth, (page.scroll.get(depth) ?? 0) + 1)
        break
      }
      case 'section':
        attention.section(event)
        break
      case 'rage_click':
      case 'dead_click':
        if (event.type === 'rage_click') {
          friction.rageClick(event, path)
          page.rageClicks += 1
        } else {
          friction.deadClick(event, path)
          page.deadClicks += 1
        }
        experiments.guardrail(event, session)
        cost.meet(session, event.type, str(event.selector), path)
        break
      case 'error': {
        const occurrences = friction.error(event, path)
        page.errors += occurrences
        experiments.guardrail(event, session, occurrences)
        sessions.markError(session)
        cost.meet(session, 'error', str(event.fingerprint, str(event.message)), path, str(event.message))
        break
      }
      case 'form_start':
      case 'form_submit':
      case 'form_abandon':
        friction.form(event)
        if (event.type !== 'form_start') hesitation.formEnd(event, session)
        experiments.guardrail(event, session)
        break
      case 'quick_back':
        hesitation.quickBack(event, path, session)
        cost.meet(session, 'quick_back', str(event.leftPath), path)
        break
      case 'excessive_scroll':
        hesitation.excessiveScroll(event, path, session)
        cost.meet(session, 'excessive_scroll', '', path)
        break
      case 'field_error':
        friction.fieldError(event)
        cost.meet(session, 'field_error', `${str(event.form)} › ${str(event.field)}`, path)
        break
      case 'vital': {
        const name = event.name
        if (!isMetricName(name) || !Number.isFinite(event.value)) break
        const rating: Rating = Object.hasOwn(LCP_RANK, event.rating) ? event.rating : rateVital(name, event.value)
        vitals.add(event, name, rating)
        pages.addVital(page, name, event.value, rating)
        if (name === 'LCP') sessions.rateLcp(session, LCP_RANK[rating])
        if (name === 'LCP' || name === 'INP') {
          if (name === 'LCP' && rating !== 'good') cost.meet(session, 'slow_lcp', '', path)
          experiments.guardrail(event, session, 1, rating)
          if (typeof event.ts === 'number') days.vital(event.ts, name, event.value)
        }
        break
      }
      case 'replay':
        replays.add(event)
        break
      case 'feedback':
        feedback.add(event)
        break
      case 'sdk_health':
        health.reports += 1
        health.retried += finiteOr0(event.retried)
        health.beaconRejected += finiteOr0(event.beaconRejected)
        health.persisted += finiteOr0(event.persisted)
        health.invalid += finiteOr0(event.invalid)
        if (event.dropped && typeof event.dropped === 'object') {
          for (const reason in event.dropped)
            countInto(dropped, reason, finiteOr0(event.dropped[reason]), MAX_DROP_REASONS)
        }
        break
    }
  }

  const finish = (): Report => {
    const notes: string[] = []
    const conversion = chooseConversion(options, funnels.funnels, notes)
    const table: SessionTable = {
      ...sessions.columns(),
      funnelMask: funnels.mask,
      forEachExposure: experiments.forEachExposure,
    }
    const converted = converter(conversion, table)
    const funnelReports = funnels.result(table.count)
    const conversionFunnel = conversionFunnelOf(conversion, funnelReports)
    const dayReports = days.result(table, converted)
    const incidentDays = dayReports.filter((d) => d.errorSpike || d.latencySpike).map((d) => d.day)
    const pagesResult = pages.result()
    const frictionResult = friction.result()
    const attentionResult = attention.result(pageViews)
    const vitalsResult = vitals.result()
    const replaysResult = replays.result()
    const feedbackResult = feedback.result()
    const hesitationResult = hesitation.result()

    const evicted =
      pagesResult.evicted +
      frictionResult.evicted +
      attentionResult.evicted +
      vitalsResult.evicted +
      hesitationResult.evicted
    if (evicted > 0) {
      notes.push(
        `${evicted} rare paths, selectors, errors, forms, fields or sections were dropped to bound memory; ` +
          'the counts of keys seen again afterwards are lower bounds.',
      )
    }
    if (funnels.ignored > 0) notes.push(`${funnels.ignored} funnel_step events ignored (a stepIndex ≥ 31).`)
    if (funnels.evicted > 0)
      notes.push(`${funnels.evicted} funnels with the fewest sessions dropped to keep 50 (their counts are partial).`)
    if (experiments.evicted > 0)
      notes.push(
        `${experiments.evicted} experiments or variants with the fewest sessions dropped to keep 50 experiments ` +
          'of 20 variants (their counts are partial).',
      )
    if (replaysResult.evicted > 0)
      notes.push(
        `${replaysResult.evicted} less recent recorded sessions were forgotten to bound memory; ` +
          'the replay counts of sessions seen again afterwards are lower bounds.',
      )
    if (cost.ignored > 0)
      notes.push(`${cost.ignored} friction signals over the first 2,000 were not priced in conversions.`)
    if (skipped > 0) notes.push(`${skipped} stored lines were not events and were skipped.`)
    if (feedbackResult.evicted > 0)
      notes.push(`${feedbackResult.evicted} rarely answered feedback questions were dropped to bound memory.`)

    health.dropped = Object.fromEntries(dropped)
    return {
      options: { ...options },
      totals: {
        events,
        sessions: sessions.sessions,
        visitors: sessions.visitors,
        pageViews,
        byType: Object.fromEntries([...byType].sort((a, b) => b[1] - a[1])),
        skipped,
        firstTs: events > 0 && Number.isFinite(firstTs) ? firstTs : null,
        lastTs: events > 0 && Number.isFinite(lastTs) ? lastTs : null,
        filteredOut,
      },
      health: health.reports > 0 ? { ...health } : null,
      conversion,
      funnels: funnelReports,
      experiments: experiments.result(table, converted, conversionFunnel, incidentDays, options.splits),
      speedVsConversion: converted ? speedVsConversion(table, converted) : null,
      friction: {
        rageClicks: frictionResult.rageClicks,
        deadClicks: frictionResult.deadClicks,
        errors: frictionResult.errors,
        forms: frictionResult.forms,
        quickBacks: hesitationResult.quickBacks,
        excessiveScrolls: hesitationResult.excessiveScrolls,
        fieldHesitation: hesitationResult.fieldHesitation,
      },
      attention: { scroll: attentionResult.scroll, sections: attentionResult.sections },
      vitals: { metrics: vitalsResult.metrics, worstTargets: vitalsResult.worstTargets },
      pages: pagesResult.pages,
      replays: replaysResult.sessions,
      days: dayReports,
      frictionCost: cost.result(table, converted),
      feedback: feedbackResult.questions,
      notes,
    }
  }

  return { add, finish }
}

/**
 * The `site`, `since` and `until` options as one test. An event without `site` fails a site
 * filter (it cannot be attributed); one without a usable `ts` fails a time filter.
 */
function createFilter(options: ReportOptions): (event: FrictionEvent) => boolean {
  const { site, since, until } = options
  if (site === undefined && since === undefined && until === undefined) return () => true
  return (event) => {
    if (site !== undefined && (event as { site?: unknown }).site !== site) return false
    if (since === undefined && until === undefined) return true
    const ts = event.ts
    if (typeof ts !== 'number' || !Number.isFinite(ts)) return false
    return (since === undefined || ts >= since) && (until === undefined || ts < until)
  }
}

/** Largest epoch ms a Date holds (±100,000,000 days): the report's period ignores the rest. */
const MAX_DATE_MS = 8.64e15

const isDateMs = (value: unknown): value is number => typeof value === 'number' && Math.abs(value) <= MAX_DATE_MS

const finiteOr0 = (value: unknown): number => (typeof value === 'number' && Number.isFinite(value) ? value : 0)

/** Whether a session converted, for the chosen conversion (null without one). */
export function converter(
  conversion: Conversion | null,
  sessions: SessionTable,
): ((session: number) => boolean) | null {
  if (!conversion) return null
  if (conversion.kind === 'goal') return (session) => sessions.hasGoal(session)
  const bit = 1 << conversion.stepIndex
  return (session) => (sessions.funnelMask(session, conversion.funnel) & bit) !== 0
}

/** Conversion of sessions whose worst LCP was good against the others (the ClickHouse report reuses it). */
export function speedVsConversion(
  sessions: SessionTable,
  converted: (session: number) => boolean,
): SpeedVsConversion | null {
  let goodN = 0
  let goodK = 0
  let slowN = 0
  let slowK = 0
  let unrated = 0
  for (let session = 0; session < sessions.count; session += 1) {
    const worstLcp = sessions.worstLcp(session)
    if (worstLcp === 0) unrated += 1
    else if (worstLcp === LCP_RANK.good) {
      goodN += 1
      if (converted(session)) goodK += 1
    } else {
      slowN += 1
      if (converted(session)) slowK += 1
    }
  }
  if (goodN + slowN === 0) return null
  const good = proportion(goodK, goodN)
  const slow = proportion(slowK, slowN)
  const lift = ratio(slow.rate - good.rate, good.rate)
  return {
    good,
    slow,
    unrated,
    pValue: goodN > 0 && slowN > 0 ? twoProportionZTest(goodK, goodN, slowK, slowN).pValue : null,
    lift,
  }
}
