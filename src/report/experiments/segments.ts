import { proportion, twoProportionZTest } from '../stats'
import type { SegmentRow, SegmentsReport } from '../types'

/** A segment large enough that its reversal matters: this share of the compared sessions… */
export const LARGE_SEGMENT_SHARE = 0.2
/** …and at least this many sessions in each of the two variants. */
export const MIN_SEGMENT_SESSIONS = 30

/** p below which a difference (overall, or a segment's) is taken as real for the warnings. */
export const SEGMENT_ALPHA = 0.05

/** Exposed and converted sessions of control and challenger in one segment. */
export interface SegmentCounts {
  dimension: SegmentRow['dimension']
  segment: string
  controlN: number
  controlK: number
  variantN: number
  variantK: number
}

const DIMENSION_WORDS: Record<SegmentRow['dimension'], string> = {
  device: 'device',
  source: 'traffic source',
  visitor: 'new/returning',
}

const lift = (controlK: number, controlN: number, variantK: number, variantN: number): number | null => {
  if (controlN <= 0 || variantN <= 0 || controlK <= 0) return null
  const control = controlK / controlN
  return (variantK / variantN - control) / control
}

/** A lift as the warnings print it, signed (`+12.3 %`, `−4.0 %`); `–` for null. */
function signed(l: number | null): string {
  return l === null ? '–' : `${l > 0 ? '+' : '−'}${Math.abs(l * 100).toFixed(1)} %`
}

/**
 * The challenger's lift over the control in every segment, with two warnings:
 *
 * - reversal (Simpson): a large segment (≥ 20 % of the sessions, ≥ 30 per variant) whose lift
 *   has the opposite sign to the overall one, when either the overall difference or the
 *   segment's is significant (p < 0.05; two noisy near-zero lifts are no reversal); when every
 *   segment of a dimension does, the overall result is Simpson's paradox, an artefact of
 *   unequal segment mixes across variants;
 * - a single segment carries a significant overall lift: pooled, the other segments of the
 *   dimension (≥ 20 % of the sessions) show no lift at all.
 */
export function compareSegments(variant: string, counts: SegmentCounts[]): SegmentsReport {
  const rows: SegmentRow[] = counts.map((c) => ({
    dimension: c.dimension,
    segment: c.segment,
    sessions: c.controlN + c.variantN,
    control: proportion(c.controlK, c.controlN),
    variant: proportion(c.variantK, c.variantN),
    lift: lift(c.controlK, c.controlN, c.variantK, c.variantN),
    pValue:
      c.controlN > 0 && c.variantN > 0
        ? twoProportionZTest(c.controlK, c.controlN, c.variantK, c.variantN).pValue
        : null,
  }))
  const warnings: string[] = []
  for (const dimension of ['device', 'source', 'visitor'] as const) {
    const own = counts.filter((c) => c.dimension === dimension)
    if (own.length < 2) continue
    const sum = (pick: (c: SegmentCounts) => number, of = own) => of.reduce((total, c) => total + pick(c), 0)
    const total = sum((c) => c.controlN + c.variantN)
    const overall = lift(
      sum((c) => c.controlK),
      sum((c) => c.controlN),
      sum((c) => c.variantK),
      sum((c) => c.variantN),
    )
    if (overall === null || overall === 0 || total === 0) continue
    const overallP = twoProportionZTest(
      sum((c) => c.controlK),
      sum((c) => c.controlN),
      sum((c) => c.variantK),
      sum((c) => c.variantN),
    ).pValue
    const pOf = (c: SegmentCounts) => twoProportionZTest(c.controlK, c.controlN, c.variantK, c.variantN).pValue
    const words = DIMENSION_WORDS[dimension]
    const sized = own.filter((c) => c.controlN >= MIN_SEGMENT_SESSIONS && c.variantN >= MIN_SEGMENT_SESSIONS)
    const liftOf = (c: SegmentCounts) => lift(c.controlK, c.controlN, c.variantK, c.variantN)
    const reversed = sized.filter((c) => {
      const l = liftOf(c)
      return (
        l !== null &&
        Math.sign(l) === -Math.sign(overall) &&
        (c.controlN + c.variantN) / total >= LARGE_SEGMENT_SHARE &&
        (overallP < SEGMENT_ALPHA || pOf(c) < SEGMENT_ALPHA)
      )
    })
    if (reversed.length > 0 && reversed.length === own.length) {
      const opposite = reversed.map((c) => `${c.segment} ${signed(liftOf(c))}`).join(', ')
      warnings.push(
        `Simpson's paradox by ${words}: overall ${variant} is at ${signed(overall)}, ` +
          `but every segment shows the opposite (${opposite}): the variants got different segment mixes.`,
      )
    } else if (reversed.length > 0) {
      const share = (c: SegmentCounts) => Math.round(((c.controlN + c.variantN) / total) * 100)
      const large = reversed.map((c) => `${c.segment} ${signed(liftOf(c))} (${share(c)} % of sessions)`).join(', ')
      warnings.push(`The lift reverses in a large ${words} segment: overall ${signed(overall)}, ${large}.`)
    }
    if (overall > 0 && overallP < SEGMENT_ALPHA) {
      for (const carrier of own) {
        const rest = own.filter((c) => c !== carrier)
        const restN = sum((c) => c.controlN + c.variantN, rest)
        const restLift = lift(
          sum((c) => c.controlK, rest),
          sum((c) => c.controlN, rest),
          sum((c) => c.variantK, rest),
          sum((c) => c.variantN, rest),
        )
        const carrierLift = liftOf(carrier)
        if (
          carrierLift !== null &&
          carrierLift > 0 &&
          restLift !== null &&
          restLift <= 0 &&
          restN / total >= LARGE_SEGMENT_SHARE
        ) {
          warnings.push(
            `Only one ${words} segment carries the lift: ${carrier.segment} ${signed(carrierLift)}, ` +
              `the other ${Math.round((restN / total) * 100)} % of sessions ${signed(restLift)}.`,
          )
          break
        }
      }
    }
  }
  return { variant, rows, warnings }
}
