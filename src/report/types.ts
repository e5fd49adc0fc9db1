// The report object: what `frictionlog report --json` prints and what the renderers read.
// Plain JSON (numbers, strings, arrays): no Maps, no NaN (null instead), so it round-trips.
import type { Proportion } from './stats'

/** Options of {@link createReport} and `frictionlog report`. */
export interface ReportOptions {
  /** Funnel whose last step counts as the conversion; default: the funnel with the most steps. */
  funnel?: string
  /** `track` event name that counts as the conversion; wins over the funnel when given. */
  goal?: string
  /**
   * Declared traffic split per experiment (`{ 'hero-copy': { A: 90, B: 10 } }`, any positive
   * weights) for the sample ratio check; equal shares otherwise, or when a seen variant is missing.
   */
  splits?: Record<string, Record<string, number>>
  /** Only events whose `site` is this one (events stored without a `site` are left out). */
  site?: string
  /** Only events with `ts` at or after this epoch ms. */
  since?: number
  /** Only events with `ts` before this epoch ms. */
  until?: number
}

/** Web-vital ratings, as web-vitals names them. */
export type Rating = 'good' | 'needs-improvement' | 'poor'

/** The five metrics the SDK reports. */
export type MetricName = 'LCP' | 'INP' | 'CLS' | 'FCP' | 'TTFB'

/** Counts over the whole store. */
export interface Totals {
  events: number
  /** Distinct `sessionId`s. */
  sessions: number
  /** Distinct `anonymousId`s. */
  visitors: number
  /** `page` events. */
  pageViews: number
  /** Events by `type`. */
  byType: Record<string, number>
  /** Lines that parsed but are not events (no `type`), skipped. */
  skipped: number
  /** Earliest and latest `ts` (epoch ms), null without events. */
  firstTs: number | null
  lastTs: number | null
  /** Events left out by the `site`, `since` and `until` options (not counted anywhere else). */
  filteredOut: number
}

/** Sums of every `sdk_health` report: events the SDK itself says it lost or retried. */
export interface Health {
  reports: number
  dropped: Record<string, number>
  retried: number
  beaconRejected: number
  persisted: number
  invalid: number
}

/** What counts as a conversion, chosen from the options and the data. */
export type Conversion =
  { kind: 'funnel'; funnel: string; step: string; stepIndex: number } | { kind: 'goal'; goal: string }

/** One step of a funnel. */
export interface FunnelStepReport {
  stepIndex: number
  step: string
  /** Sessions that reached this step. */
  sessions: number
  /** sessions / sessions of the previous step (1 for the first step). */
  conversion: number | null
  /** Sessions of the previous step that did not reach this one (0 for the first step). */
  dropOff: number
  /** Median `msSincePrevious` of this step's events, null for the first step. */
  medianMsSincePrevious: number | null
}

/** A funnel, step by step. */
export interface FunnelReport {
  funnel: string
  steps: FunnelStepReport[]
  /** Sessions of the last step / sessions of the first step. */
  overallConversion: number | null
}

/** One variant of an experiment. */
export interface VariantReport {
  variant: string
  /** Exposed sessions, their conversions, the rate and its 95 % CI. */
  exposed: number
  conversions: number
  rate: Proportion
  /** (rate − control rate) / control rate; null for the control or a zero control rate. */
  lift: number | null
  /** Fixed-horizon two-sided z-test p-value against the control; null for the control. */
  pValue: number | null
  /** Always-valid (mSPRT) p-value against the control, safe under daily peeking; null for the control. */
  sequentialPValue: number | null
  /** Whether the always-valid p is below the Bonferroni-corrected threshold (0.05 / number of comparisons). */
  isSignificant: boolean
  /** Conversion-funnel sessions per step (empty with a goal conversion). */
  funnelSessions: number[]
  /** Guardrails: friction per exposed session, from events carrying this variant in `context.experiments`. */
  rageClicksPerSession: number
  deadClicksPerSession: number
  errorsPerSession: number
}

/** An experiment, variant by variant, with a verdict in plain language. */
export interface ExperimentReport {
  experiment: string
  /** Control first (a variant named control/original/baseline/default/A, else alphabetical). */
  variants: VariantReport[]
  /** Sessions exposed to more than one variant (counted in their first): a bucketing bug. */
  mixedSessions: number
  /** Whether the sample is large enough to conclude (see `warning`). */
  hasEnoughData: boolean
  warning: string | null
  verdict: string
  /** Sample ratio mismatch check; null with fewer than two variants. */
  srm: SrmReport | null
  /** Per challenger: always-valid sequential test beside the fixed-horizon z-test of `variants`. */
  sequential: Array<{ variant: string } & SequentialReport>
  /** Per challenger: minimum detectable effect and the sessions still needed. */
  power: Array<{ variant: string } & PowerReport>
  guardrails: VariantGuardrails[]
  /** Per challenger, conversion at every step of the conversion funnel (empty with a goal). */
  downstream: VariantDownstream[]
  segments: SegmentsReport | null
  /** Reasons to distrust the verdict, in plain words. */
  flags: ExperimentFlag[]
}

/** Conversion of sessions with a good LCP against the others: speed and conversion read together. */
export interface SpeedVsConversion {
  good: Proportion
  /** Sessions whose worst LCP was needs-improvement or poor. */
  slow: Proportion
  /** Sessions without an LCP report. */
  unrated: number
  pValue: number | null
  /** (slow − good) / good. */
  lift: number | null
}

/** A selector that was rage- or dead-clicked. */
export interface SelectorReport {
  selector: string
  count: number
  /** Text of the element as last seen. */
  text: string
  /** Paths where it happened, most frequent first (a few). */
  pages: string[]
}

/** Errors grouped by fingerprint. */
export interface ErrorReport {
  fingerprint: string
  /** Sum of `count` (repeats folded by the SDK included). */
  count: number
  /** Error events (each may fold several occurrences). */
  events: number
  message: string
  errorType: string
  source: string
  pages: string[]
  /** The selector most often clicked just before, if any. */
  afterClick: string | null
}

/** A form's funnel from first interaction to submit or abandon. */
export interface FormReport {
  form: string
  starts: number
  submits: number
  abandons: number
  /** abandons / starts, null without starts. */
  abandonRate: number | null
  /** The `lastField` most abandons stopped at, with how many. */
  topLastField: { field: string; count: number } | null
  /** Validation failures by field and reason, most frequent first. */
  fieldErrors: Array<{ field: string; reason: string; count: number }>
}

/** Quick backs grouped by the page left: the visitor went there and came back within seconds. */
export interface QuickBackReport {
  /** `page.path` of the page left quickly. */
  leftPath: string
  /** `quick_back` events. */
  count: number
  /** Distinct sessions with at least one. */
  sessions: number
  /** Median time spent on the page left before coming back, null without a usable value. */
  medianDurationMs: number | null
  /** Pages returned to, most frequent first (a few). */
  returnedTo: string[]
}

/** Excessive scrolling (back and forth over a distance) grouped by page. */
export interface ExcessiveScrollReport {
  page: string
  /** `excessive_scroll` events (at most one per page view). */
  count: number
  sessions: number
  /** Median direction changes when the signal fired. */
  medianReversals: number | null
  /** Median distance scrolled on the page view up to the signal. */
  medianDistancePx: number | null
}

/** Hesitation on one form field, from the `hesitation` of `form_submit` and `form_abandon`. */
export interface FieldHesitationReport {
  form: string
  field: string
  /** Distinct sessions that touched the field in a submitted or abandoned form. */
  sessions: number
  /** Form ends that listed the field: submitted, abandoned. */
  submits: number
  abandons: number
  /** Medians over every form end listing the field. */
  medianFocusMs: number | null
  medianReturns: number | null
  medianCorrections: number | null
  /** Median focus time when the form was submitted, and when it was abandoned. */
  medianFocusMsSubmitted: number | null
  medianFocusMsAbandoned: number | null
}

/** Share of page views that reached a scroll milestone. */
export interface ScrollReach {
  depthPct: number
  pageViews: number
  share: number | null
}

/** A `[data-fl-section]` of the pages. */
export interface SectionReport {
  section: string
  views: number
  avgVisibleMs: number
  /** Median `order`: 1 means it is usually the first section seen. */
  typicalOrder: number
}

/** p75 of one metric with its rating by the Core Web Vitals thresholds, p95 and the poor share. */
export interface VitalSummary {
  name: MetricName
  samples: number
  p75: number | null
  rating: Rating | null
  /** p95: the slow minority the p75 leaves out. */
  p95: number | null
  /** Share of the reports rated poor, null without reports. */
  poorShare: number | null
}

/** An element that web-vitals blamed for needs-improvement or poor values (never for good ones). */
export interface VitalTargetReport {
  name: MetricName
  target: string
  /** Reports rated needs-improvement or poor that blamed it. */
  slowReports: number
  /** Of those, the ones rated poor. */
  poorReports: number
  /** p75 of the values of its slow reports. */
  p75: number | null
}

/** Everything about one path. */
export interface PageReport {
  path: string
  pageViews: number
  avgEngagedMs: number | null
  scroll: ScrollReach[]
  rageClicks: number
  deadClicks: number
  /** Sum of error `count`. */
  errors: number
  vitals: VitalSummary[]
}

/** One recorded session: its `replay` chunks summed. */
export interface ReplaySessionReport {
  sessionId: string
  /** Page views (distinct `pageId`) with at least one chunk. */
  pages: number
  /** `replay` events stored. */
  chunks: number
  /** Payload bytes of the chunks (base64 text when compressed, JSON otherwise). */
  bytes: number
  /** Earliest `startTs` and latest `endTs` of the chunks (epoch ms), null if none. */
  firstTs: number | null
  lastTs: number | null
  /** lastTs − firstTs: the recorded span (pauses while hidden included). */
  durationMs: number | null
}

/** Recorded sessions, most recent first. */
export interface ReplayReport {
  /** Sessions with at least one `replay` chunk. */
  sessions: number
  /** The most recent ones (by `lastTs`), at most 50. */
  list: ReplaySessionReport[]
}

/** One answer of a feedback question and how often it was given. */
export interface FeedbackAnswerCount {
  /** A number as sent, or the text scrubbed (emails, card and phone numbers, tokens redacted). */
  answer: string | number
  count: number
}

/** Answers to one `feedback()` question. */
export interface FeedbackQuestionReport {
  /** The question, scrubbed. */
  question: string
  answers: number
  /** `number` for a rating or score, `text` for free or chosen text, `mixed` for both. */
  kind: 'number' | 'text' | 'mixed'
  /** Numbers in ascending order (the distribution), then texts, most frequent first. */
  counts: FeedbackAnswerCount[]
  /** Answers not in `counts` (rare values past the listed rows). */
  otherAnswers: number
  /** Mean and median of the numeric answers, null without any. */
  numbers: { count: number; mean: number; median: number } | null
  /** The latest text answers, most recent first (at most 5), scrubbed. */
  latest: Array<{ answer: string; ts: number | null }>
}

/** The whole report. */
export interface Report {
  options: ReportOptions
  totals: Totals
  health: Health | null
  conversion: Conversion | null
  funnels: FunnelReport[]
  experiments: ExperimentReport[]
  speedVsConversion: SpeedVsConversion | null
  friction: {
    rageClicks: SelectorReport[]
    deadClicks: SelectorReport[]
    errors: ErrorReport[]
    forms: FormReport[]
    /** Quick backs by page left, most frequent first. */
    quickBacks: QuickBackReport[]
    /** Excessive scrolling by page, most frequent first. */
    excessiveScrolls: ExcessiveScrollReport[]
    /** Field hesitation by form and field, most sessions first. */
    fieldHesitation: FieldHesitationReport[]
  }
  attention: {
    scroll: ScrollReach[]
    sections: SectionReport[]
  }
  vitals: {
    metrics: VitalSummary[]
    worstTargets: VitalTargetReport[]
  }
  pages: PageReport[]
  /** Sessions with a recording (`replay` chunks). */
  replays: ReplayReport
  /** Conversion, errors and vitals per UTC day, spikes marked. */
  days: DayReport[]
  /** Friction signals ranked by estimated conversions lost (correlation). */
  frictionCost: FrictionCostRow[]
  /** Answers to each `feedback()` question, the most answered first. */
  feedback: FeedbackQuestionReport[]
  /** Things the reader should know: bounded maps that forgot keys, an unknown `--funnel`… */
  notes: string[]
}

// ── Experiment scrutiny and friction cost (issue #11) ────────────────────

/** Sample ratio mismatch: assignment counts against the expected split, chi-square test. */
export interface SrmReport {
  /** Exposed sessions per variant, in the variants' order. */
  observed: number[]
  /** Expected share per variant (equal unless declared). */
  expectedShares: number[]
  chiSquare: number
  degreesOfFreedom: number
  pValue: number
  /** p below {@link SrmReport.threshold}: the assignment is broken and no verdict is given. */
  isMismatch: boolean
  threshold: number
}

/** mSPRT always-valid inference for (variant rate − control rate), looks once per day. */
export interface SequentialReport {
  /** Always-valid p-value: min over the looks of 1 / Λ, capped at 1. */
  pValue: number
  /** Mixture likelihood ratio Λ at the last look. */
  likelihoodRatio: number
  /**
   * Always-valid 1 − α confidence sequence for the absolute difference at the last look
   * (intersected over looks).
   */
  low: number
  high: number
  /** Mixing variance τ² of the normal mixture over the difference. */
  mixingVariance: number
  /** Looks (days) the p-value was taken at. */
  looks: number
}

/** Minimum detectable effect at the current sample and the sample a conclusive answer needs. */
export interface PowerReport {
  /** Two-sided α (Bonferroni-corrected) and power used. */
  alpha: number
  power: number
  /** Smallest absolute difference detectable with the current sessions per variant. */
  mdeAbsolute: number | null
  /** mdeAbsolute / control rate. */
  mdeRelative: number | null
  /** Sessions per variant needed to detect the observed difference; null when it is 0. */
  neededPerVariant: number | null
  /** Sessions still needed over all the compared variants (0 when already enough). */
  moreSessions: number | null
}

/** One guardrail of one challenger against the control: shares of exposed sessions. */
export interface GuardrailComparison {
  metric: 'errors' | 'rageClicks' | 'deadClicks' | 'formAbandon' | 'slowLcp' | 'slowInp'
  /** What the share counts, e.g. "sessions with an error". */
  label: string
  control: Proportion
  variant: Proportion
  pValue: number | null
  /** Significantly worse than the control (p < 0.05, uncorrected: a guardrail should be sensitive). */
  isWorse: boolean
}

/** Guardrails of one variant. */
export interface VariantGuardrails {
  variant: string
  /** p75 of LCP and INP values (ms) of page views exposed to the variant. */
  lcpP75: number | null
  inpP75: number | null
  /** Against the control; empty for the control. */
  comparisons: GuardrailComparison[]
}

/** Conversion of one challenger at one funnel step, against the control. */
export interface DownstreamStep {
  stepIndex: number
  step: string
  control: Proportion
  variant: Proportion
  lift: number | null
  pValue: number | null
}

/** One challenger's funnel, step by step. */
export interface VariantDownstream {
  variant: string
  steps: DownstreamStep[]
}

/** One segment of one dimension: control against the leading challenger. */
export interface SegmentRow {
  dimension: 'device' | 'source' | 'visitor'
  segment: string
  /** Sessions of the segment in the two compared variants. */
  sessions: number
  control: Proportion
  variant: Proportion
  lift: number | null
  pValue: number | null
}

/** The lift of the leading challenger by segment, with Simpson and single-segment warnings. */
export interface SegmentsReport {
  /** The challenger compared (the best-converting one). */
  variant: string
  rows: SegmentRow[]
  warnings: string[]
}

/** Flags that make a significant result suspect. */
export interface ExperimentFlag {
  kind: 'srm' | 'false-positive-improvement' | 'local-optimization' | 'simpson' | 'single-segment' | 'incident'
  message: string
}

/** One UTC day: conversion beside errors and vitals, with spikes marked. */
export interface DayReport {
  /** `2024-11-23`. */
  day: string
  sessions: number
  conversions: number
  conversion: Proportion
  /** Sessions with at least one error. */
  errorSessions: number
  errorShare: number
  lcpP75: number | null
  inpP75: number | null
  /** Error share significantly above the other days' (p < 0.01) and at least 1.5× it. */
  errorSpike: boolean
  /** LCP or INP p75 at least 1.5× the median day's and rated worse than good. */
  latencySpike: boolean
  /** Conversion significantly below the other days' (p < 0.01). */
  conversionDrop: boolean
}

/** A friction signal priced in conversions (correlation, stratified by device within the page). */
export interface FrictionCostRow {
  kind: 'rage_click' | 'dead_click' | 'error' | 'field_error' | 'slow_lcp' | 'quick_back' | 'excessive_scroll'
  /**
   * Selector, error fingerprint message, `form › field`, the page left for a quick back (the
   * row's page is the one returned to), or '' for a slow LCP and excessive scrolling.
   */
  signal: string
  /** Page where the signal was met; the comparison sessions viewed it too. */
  page: string
  /** Sessions that met the signal, and their conversion. */
  met: Proportion
  /** Sessions that viewed the page without meeting it. */
  notMet: Proportion
  /** Mantel–Haenszel risk difference (met − not met) across device strata, with its 95 % CI. */
  difference: number
  low: number
  high: number
  /** −difference × met sessions: conversions that sessions meeting it would have made at the comparison rate. */
  conversionsLost: number
  /** Device strata with both groups present. */
  strata: number
}
