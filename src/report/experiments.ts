import type { FrictionEvent } from '../schema/index'
import { evictLightest, tallyInto } from './count'
import { compareDownstream } from './experiments/downstream'
import { experimentFlags } from './experiments/flags'
import { compareGuardrails, type GuardrailCounts } from './experiments/guardrails'
import { powerAnalysis } from './experiments/power'
import { compareSegments, type SegmentCounts } from './experiments/segments'
import { msprt, type Look } from './experiments/sequential'
import { sampleRatioMismatch } from './experiments/srm'
import { countBits } from './funnels'
import { count, pct, pValue, signedPct } from './format'
import { createInterner } from './interner'
import { createReservoir, type Reservoir } from './reservoir'
import { createSessionLists } from './sessionLists'
import type { SessionTable } from './sessionTable'
import { proportion, twoProportionZTest } from './stats'
import { isoDay } from './time'
import type { ExperimentReport, Rating, SegmentRow, SrmReport, VariantReport } from './types'

/** Experiments tracked; names come from code, the cap only guards against names built from data. */
const MAX_EXPERIMENTS = 50

/** Variants per experiment, same reason. */
const MAX_VARIANTS = 20

/**
 * Below these, per variant, the report refuses to conclude: the z-test's normal approximation
 * needs about ten successes per group, and with under a hundred exposures a single visitor
 * moves the rate by a whole point.
 */
export const MIN_EXPOSURES_PER_VARIANT = 100
export const MIN_CONVERSIONS_PER_VARIANT = 10

/** Two-sided significance level, before the Bonferroni correction for several variants. */
export const SIGNIFICANCE_LEVEL = 0.05

/** Variant names read as the control, which goes first whatever the alphabet says. */
const CONTROL_NAME = /^(control|original|baseline|default|a|0)$/i

interface Guardrails {
  /** Sessions exposed to the variant: its weight when the caps evict one. */
  sessions: number
  rageClicks: number
  deadClicks: number
  errors: number
  /** LCP and INP values (ms) of page views exposed to the variant. */
  lcp: Reservoir
  inp: Reservoir
}

/** Guardrail bits of a session in one experiment, from events carrying the exposure. */
const GUARD_ERROR = 1
const GUARD_RAGE = 2
const GUARD_DEAD = 4
const GUARD_FORM = 8
const GUARD_ABANDON = 16
const GUARD_LCP = 32
const GUARD_SLOW_LCP = 64
const GUARD_INP = 128
const GUARD_SLOW_INP = 256

/**
 * A session's entry of an experiment: slot EXPOSURE holds 0 when it saw no `experiment` event
 * (only guardrail events with the exposure in their context), else 1 + its first variant's
 * number, shifted left once above MIXED, set when it saw a second variant; slot GUARDS holds
 * the guardrail bits.
 */
const EXPOSURE = 0
const GUARDS = 1
const MIXED = 1

/** Segments kept per dimension (most sessions first); the rest are pooled as '(other)'. */
const MAX_SEGMENTS = 6

/** Reservoir size of the per-variant LCP and INP values: p75 within about a percent. */
const VITAL_SAMPLES = 2000

/** `2024-11-23`, the UTC day of epoch ms; `(unknown)` for a time no Date holds (`ts: 9e15`). */
export const dayOf = (ts: number): string => {
  if (!Number.isFinite(ts)) return UNKNOWN_DAY
  // Cached by day number: formatting a Date for every vital and session costs more than the rest of the event.
  const day = Math.floor(ts / DAY_MS)
  let text = dayNames.get(day)
  if (text === undefined) {
    text = isoDay(day * DAY_MS) ?? UNKNOWN_DAY
    if (dayNames.size < MAX_DAY_NAMES) dayNames.set(day, text)
  }
  return text
}

const DAY_MS = 86_400_000
const UNKNOWN_DAY = '(unknown)'
const MAX_DAY_NAMES = 10_000
const dayNames = new Map<number, string>()

/** Which friction counter a guardrail event adds to. */
export type GuardrailKind = 'rageClicks' | 'deadClicks' | 'errors'

/** Orders variant names: the control first, then alphabetically (numbers naturally). */
export function orderVariants(names: Iterable<string>): string[] {
  return [...names].sort((a, b) => {
    const control = Number(CONTROL_NAME.test(b)) - Number(CONTROL_NAME.test(a))
    return control || a.localeCompare(b, 'en', { numeric: true })
  })
}

/**
 * Streams `experiment` exposures into the sessions and friction into per-variant guardrails;
 * `result` joins exposures with conversions at the end.
 */
export function createExperimentAccumulator() {
  const experiments = new Map<string, Map<string, Guardrails>>()
  // Per session: experiment number → exposure and guardrail bits. The names are every one a
  // session holds, evicted experiments included (their entries outlive the caps).
  const experimentNames = createInterner()
  const variantNames = createInterner()
  const entries = createSessionLists(2)
  let evicted = 0
  const sessionsOf = (variants: Map<string, Guardrails>) => {
    let sum = 0
    for (const guardrails of variants.values()) sum += guardrails.sessions
    return sum
  }

  // Past a cap, the experiment or variant with the fewest sessions gives way to the new one, so
  // names posted once early (by an attacker) cannot keep a real experiment out.
  const variantsOf = (experiment: string): Map<string, Guardrails> => {
    let variants = experiments.get(experiment)
    if (variants === undefined) {
      if (experiments.size >= MAX_EXPERIMENTS) {
        evictLightest(experiments, sessionsOf)
        evicted += 1
      }
      experiments.set(experiment, (variants = new Map()))
    }
    return variants
  }

  return {
    expose(event: FrictionEvent & { type: 'experiment' }, session: number) {
      const { experiment, variant } = event
      if (typeof experiment !== 'string' || typeof variant !== 'string') return
      const variants = variantsOf(experiment)
      if (!variants.has(variant) && variants.size >= MAX_VARIANTS) {
        evictLightest(variants, (guardrails) => guardrails.sessions)
        evicted += 1
      }
      let guardrails = variants.get(variant)
      if (!guardrails) {
        variants.set(
          variant,
          (guardrails = {
            sessions: 0,
            rageClicks: 0,
            deadClicks: 0,
            errors: 0,
            lcp: createReservoir(VITAL_SAMPLES),
            inp: createReservoir(VITAL_SAMPLES),
          }),
        )
      }
      const id = experimentNames.id(experiment)
      let entry = entries.find(session, id)
      if (entry < 0) entry = entries.add(session, id)
      const exposure = entries.value(entry, EXPOSURE)
      if (exposure === 0) {
        entries.setValue(entry, (variantNames.id(variant) + 1) << 1, EXPOSURE)
        guardrails.sessions += 1
      } else if ((exposure >> 1) - 1 !== variantNames.find(variant)) {
        // A variant without a number was never a first variant, so it differs from this one.
        entries.setValue(entry, exposure | MIXED, EXPOSURE)
      }
    },
    /**
     * Counts friction, forms and vitals against every variant the event's context says the
     * session is in (so only what happened after the exposure), per event and per session.
     * `rating` is the vital's rating; `amount` the error's occurrences.
     */
    guardrail(event: FrictionEvent, session: number, amount = 1, rating?: Rating) {
      const exposures = event.context?.experiments
      if (!exposures || typeof exposures !== 'object') return
      let bits = 0
      let kind: GuardrailKind | undefined
      let vital: 'lcp' | 'inp' | undefined
      switch (event.type) {
        case 'rage_click':
          bits = GUARD_RAGE
          kind = 'rageClicks'
          break
        case 'dead_click':
          bits = GUARD_DEAD
          kind = 'deadClicks'
          break
        case 'error':
          bits = GUARD_ERROR
          kind = 'errors'
          break
        case 'form_start':
          bits = GUARD_FORM
          break
        case 'form_abandon':
          bits = GUARD_ABANDON
          break
        case 'vital':
          if (event.name === 'LCP') {
            vital = 'lcp'
            bits = GUARD_LCP | (rating === 'good' ? 0 : GUARD_SLOW_LCP)
          } else if (event.name === 'INP') {
            vital = 'inp'
            bits = GUARD_INP | (rating === 'good' ? 0 : GUARD_SLOW_INP)
          }
          break
      }
      if (bits === 0) return
      for (const experiment in exposures) {
        const guardrails = experiments.get(experiment)?.get(exposures[experiment])
        if (!guardrails) continue
        if (kind) guardrails[kind] += amount
        if (vital && event.type === 'vital') guardrails[vital].add(event.value)
        const id = experimentNames.id(experiment)
        let entry = entries.find(session, id)
        if (entry < 0) entry = entries.add(session, id)
        entries.setValue(entry, entries.value(entry, GUARDS) | bits, GUARDS)
      }
    },
    /** The exposures of `session`, as {@link SessionTable} reads them. */
    forEachExposure(
      session: number,
      visit: (experiment: string, variant: string, isMixed: boolean, guards: number) => void,
    ) {
      entries.forEach(session, (id, entry) => {
        const exposure = entries.value(entry, EXPOSURE)
        if (exposure === 0) return
        const variant = variantNames.text((exposure >> 1) - 1)
        visit(experimentNames.text(id), variant, (exposure & MIXED) !== 0, entries.value(entry, GUARDS))
      })
    },
    /** Experiments and variants dropped (the ones with the fewest sessions) to stay within the caps. */
    get evicted() {
      return evicted
    },
    /**
     * One report per experiment. `converted` is null when no conversion is defined; `funnel`
     * names the conversion funnel and its step count for the per-variant funnel columns.
     */
    result(
      sessions: SessionTable,
      converted: ((session: number) => boolean) | null,
      funnel: { name: string; steps: number; stepNames?: string[] } | null,
      incidentDays: string[] = [],
      splits: Record<string, Record<string, number>> = {},
    ): ExperimentReport[] {
      type Tally = {
        exposed: number
        conversions: number
        funnelSessions: number[]
        guards: number[]
        days: Map<string, { n: number; k: number }>
        segments: Map<string, { n: number; k: number }>
      }
      const tallies = new Map<string, Map<string, Tally>>()
      const mixed = new Map<string, number>()
      for (const [experiment, variants] of experiments) {
        const byVariant = new Map<string, Tally>()
        for (const variant of variants.keys()) {
          byVariant.set(variant, {
            exposed: 0,
            conversions: 0,
            funnelSessions: new Array<number>(funnel?.steps ?? 0).fill(0),
            guards: new Array<number>(GUARD_BITS).fill(0),
            days: new Map(),
            segments: new Map(),
          })
        }
        tallies.set(experiment, byVariant)
      }
      // What every exposure of the session reads, looked up at its first exposure.
      let session = 0
      let isRead = false
      let isConverted = false
      let mask = 0
      let day = ''
      let device = ''
      let source = ''
      let visitor = ''
      const visit = (experiment: string, variant: string, isMixed: boolean, guards: number) => {
        if (isMixed) mixed.set(experiment, (mixed.get(experiment) ?? 0) + 1)
        const tally = tallies.get(experiment)?.get(variant)
        if (!tally) return
        if (!isRead) {
          isRead = true
          isConverted = converted?.(session) ?? false
          mask = funnel ? sessions.funnelMask(session, funnel.name) : 0
          day = dayOf(sessions.firstTs(session))
          device = `device\u0000${sessions.device(session)}`
          source = `source\u0000${sessions.source(session)}`
          visitor = `visitor\u0000${sessions.isReturning(session) ? 'returning' : 'new'}`
        }
        tally.exposed += 1
        if (isConverted) tally.conversions += 1
        countBits(mask, tally.funnelSessions)
        countBits(guards, tally.guards)
        tallyInto(tally.days, day, isConverted)
        tallyInto(tally.segments, device, isConverted)
        tallyInto(tally.segments, source, isConverted)
        tallyInto(tally.segments, visitor, isConverted)
      }
      for (; session < sessions.count; session += 1) {
        isRead = false
        sessions.forEachExposure(session, visit)
      }
      return [...tallies].map(([experiment, byVariant]) => {
        const guardrails = experiments.get(experiment)!
        const names = orderVariants(byVariant.keys())
        const control = byVariant.get(names[0])!
        const threshold = SIGNIFICANCE_LEVEL / Math.max(1, names.length - 1)
        const tallyOf = (name: string) => byVariant.get(name)!
        const sequential = names.slice(1).map((variant) => ({
          variant,
          ...msprt(cumulativeLooks(control.days, tallyOf(variant).days), undefined, threshold),
        }))
        const variants: VariantReport[] = names.map((variant, index) => {
          const tally = tallyOf(variant)
          const rate = proportion(tally.conversions, tally.exposed)
          const isControl = index === 0
          const controlRate = control.exposed > 0 ? control.conversions / control.exposed : 0
          const test =
            isControl || !converted
              ? null
              : twoProportionZTest(control.conversions, control.exposed, tally.conversions, tally.exposed)
          const sequentialP = isControl || !converted ? null : sequential[index - 1].pValue
          const guard = guardrails.get(variant)!
          const perSession = (n: number) => (tally.exposed > 0 ? n / tally.exposed : 0)
          return {
            variant,
            exposed: tally.exposed,
            conversions: tally.conversions,
            rate,
            lift: isControl || controlRate === 0 ? null : (rate.rate - controlRate) / controlRate,
            pValue: test ? test.pValue : null,
            sequentialPValue: sequentialP,
            isSignificant: sequentialP !== null && sequentialP < threshold,
            funnelSessions: tally.funnelSessions,
            rageClicksPerSession: perSession(guard.rageClicks),
            deadClicksPerSession: perSession(guard.deadClicks),
            errorsPerSession: perSession(guard.errors),
          }
        })
        const declared = splits[experiment]
        const shares = declared ? variants.map((v) => declared[v.variant] ?? 0) : undefined
        const srm = sampleRatioMismatch(
          variants.map((v) => v.exposed),
          shares,
        )
        const guardrailReports = compareGuardrails(
          names.map((variant) => guardCounts(variant, tallyOf(variant), guardrails.get(variant)!)),
        )
        const downstream =
          funnel && funnel.steps > 0 && converted
            ? compareDownstream(
                names,
                variants.map((v) => v.exposed),
                variants.map((v) => v.funnelSessions),
                stepNames(funnel),
              )
            : []
        const leader = [...variants.slice(1)].sort((a, b) => b.rate.rate - a.rate.rate)[0]
        const segments =
          leader && converted
            ? compareSegments(leader.variant, segmentCounts(control.segments, tallyOf(leader.variant).segments))
            : null
        const power = converted
          ? names.slice(1).map((variant) => {
              const v = tallyOf(variant)
              return {
                variant,
                ...powerAnalysis(control.exposed, control.conversions, v.exposed, v.conversions, threshold),
              }
            })
          : []
        const verdict = judge(variants, converted !== null, threshold, srm)
        const leaderPower = leader ? power.find((w) => w.variant === leader.variant) : undefined
        if (!srm?.isMismatch && !variants.some((v) => v.isSignificant) && leaderPower?.moreSessions) {
          verdict.verdict +=
            ` About ${count(leaderPower.moreSessions)} more sessions would settle a difference of this size ` +
            `(${Math.round(leaderPower.power * 100)} % power).`
        }
        const days = new Set([...byVariant.values()].flatMap((t) => [...t.days.keys()]))
        const flags = experimentFlags({
          variants,
          srm,
          guardrails: guardrailReports,
          downstream,
          segments,
          incidentDays: incidentDays.filter((d) => days.has(d)),
        })
        return {
          experiment,
          variants,
          mixedSessions: mixed.get(experiment) ?? 0,
          ...verdict,
          srm,
          sequential: converted ? sequential : [],
          power,
          guardrails: guardrailReports,
          downstream,
          segments,
          flags,
        }
      })
    },
  }
}

/** Bits counted per session: the GUARD_* flags are bits 0 to 8. */
const GUARD_BITS = 9

const bitIndex = (bit: number) => Math.log2(bit)

/** The per-variant guardrail counts from the tallied bits. */
function guardCounts(
  variant: string,
  tally: { exposed: number; guards: number[] },
  guard: Guardrails,
): GuardrailCounts {
  const at = (bit: number) => tally.guards[bitIndex(bit)]
  const p75 = (r: Reservoir) => (r.count > 0 ? r.quantile(0.75) : null)
  return {
    variant,
    sessions: tally.exposed,
    errorSessions: at(GUARD_ERROR),
    rageSessions: at(GUARD_RAGE),
    deadSessions: at(GUARD_DEAD),
    formSessions: at(GUARD_FORM),
    abandonSessions: at(GUARD_ABANDON),
    lcpSessions: at(GUARD_LCP),
    slowLcpSessions: at(GUARD_SLOW_LCP),
    inpSessions: at(GUARD_INP),
    slowInpSessions: at(GUARD_SLOW_INP),
    lcpP75: p75(guard.lcp),
    inpP75: p75(guard.inp),
  }
}

const stepNames = (funnel: { steps: number; stepNames?: string[] }) =>
  Array.from({ length: funnel.steps }, (_, i) => funnel.stepNames?.[i] ?? `#${i}`)

/** Cumulative control and challenger counts at the end of each day either saw sessions. */
export function cumulativeLooks(
  control: Map<string, { n: number; k: number }>,
  variant: Map<string, { n: number; k: number }>,
): Look[] {
  const days = [...new Set([...control.keys(), ...variant.keys()])].sort()
  const look: Look = { controlN: 0, controlK: 0, variantN: 0, variantK: 0 }
  return days.map((day) => {
    look.controlN += control.get(day)?.n ?? 0
    look.controlK += control.get(day)?.k ?? 0
    look.variantN += variant.get(day)?.n ?? 0
    look.variantK += variant.get(day)?.k ?? 0
    return { ...look }
  })
}

/** Control and challenger counts per segment, the largest MAX_SEGMENTS of each dimension, the rest pooled. */
function segmentCounts(
  control: Map<string, { n: number; k: number }>,
  variant: Map<string, { n: number; k: number }>,
): SegmentCounts[] {
  const out: SegmentCounts[] = []
  for (const dimension of ['device', 'source', 'visitor'] as const) {
    const prefix = `${dimension}\u0000`
    const keys = [...new Set([...control.keys(), ...variant.keys()])].filter((k) => k.startsWith(prefix))
    const size = (key: string) => (control.get(key)?.n ?? 0) + (variant.get(key)?.n ?? 0)
    keys.sort((a, b) => size(b) - size(a))
    const rows = new Map<string, SegmentCounts>()
    keys.forEach((key, index) => {
      const segment = index < MAX_SEGMENTS ? key.slice(prefix.length) : '(other)'
      const row = rows.get(segment) ?? {
        dimension: dimension as SegmentRow['dimension'],
        segment,
        controlN: 0,
        controlK: 0,
        variantN: 0,
        variantK: 0,
      }
      row.controlN += control.get(key)?.n ?? 0
      row.controlK += control.get(key)?.k ?? 0
      row.variantN += variant.get(key)?.n ?? 0
      row.variantK += variant.get(key)?.k ?? 0
      rows.set(segment, row)
    })
    out.push(...rows.values())
  }
  return out
}

/**
 * The warning and the plain-language verdict of an experiment. Pure, so its sentences are
 * tested directly.
 */
export function judge(
  variants: VariantReport[],
  hasConversion: boolean,
  threshold = SIGNIFICANCE_LEVEL,
  srm: SrmReport | null = null,
): { hasEnoughData: boolean; warning: string | null; verdict: string } {
  if (!hasConversion) {
    return {
      hasEnoughData: false,
      warning: null,
      verdict: 'No conversion to compare: record a funnel, or pass --goal <track event> or --funnel <name>.',
    }
  }
  const [control, ...challengers] = variants
  if (!control || challengers.length === 0) {
    return {
      hasEnoughData: false,
      warning: null,
      verdict: `Only one variant (${control?.variant ?? 'none'}) seen: nothing to compare yet.`,
    }
  }
  if (srm?.isMismatch) {
    const split = variants
      .map((v, i) => `${v.variant} ${count(v.exposed)} (expected ${pct(srm.expectedShares[i])})`)
      .join(', ')
    return {
      hasEnoughData: false,
      warning:
        `Sample ratio mismatch: the variants got ${split}; ` +
        `chi-square ${srm.chiSquare.toFixed(1)}, p ${pValueText(srm.pValue)}. ` +
        'Assignment or tracking is broken (a variant that crashes before sending, a redirect, bots): ' +
        'fix it before reading any result.',
      verdict: 'No verdict: the sample ratio check failed, so the groups are not comparable.',
    }
  }
  const small = variants.filter(
    (v) => v.exposed < MIN_EXPOSURES_PER_VARIANT || v.conversions < MIN_CONVERSIONS_PER_VARIANT,
  )
  const rates = variants.map((v) => `${v.variant} ${pct(v.rate.rate)}`).join(', ')
  if (small.length > 0) {
    const leader = [...challengers].sort((a, b) => b.rate.rate - a.rate.rate)[0]
    const tooSmall = small
      .map((v) => `${v.variant}: ${count(v.exposed)} exposed, ${count(v.conversions)} converted`)
      .join('; ')
    const direction =
      leader.lift === null
        ? ''
        : ` ${leader.variant} is at ${signedPct(leader.lift)} vs ${control.variant} so far, but that can be noise.`
    return {
      hasEnoughData: false,
      warning:
        `Sample too small to conclude: each variant needs at least ${MIN_EXPOSURES_PER_VARIANT} exposed sessions and ` +
        `${MIN_CONVERSIONS_PER_VARIANT} conversions (${tooSmall}).`,
      verdict: `Too early to call (${rates}).${direction}`,
    }
  }
  const winners = challengers
    .filter((v) => v.isSignificant && (v.lift ?? 0) > 0)
    .sort((a, b) => b.rate.rate - a.rate.rate)
  const losers = challengers.filter((v) => v.isSignificant && (v.lift ?? 0) < 0)
  const correction = challengers.length > 1 ? `, Bonferroni-corrected threshold ${threshold.toFixed(3)}` : ''
  if (winners.length > 0) {
    const best = winners[0]
    return {
      hasEnoughData: true,
      warning: null,
      verdict:
        `${best.variant} beats ${control.variant}: ${pct(best.rate.rate)} vs ${pct(control.rate.rate)} conversion, ` +
        `${signedPct(best.lift)} relative (always-valid p ${pValueText(best.sequentialPValue)}, ` +
        `fixed-horizon z-test p ${pValueText(best.pValue)}${correction}).`,
    }
  }
  if (losers.length > 0) {
    const worse = losers
      .map((v) => `${v.variant} (${signedPct(v.lift)}, always-valid p ${pValueText(v.sequentialPValue)})`)
      .join(', ')
    return {
      hasEnoughData: true,
      warning: null,
      verdict: `${worse} converts worse than ${control.variant}; no variant beats it. Keep ${control.variant}.`,
    }
  }
  const ps = challengers
    .map((v) => `${v.variant} always-valid p ${pValueText(v.sequentialPValue)}, z-test p ${pValueText(v.pValue)}`)
    .join('; ')
  // The z-test alone calling it is the peeking trap: never advise equivalence then.
  const isZTestOnly = challengers.some((v) => v.pValue !== null && v.pValue < threshold)
  return {
    hasEnoughData: true,
    warning: null,
    verdict: isZTestOnly
      ? `No significant difference yet under daily peeking (${rates}; ${ps}${correction}): the fixed-horizon ` +
        'z-test alone would call it, but it holds only for one planned look; keep collecting.'
      : `No significant difference (${rates}; ${ps}${correction}): ` +
        'keep collecting, or treat the variants as equivalent.',
  }
}

const pValueText = (value: number | null) => {
  const text = pValue(value)
  return text.startsWith('<') ? text : `= ${text}`
}
