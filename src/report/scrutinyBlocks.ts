// The experiment scrutiny, the days and the friction cost as renderer-neutral blocks (a
// title, a note, a table of strings, warnings), so the terminal and the HTML report print the
// same figures with one formatting.
import type { Block } from './block'
import { count, ms, pct, pValue, signedPct } from './format'
import type { DayReport, ExperimentReport, FrictionCostRow } from './types'

/** A difference of rates in percentage points: `0.0123` → `+1.2 pt`. */
export const points = (value: number | null): string => {
  if (value === null || !Number.isFinite(value)) return '–'
  return `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} pt`
}

const p = (value: number | null) => pValue(value)

/** One decimal with a real minus sign: `-35.5` → `−35.5`. */
const signed = (value: number) => (value < 0 ? `−${Math.abs(value).toFixed(1)}` : value.toFixed(1))

/** The blocks of one experiment after its variant table: flags first, then each check. */
export function experimentBlocks(e: ExperimentReport): Block[] {
  const blocks: Block[] = []
  const control = e.variants[0]
  if (e.srm) {
    const s = e.srm
    blocks.push({
      title: `Sample ratio check: ${s.isMismatch ? 'FAILED' : 'passed'}`,
      note:
        `Pearson chi-square of the exposed sessions against the expected split: χ² ${s.chiSquare.toFixed(2)}, ` +
        `${s.degreesOfFreedom} df, p ${p(s.pValue)} (fails below ${s.threshold}).`,
      headers: ['variant', 'exposed', 'expected share', 'observed share'],
      rows: e.variants.map((v, i) => [
        v.variant,
        count(v.exposed),
        pct(s.expectedShares[i]),
        pct(
          v.exposed /
            Math.max(
              1,
              s.observed.reduce((a, b) => a + b, 0),
            ),
        ),
      ]),
      textColumns: [0],
      warnings: [],
    })
  }
  if (e.sequential.length > 0) {
    blocks.push({
      title: 'Sequential test (safe to peek daily) beside the fixed-horizon z-test',
      note:
        `mSPRT always-valid p-value and ${pct(1 - 0.05)} confidence sequence for the difference, normal mixture ` +
        `τ² = ${Number(e.sequential[0].mixingVariance.toPrecision(3))} (Johari et al. 2017), one look per day; the ` +
        `z-test p is valid only for one look at a planned sample.`,
      headers: ['variant', 'difference', 'confidence sequence', 'always-valid p', 'z-test p', 'looks'],
      rows: e.sequential.map((s) => {
        const v = e.variants.find((x) => x.variant === s.variant)
        return [
          s.variant,
          points(v && control ? v.rate.rate - control.rate.rate : null),
          `${points(s.low)} – ${points(s.high)}`,
          p(s.pValue),
          p(v?.pValue ?? null),
          count(s.looks),
        ]
      }),
      textColumns: [0, 2],
      warnings: [],
    })
  }
  if (e.power.length > 0) {
    blocks.push({
      title: 'Power',
      note:
        `Minimum detectable effect at ${pct(e.power[0].power)} power, two-sided α ` +
        `${e.power[0].alpha.toFixed(3)}, and the sessions a conclusive answer on the observed difference needs.`,
      headers: ['variant', 'MDE (absolute)', 'MDE (relative)', 'needed per variant', 'sessions still needed'],
      rows: e.power.map((w) => [
        w.variant,
        w.mdeAbsolute === null ? '–' : `${(w.mdeAbsolute * 100).toFixed(1)} pt`,
        pct(w.mdeRelative),
        w.neededPerVariant === null ? '– (no difference yet)' : count(w.neededPerVariant),
        w.moreSessions === null ? '–' : count(w.moreSessions),
      ]),
      textColumns: [0, 3],
      warnings: [],
    })
  }
  if (e.guardrails.length > 1) {
    const metrics = e.guardrails.slice(1).flatMap((g) => g.comparisons.map((c) => c.label))
    const labels = [...new Set(metrics)]
    const rows = labels.map((label) => {
      const first = e.guardrails
        .slice(1)
        .flatMap((g) => g.comparisons)
        .find((c) => c.label === label)!
      return [
        label,
        pct(first.control.rate),
        ...e.guardrails.slice(1).map((g) => {
          const c = g.comparisons.find((x) => x.label === label)
          return c ? `${pct(c.variant.rate)} (p ${p(c.pValue)})${c.isWorse ? ' WORSE' : ''}` : '–'
        }),
      ]
    })
    if (e.guardrails.some((g) => g.lcpP75 !== null)) rows.push(['LCP p75', ...e.guardrails.map((g) => ms(g.lcpP75))])
    if (e.guardrails.some((g) => g.inpP75 !== null)) rows.push(['INP p75', ...e.guardrails.map((g) => ms(g.inpP75))])
    blocks.push({
      title: 'Guardrails (after exposure)',
      note: 'Shares of exposed sessions, two-proportion z-test against the control, p < 0.05 uncorrected marks WORSE.',
      headers: ['guardrail', `${control.variant} (control)`, ...e.guardrails.slice(1).map((g) => g.variant)],
      rows,
      textColumns: [0, ...e.guardrails.slice(1).map((_, i) => i + 2)],
      warnings: [],
    })
  }
  for (const d of e.downstream) {
    blocks.push({
      title: `Downstream: ${d.variant} vs ${control.variant} at every funnel step`,
      note: 'Share of exposed sessions reaching each step.',
      headers: ['step', control.variant, d.variant, 'lift', 'p'],
      rows: d.steps.map((s) => [
        `${s.stepIndex + 1}. ${s.step}`,
        pct(s.control.rate),
        pct(s.variant.rate),
        signedPct(s.lift),
        p(s.pValue),
      ]),
      textColumns: [0],
      warnings: [],
    })
  }
  if (e.segments && e.segments.rows.length > 0) {
    blocks.push({
      title: `Segments: ${e.segments.variant} vs ${control.variant}`,
      note:
        'Device type, traffic source (utm_source, else referrer host, else direct) and new vs returning ' +
        'visitor, from the session’s landing.',
      headers: ['dimension', 'segment', 'sessions', control.variant, e.segments.variant, 'lift', 'p'],
      rows: e.segments.rows.map((r) => [
        r.dimension,
        r.segment,
        count(r.sessions),
        pct(r.control.rate),
        pct(r.variant.rate),
        signedPct(r.lift),
        p(r.pValue),
      ]),
      textColumns: [0, 1],
      warnings: [],
    })
  }
  return blocks
}

/** Days printed: the most recent ones, plus any marked day before them. */
const RECENT_DAYS = 31

/** Conversion per day beside errors and vitals, spikes marked. */
export function daysBlock(all: DayReport[]): Block | null {
  if (all.length === 0) return null
  const isMarked = (d: DayReport) => d.errorSpike || d.latencySpike || d.conversionDrop
  const days = all.filter((d, i) => i >= all.length - RECENT_DAYS || isMarked(d))
  const hidden = all.length - days.length
  const marks = (d: DayReport) =>
    [
      d.errorSpike ? 'error spike' : '',
      d.latencySpike ? 'latency spike' : '',
      d.conversionDrop ? 'conversion drop' : '',
    ]
      .filter(Boolean)
      .join(', ')
  const warnings = days
    .filter((d) => d.conversionDrop && (d.errorSpike || d.latencySpike))
    .map(
      (d) =>
        `${d.day}: conversion fell on a day of ${marks(d).replace(', conversion drop', '')}: an incident, not a ` +
        `design change's effect.`,
    )
  return {
    title: 'Days: conversion beside errors and vitals (UTC, sessions by their first event)',
    note:
      'An error spike is an error-session share ≥ 1.5× and significantly above the other days’ (p < 0.01); ' +
      'a latency spike a p75 ≥ 1.5× the median day’s and above “good”.' +
      (hidden > 0 ? ` ${count(hidden)} earlier unmarked days are in the JSON report.` : ''),
    headers: ['day', 'sessions', 'converted', 'rate', 'error sessions', 'LCP p75', 'INP p75', 'marks'],
    rows: days.map((d) => [
      d.day,
      count(d.sessions),
      count(d.conversions),
      pct(d.conversion.rate),
      pct(d.errorShare),
      ms(d.lcpP75),
      ms(d.inpP75),
      marks(d),
    ]),
    textColumns: [0, 7],
    warnings,
  }
}

const KIND_WORDS: Record<FrictionCostRow['kind'], string> = {
  rage_click: 'rage click',
  dead_click: 'dead click',
  error: 'error',
  field_error: 'field error',
  slow_lcp: 'slow LCP',
  quick_back: 'quick back from',
  excessive_scroll: 'excessive scrolling',
}

/** Friction signals ranked by estimated conversions lost. */
export function frictionCostBlock(rows: FrictionCostRow[], top: number): Block | null {
  if (rows.length === 0) return null
  return {
    title: 'Friction priced in conversions (correlation, not causation)',
    note:
      'Sessions that met each signal against sessions that viewed the same page without it, ' +
      'Mantel–Haenszel risk difference over device strata with its 95 % CI; ' +
      'conversions lost = −difference × sessions that met it. ' +
      'Sessions that meet friction may differ in intent: read this as where to look first, then test the fix.',
    headers: ['signal', 'page', 'met', 'rate met', 'rate not met', 'difference (95 % CI)', 'conversions lost'],
    rows: rows
      .slice(0, top)
      .map((r) => [
        `${KIND_WORDS[r.kind]}${r.signal ? ` ${r.signal}` : ''}`,
        r.page,
        count(r.met.n),
        pct(r.met.rate),
        pct(r.notMet.rate),
        `${points(r.difference)} (${points(r.low)} – ${points(r.high)})`,
        signed(r.conversionsLost),
      ]),
    textColumns: [0, 1, 5],
    warnings: [],
  }
}
