/** Newly crossed milestones for a depth, plus `reset()` for a new page view. */
export interface Milestones {
  /** Returns the milestones crossed by `pct` that were not returned before, in ascending order. */
  (pct: number): number[]
  /** The lowest milestone not crossed yet, or undefined when all are: lets a caller skip work. */
  next(): number | undefined
  /** Forgets every crossed milestone (a new page view). */
  reset(): void
}

/**
 * Tracks which scroll-depth milestones (percent) have been crossed, each once and in order:
 * a jump from 0 to 80 returns every lower milestone first (`[25, 50, 75]`), so the events read
 * as a funnel. Values outside 0–100 or not integers are ignored (the wire format's `depthPct`
 * is an integer percent); duplicates count once.
 *
 * @example
 * const crossed = createMilestones([25, 50, 75, 90, 100])
 * crossed(60) // [25, 50]
 * crossed(60) // []
 */
export const createMilestones = (list: readonly number[]): Milestones => {
  const sorted = [...new Set(list)]
    .filter((pct) => Number.isInteger(pct) && pct >= 0 && pct <= 100)
    .sort((a, b) => a - b)
  let index = 0
  const crossed = (pct: number) => {
    const start = index
    // Sorted list: one cursor, so a call costs a comparison once everything below is crossed.
    while (index < sorted.length && pct >= sorted[index]) index++
    return sorted.slice(start, index)
  }
  crossed.next = () => sorted[index]
  crossed.reset = () => void (index = 0)
  return crossed
}
