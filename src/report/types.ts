// The report object: what `frictionlog report --json` prints and what the renderers read.
// Plain JSON (numbers, strings, arrays): no Maps, no NaN (null instead), so it round-trips.
import type { Proportion } from './stats'

/** Options of {@link createReport} and `frictionlog report`. */
export interface ReportOptions {
  /** Funnel whose last step counts as the conversion; default: the funnel with the most steps. */
  funnel?: string
  /** `track` event name that counts as the conversion; wins over the funnel when given. */
  goal?: string
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
  | { kind: 'funnel'; funnel: string; step: string; stepIndex: number }
  | { kind: 'goal'; goal: string }

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
  /** Two-sided p-value against the control; null for the control. */
  pValue: number | null
  /** Whether p is below the Bonferroni-corrected threshold (0.05 / number of comparisons). */
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
  /** Answers to each `feedback()` question, the most answered first. */
  feedback: FeedbackQuestionReport[]
  /** Things the reader should know: bounded maps that forgot keys, an unknown `--funnel`… */
  notes: string[]
}
