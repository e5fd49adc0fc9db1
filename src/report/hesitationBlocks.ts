// The hesitation tables (field hesitation, quick backs, excessive scrolling) as renderer-neutral
// blocks, so the terminal and the HTML report print the same figures with one formatting.
import { listBlock, type Block } from './block'
import { count, decimal, ms } from './format'
import type { Report } from './types'

/** The hesitation blocks that have rows, in print order; older report JSON may lack the lists. */
export function hesitationBlocks(friction: Report['friction'], top: number): Block[] {
  const blocks = [
    listBlock(
      'Field hesitation',
      'Medians per form end listing the field; focus time when the form was submitted vs abandoned.',
      [
        'form › field',
        'sessions',
        'submits',
        'abandons',
        'focus',
        'returns',
        'corrections',
        'focus submit',
        'focus abandon',
      ],
      friction.fieldHesitation,
      top,
      (f) => [
        `${f.form} › ${f.field}`,
        count(f.sessions),
        count(f.submits),
        count(f.abandons),
        ms(f.medianFocusMs),
        decimal(f.medianReturns),
        decimal(f.medianCorrections),
        ms(f.medianFocusMsSubmitted),
        ms(f.medianFocusMsAbandoned),
      ],
    ),
    listBlock(
      'Quick backs',
      'Visitors who left for a page and came straight back, by the page left.',
      ['page left', 'count', 'sessions', 'median time there', 'back to'],
      friction.quickBacks,
      top,
      (q) => [q.leftPath, count(q.count), count(q.sessions), ms(q.medianDurationMs), q.returnedTo.join(' ')],
    ),
    listBlock(
      'Excessive scrolling',
      'Scrolling back and forth over long distances, by page.',
      ['page', 'count', 'sessions', 'median reversals', 'median distance (px)'],
      friction.excessiveScrolls,
      top,
      (e) => [
        e.page,
        count(e.count),
        count(e.sessions),
        decimal(e.medianReversals),
        e.medianDistancePx === null ? '–' : count(e.medianDistancePx),
      ],
    ),
  ]
  return blocks.filter((block) => block !== null)
}
