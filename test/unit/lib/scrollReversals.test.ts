import { describe, expect, it } from 'vitest'
import {
  createScrollReversalDetector,
  DEFAULT_SCROLL_LEG_PX,
  DEFAULT_SCROLL_REVERSALS,
  DEFAULT_SCROLL_WINDOW_MS,
  type ScrollReversalOptions,
} from '../../../src/lib/scrollReversals'

/** Positions at 100 ms steps; returns the index and result of every signal. */
const feed = (positions: number[], options?: ScrollReversalOptions) => {
  const detect = createScrollReversalDetector(options)
  return positions.flatMap((y, i) => {
    const signal = detect(y, i * 100)
    return signal ? [[i, signal] as const] : []
  })
}
const legs = (...ends: number[]) => [0, ...ends]

describe('createScrollReversalDetector', () => {
  it('has the documented defaults', () => {
    expect([DEFAULT_SCROLL_REVERSALS, DEFAULT_SCROLL_LEG_PX, DEFAULT_SCROLL_WINDOW_MS]).toEqual([4, 400, 15_000])
  })

  it.each<[string, number[], ScrollReversalOptions | undefined, Array<number>]>([
    // [what, positions (100 ms apart), options, indexes of signals]
    ['reading down the page never signals', [0, 500, 1000, 1500, 2000, 2500, 3000], undefined, []],
    ['down and back up once is a re-read', legs(1500, 0), undefined, []],
    ['three reversals stay under the default', legs(1500, 0, 1500, 0), undefined, []],
    // Five long legs: down, up, down, up, down → four reversals, the signal at the fifth leg.
    ['four reversals of long legs signal at the fourth', legs(1500, 0, 1500, 0, 1500), undefined, [5]],
    ['short legs (under 400 px) never count', legs(300, 0, 300, 0, 300, 0, 300, 0), undefined, []],
    // Jitter of 50 px back while going down neither counts nor breaks the leg.
    ['jitter inside legs is ignored', [0, 600, 550, 1200, 700, 200, 150, 900, 1600, 1000, 300, 1100], undefined, [11]],
    ['a lower threshold signals earlier', legs(1500, 0, 1500), { reversals: 2 }, [3]],
    ['a shorter leg length counts smaller legs', legs(300, 0, 300, 0, 300), { legPx: 250 }, [5]],
    // Legs spread over time: 100 ms apart here, so a 250 ms window holds at most three turns.
    ['reversals outside the window do not add up', legs(1500, 0, 1500, 0, 1500, 0, 1500), { windowMs: 250 }, []],
    ['it signals again after a further burst', legs(1500, 0, 1500, 0, 1500, 0, 1500, 0, 1500), undefined, [5, 9]],
  ])('%s', (_what, positions, options, expected) => {
    expect(feed(positions, options).map(([index]) => index)).toEqual(expected)
  })

  it('reports the reversals, the time they took and the distance scrolled', () => {
    expect(feed(legs(1500, 0, 1500, 0, 1500))).toEqual([[5, { reversals: 4, windowMs: 300, distancePx: 7500 }]])
  })

  it('ignores repeated positions and starts over on reset', () => {
    const detect = createScrollReversalDetector({ reversals: 1, legPx: 100 })
    expect([detect(0, 0), detect(0, 1), detect(500, 2)]).toEqual([undefined, undefined, undefined])
    detect.reset()
    // After the reset 500 is the start again: going up from it is a first leg, not a reversal.
    expect([detect(500, 3), detect(0, 4), detect(500, 5)]).toEqual([
      undefined,
      undefined,
      { reversals: 1, windowMs: 0, distancePx: 1000 },
    ])
  })
})
