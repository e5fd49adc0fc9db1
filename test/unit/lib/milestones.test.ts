import { describe, expect, it } from 'vitest'
import { createMilestones } from '../../../src/lib/milestones'

const DEFAULTS = [25, 50, 75, 90, 100]

describe('createMilestones', () => {
  it.each<[string, number[], number[], number[][]]>([
    ['reports nothing above the page top', DEFAULTS, [0, 10, 24.9], [[], [], []]],
    ['reports each milestone once, in order', DEFAULTS, [30, 30, 60, 80, 95, 100], [[25], [], [50], [75], [90], [100]]],
    // A jump (short page, anchor link, End key) still yields every lower milestone first.
    ['reports every lower milestone on a jump', DEFAULTS, [100], [[25, 50, 75, 90, 100]]],
    ['never goes back on scrolling up', DEFAULTS, [60, 10, 60], [[25, 50], [], []]],
    ['reports a milestone when the depth equals it', DEFAULTS, [25, 50], [[25], [50]]],
    ['caps overshoot at the last milestone', DEFAULTS, [180], [[25, 50, 75, 90, 100]]],
    ['sorts and deduplicates a custom list', [100, 50, 50], [70, 100], [[50], [100]]],
    // depthPct is an integer percent 0–100 on the wire: other values could never be sent.
    ['ignores values outside 0–100 and non-integers', [-5, 33.3, 40, 150], [100], [[40]]],
    ['reports nothing for an empty list', [], [100], [[]]],
  ])('%s', (_name, list, depths, expected) => {
    const crossed = createMilestones(list)
    expect(depths.map((pct) => crossed(pct))).toEqual(expected)
  })

  it('exposes the next milestone, undefined when all are crossed', () => {
    const crossed = createMilestones([50, 100])
    expect(crossed.next()).toBe(50)
    crossed(60)
    expect(crossed.next()).toBe(100)
    crossed(100)
    expect(crossed.next()).toBeUndefined()
  })

  it('reports every milestone again after reset (a new page view)', () => {
    const crossed = createMilestones(DEFAULTS)
    crossed(100)
    crossed.reset()
    expect(crossed(55)).toEqual([25, 50])
  })
})
