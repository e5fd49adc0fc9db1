import { afterEach, describe, expect, it } from 'vitest'
import { isRepeatedControl, isTextEntry } from '../../../src/lib/clickTargets'
import {
  createRageDetector,
  DEFAULT_RAGE_CLICKS,
  DEFAULT_RAGE_RADIUS_PX,
  DEFAULT_RAGE_WINDOW_MS,
} from '../../../src/lib/rageDetector'

/** [x, y, t, key] */
type Click = [number, number, number, string?]

/** Feeds every click and returns the bursts reported (undefined rows dropped). */
const run = (clicks: Click[], options = {}) => {
  const detect = createRageDetector(options)
  return clicks.map(([x, y, t, key = 'button']) => detect(x, y, t, key)).filter(Boolean)
}
const at = (times: number[], x = 100, y = 100): Click[] => times.map((t) => [x, y, t])

describe('createRageDetector', () => {
  it('defaults to 4 clicks within 1000 ms and 30 px (SPEC)', () => {
    expect([DEFAULT_RAGE_CLICKS, DEFAULT_RAGE_WINDOW_MS, DEFAULT_RAGE_RADIUS_PX]).toEqual([4, 1000, 30])
  })

  it.each<[string, Click[], Array<{ clicks: number; windowMs: number }>]>([
    // The real thing: a broken button hammered 5 times in 600 ms is ONE rage click.
    ['reports a burst of 5 clicks in 600 ms exactly once', at([0, 150, 300, 450, 600]), [{ clicks: 4, windowMs: 450 }]],
    ['reports 4 clicks within the window', at([0, 300, 600, 999]), [{ clicks: 4, windowMs: 999 }]],
    // Double click selects a word, triple click a paragraph: 2 and 3 clicks, never 4.
    ['ignores a double click', at([0, 120]), []],
    ['ignores a triple click', at([0, 120, 240]), []],
    ['ignores two double clicks far apart', at([0, 120, 2000, 2120]), []],
    // A stepper clicked at human speed: the detector alone would fire (4 clicks in 900 ms);
    // the plugin excludes steppers before reporting (see the exclusion table below).
    [
      'would flag 6 stepper clicks 300 ms apart without the exclusion',
      at([0, 300, 600, 900, 1200, 1500]),
      [{ clicks: 4, windowMs: 900 }],
    ],
    ['ignores 4 clicks spread over more than the window', at([0, 400, 800, 1200, 1600]), []],
    [
      'ignores clicks 40 px apart',
      [
        [0, 0, 0],
        [40, 0, 100],
        [80, 0, 200],
        [120, 0, 300],
      ],
      [],
    ],
    [
      'ignores clicks drifting out of the radius of the first',
      [
        [0, 0, 0],
        [20, 0, 100],
        [40, 0, 200],
        [60, 0, 300],
      ],
      [],
    ],
    [
      'accepts jitter within the radius',
      [
        [0, 0, 0],
        [10, 5, 100],
        [-8, 12, 200],
        [5, -20, 300],
      ],
      [{ clicks: 4, windowMs: 300 }],
    ],
    [
      'ignores alternating elements',
      [
        [0, 0, 0, 'a'],
        [0, 0, 100, 'b'],
        [0, 0, 200, 'a'],
        [0, 0, 300, 'b'],
      ],
      [],
    ],
    [
      'reports again after the burst ends',
      at([0, 100, 200, 300, 400, 2000, 2100, 2200, 2300]),
      [
        { clicks: 4, windowMs: 300 },
        { clicks: 4, windowMs: 300 },
      ],
    ],
    [
      'reports a continuing burst once',
      at(Array.from({ length: 20 }, (_, i) => i * 100)),
      [{ clicks: 4, windowMs: 300 }],
    ],
  ])('%s', (_name, clicks, expected) => {
    expect(run(clicks)).toEqual(expected)
  })

  it('follows its options', () => {
    expect(run(at([0, 100, 200]), { clicks: 3 })).toEqual([{ clicks: 3, windowMs: 200 }])
    expect(run(at([0, 100, 200, 300]), { windowMs: 200 })).toEqual([])
    expect(
      run(
        [
          [0, 0, 0],
          [40, 0, 100],
          [80, 0, 200],
          [80, 0, 300],
        ],
        { radiusPx: 100 },
      ),
    ).toEqual([{ clicks: 4, windowMs: 300 }])
  })
})

describe('createRageDetector isExcluded', () => {
  /** Feeds `times` with an exclusion check answering `answers[i]` on its i-th call; returns bursts and calls. */
  const run = (times: number[], answers: boolean[] = []) => {
    const detect = createRageDetector()
    let calls = 0
    const isExcluded = () => answers[calls++] ?? false
    const bursts = times.map((t) => detect(100, 100, t, 'button', isExcluded)).filter(Boolean)
    return { bursts, calls }
  }

  it('is never asked for lone clicks', () => {
    expect(run([0, 2000, 4000, 6000]).calls).toBe(0)
  })

  it('is asked from the second click of a burst until it is reported', () => {
    expect(run([0, 100, 200, 300, 400, 500])).toEqual({ bursts: [{ clicks: 4, windowMs: 300 }], calls: 3 })
  })

  it('excludes the whole burst, even when later clicks are not excluded', () => {
    // A triple click selects a paragraph; a 4th click within the second clears the selection.
    expect(run([0, 100, 200, 300, 400, 500], [true])).toEqual({ bursts: [], calls: 1 })
    expect(run([0, 100, 200, 300], [false, false, true])).toEqual({ bursts: [], calls: 3 })
  })

  it('decides the next burst afresh', () => {
    expect(run([0, 100, 200, 300, 2000, 2100, 2200, 2300], [true])).toEqual({
      bursts: [{ clicks: 4, windowMs: 300 }],
      calls: 4,
    })
  })

  it('is asked on the click that completes a one-click burst', () => {
    const detect = createRageDetector({ clicks: 1 })
    expect(detect(0, 0, 0, 'a', () => true)).toBeUndefined()
    expect(detect(0, 0, 5000, 'a', () => false)).toEqual({ clicks: 1, windowMs: 0 })
  })
})

describe('rage-click exclusions', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })
  const el = (html: string) => {
    document.body.innerHTML = html
    return document.body.firstElementChild!
  }

  it.each<[string, string, boolean]>([
    // Steppers: clicked many times on purpose.
    ['a + button', '<button>+</button>', true],
    ['a − button', '<button>−</button>', true],
    ['an Increment button', '<button aria-label="Increment quantity"><svg></svg></button>', true],
    ['a decrease button by class', '<button class="qty-btn">less</button>', true],
    ['a role=spinbutton', '<div role="spinbutton" tabindex="0">3</div>', true],
    // Next/previous controls: carousels, pagination, date pickers.
    ['a Next button', '<button>Next</button>', true],
    ['a previous link by rel', '<a href="?p=1" rel="prev">1</a>', true],
    ['a carousel arrow by class', '<button class="carousel-control-next"></button>', true],
    [
      'a date picker arrow',
      '<button class="react-datepicker__navigation--previous" aria-label="Previous Month"></button>',
      true,
    ],
    ['a › button', '<button>›</button>', true],
    ['a pagination link', '<a href="?page=3" class="pagination-link">3</a>', true],
    // Ordinary buttons stay eligible; whole words only.
    ['a Buy button', '<button class="btn primary">Buy now</button>', false],
    ['a Feedback button', '<button>Send feedback</button>', false],
    ['a button with a background class', '<button class="background-blue">Go</button>', false],
  ])('%s: excluded=%s', (_name, html, expected) => {
    expect(isRepeatedControl(el(html))).toBe(expected)
  })

  it.each<[string, string, boolean]>([
    ['a text input', '<input type="text">', true],
    ['an input without type', '<input>', true],
    ['a number input (and its spin buttons)', '<input type="number">', true],
    ['a textarea', '<textarea></textarea>', true],
    ['a select', '<select><option>a</option></select>', true],
    ['contenteditable', '<div contenteditable="true"><b>x</b></div>', true],
    ['a submit input', '<input type="submit">', false],
    ['a checkbox', '<input type="checkbox">', false],
    ['a button', '<button>x</button>', false],
  ])('text entry: %s → %s', (_name, html, expected) => {
    expect(isTextEntry(el(html))).toBe(expected)
  })

  it('treats text inside contenteditable as text entry', () => {
    expect(isTextEntry(el('<div contenteditable><p><b>x</b></p></div>').querySelector('b')!)).toBe(true)
  })
})
