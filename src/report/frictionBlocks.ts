// The rage click, dead click, error and form tables as renderer-neutral blocks, so the terminal
// and the HTML report print the same figures with one formatting.
import { listBlock, type Block } from './block'
import { count, pct } from './format'
import type { Report } from './types'

type Friction = Report['friction']

const SELECTOR_HEADERS = ['selector', 'count', 'text', 'pages']

/** A rage or dead click row: the element, how often, its text and the pages it was on. */
const selectorCells = (s: Friction['rageClicks'][number]) => [s.selector, count(s.count), s.text, s.pages.join(' ')]

/**
 * The friction blocks that have rows, in print order. A form's row lists its first
 * `fieldErrorsPerForm` field errors: the terminal has room for one, the HTML report for more.
 */
export function frictionBlocks(friction: Friction, top: number, fieldErrorsPerForm: number): Block[] {
  const blocks = [
    listBlock('Rage clicks', '', SELECTOR_HEADERS, friction.rageClicks, top, selectorCells, { codeColumns: [0] }),
    listBlock('Dead clicks', '', SELECTOR_HEADERS, friction.deadClicks, top, selectorCells, { codeColumns: [0] }),
    listBlock('Errors', '', ['count', 'error', 'source', 'pages', 'after click'], friction.errors, top, (e) => [
      count(e.count),
      `${e.errorType ? `${e.errorType}: ` : ''}${e.message}`,
      e.source,
      e.pages.join(' '),
      e.afterClick ?? '',
    ]),
    listBlock(
      'Forms',
      '',
      [
        'form',
        'starts',
        'submits',
        'abandons',
        'abandon rate',
        'most left at',
        fieldErrorsPerForm === 1 ? 'top field error' : 'field errors',
      ],
      friction.forms,
      top,
      (f) => [
        f.form,
        count(f.starts),
        count(f.submits),
        count(f.abandons),
        pct(f.abandonRate),
        f.topLastField ? `${f.topLastField.field} (${count(f.topLastField.count)})` : '',
        f.fieldErrors
          .slice(0, fieldErrorsPerForm)
          .map((e) => `${e.field} ${e.reason} (${count(e.count)})`)
          .join(', '),
      ],
    ),
  ]
  return blocks.filter((block) => block !== null)
}
