import type { FrictionEvent } from '../schema/index'
import { countBits } from './funnels'
import { count, pct, pValue, signedPct } from './format'
import type { SessionState } from './sessions'
import { proportion, twoProportionZTest } from './stats'
import type { ExperimentReport, VariantReport } from './types'

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
  rageClicks: number
  deadClicks: number
  errors: number
}

/** Which friction counter a guardrail event adds to. */
export type GuardrailKind = keyof Guardrails

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
  let ignored = 0

  const variantsOf = (experiment: string): Map<string, Guardrails> | undefined => {
    let variants = experiments.get(experiment)
    if (variants === undefined && experiments.size < MAX_EXPERIMENTS) {
      experiments.set(experiment, (variants = new Map()))
    }
    return variants
  }

  return {
    expose(event: FrictionEvent & { type: 'experiment' }, session: SessionState) {
      const { experiment, variant } = event
      if (typeof experiment !== 'string' || typeof variant !== 'string') return
      const variants = variantsOf(experiment)
      if (!variants || (!variants.has(variant) && variants.size >= MAX_VARIANTS)) {
        ignored += 1
        return
      }
      if (!variants.has(variant)) variants.set(variant, { rageClicks: 0, deadClicks: 0, errors: 0 })
      const exposures = (session.exposures ??= new Map())
      const first = exposures.get(experiment)
      if (first === undefined) exposures.set(experiment, variant)
      else if (first !== variant) (session.mixed ??= new Set()).add(experiment)
    },
    /** Counts friction against every variant the event's context says the session is in. */
    guardrail(event: FrictionEvent, kind: GuardrailKind, amount: number) {
      const exposures = event.context?.experiments
      if (!exposures || typeof exposures !== 'object') return
      for (const experiment in exposures) {
        const guardrails = experiments.get(experiment)?.get(exposures[experiment])
        if (guardrails) guardrails[kind] += amount
      }
    },
    get ignored() {
      return ignored
    },
    /**
     * One report per experiment. `converted` is null when no conversion is defined; `funnel`
     * names the conversion funnel and its step count for the per-variant funnel columns.
     */
    result(
      sessions: Iterable<SessionState>,
      converted: ((session: SessionState) => boolean) | null,
      funnel: { name: string; steps: number } | null,
    ): ExperimentReport[] {
      type Tally = { exposed: number; conversions: number; funnelSessions: number[] }
      const tallies = new Map<string, Map<string, Tally>>()
      const mixed = new Map<string, number>()
      for (const [experiment, variants] of experiments) {
        const byVariant = new Map<string, Tally>()
        for (const variant of variants.keys()) {
          byVariant.set(variant, { exposed: 0, conversions: 0, funnelSessions: new Array<number>(funnel?.steps ?? 0).fill(0) })
        }
        tallies.set(experiment, byVariant)
      }
      for (const session of sessions) {
        if (!session.exposures) continue
        const isConverted = converted?.(session) ?? false
        const mask = funnel ? session.funnelSteps?.get(funnel.name) : undefined
        for (const [experiment, variant] of session.exposures) {
          const tally = tallies.get(experiment)?.get(variant)
          if (!tally) continue
          tally.exposed += 1
          if (isConverted) tally.conversions += 1
          if (mask !== undefined) countBits(mask, tally.funnelSessions)
        }
        if (session.mixed) for (const experiment of session.mixed) mixed.set(experiment, (mixed.get(experiment) ?? 0) + 1)
      }
      return [...tallies].map(([experiment, byVariant]) => {
        const guardrails = experiments.get(experiment)!
        const names = orderVariants(byVariant.keys())
        const control = byVariant.get(names[0])!
        const threshold = SIGNIFICANCE_LEVEL / Math.max(1, names.length - 1)
        const variants: VariantReport[] = names.map((variant, index) => {
          const tally = byVariant.get(variant)!
          const rate = proportion(tally.conversions, tally.exposed)
          const isControl = index === 0
          const controlRate = control.exposed > 0 ? control.conversions / control.exposed : 0
          const test = isControl || !converted ? null : twoProportionZTest(control.conversions, control.exposed, tally.conversions, tally.exposed)
          const guard = guardrails.get(variant)!
          const perSession = (n: number) => (tally.exposed > 0 ? n / tally.exposed : 0)
          return {
            variant,
            exposed: tally.exposed,
            conversions: tally.conversions,
            rate,
            lift: isControl || controlRate === 0 ? null : (rate.rate - controlRate) / controlRate,
            pValue: test ? test.pValue : null,
            isSignificant: test !== null && test.pValue < threshold,
            funnelSessions: tally.funnelSessions,
            rageClicksPerSession: perSession(guard.rageClicks),
            deadClicksPerSession: perSession(guard.deadClicks),
            errorsPerSession: perSession(guard.errors),
          }
        })
        return { experiment, variants, mixedSessions: mixed.get(experiment) ?? 0, ...judge(variants, converted !== null, threshold) }
      })
    },
  }
}

/**
 * The warning and the plain-language verdict of an experiment. Pure, so its sentences are
 * tested directly.
 */
export function judge(
  variants: VariantReport[],
  hasConversion: boolean,
  threshold = SIGNIFICANCE_LEVEL,
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
    return { hasEnoughData: false, warning: null, verdict: `Only one variant (${control?.variant ?? 'none'}) seen: nothing to compare yet.` }
  }
  const small = variants.filter((v) => v.exposed < MIN_EXPOSURES_PER_VARIANT || v.conversions < MIN_CONVERSIONS_PER_VARIANT)
  const rates = variants.map((v) => `${v.variant} ${pct(v.rate.rate)}`).join(', ')
  if (small.length > 0) {
    const leader = [...challengers].sort((a, b) => b.rate.rate - a.rate.rate)[0]
    const direction = leader.lift === null ? '' : ` ${leader.variant} is at ${signedPct(leader.lift)} vs ${control.variant} so far, but that can be noise.`
    return {
      hasEnoughData: false,
      warning:
        `Sample too small to conclude: each variant needs at least ${MIN_EXPOSURES_PER_VARIANT} exposed sessions and ` +
        `${MIN_CONVERSIONS_PER_VARIANT} conversions (${small.map((v) => `${v.variant}: ${count(v.exposed)} exposed, ${count(v.conversions)} converted`).join('; ')}).`,
      verdict: `Too early to call (${rates}).${direction}`,
    }
  }
  const winners = challengers.filter((v) => v.isSignificant && (v.lift ?? 0) > 0).sort((a, b) => b.rate.rate - a.rate.rate)
  const losers = challengers.filter((v) => v.isSignificant && (v.lift ?? 0) < 0)
  const correction = challengers.length > 1 ? `, Bonferroni-corrected threshold ${threshold.toFixed(3)}` : ''
  if (winners.length > 0) {
    const best = winners[0]
    return {
      hasEnoughData: true,
      warning: null,
      verdict:
        `${best.variant} beats ${control.variant}: ${pct(best.rate.rate)} vs ${pct(control.rate.rate)} conversion, ` +
        `${signedPct(best.lift)} relative (p ${pValueText(best.pValue)}${correction}).`,
    }
  }
  if (losers.length > 0) {
    return {
      hasEnoughData: true,
      warning: null,
      verdict:
        `${losers.map((v) => `${v.variant} (${signedPct(v.lift)}, p ${pValueText(v.pValue)})`).join(', ')} converts worse than ` +
        `${control.variant}; no variant beats it. Keep ${control.variant}.`,
    }
  }
  const ps = challengers.map((v) => `${v.variant} p ${pValueText(v.pValue)}`).join(', ')
  return {
    hasEnoughData: true,
    warning: null,
    verdict: `No significant difference (${rates}; ${ps}${correction}): keep collecting, or treat the variants as equivalent.`,
  }
}

const pValueText = (value: number | null) => {
  const text = pValue(value)
  return text.startsWith('<') ? text : `= ${text}`
}
