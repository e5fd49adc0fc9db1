import { finite, ratio } from './count'
import { createTopMap } from './topMap'
import type { MetricName, PageReport, Rating, ScrollReach } from './types'
import { addToTally, createVitalTally, METRIC_NAMES, summarizeVital, type VitalTally } from './vitals'

/**
 * Paths kept with their own row. Sites with ids in their paths (`/product/123`) have
 * unbounded paths: the busiest stay (top-N by events, see createTopMap) and the report says
 * how many were forgotten. Each kept path may hold five vitals reservoirs.
 */
export const MAX_PATHS = 200

/** The scroll milestones the SDK emits by default (SPEC), always listed even at 0. */
export const SCROLL_MILESTONES_PCT: readonly number[] = [25, 50, 75, 90, 100]

/** Per-path tallies, shared with the other accumulators so each event looks its path up once. */
export interface PageEntry {
  events: number
  pageViews: number
  engagedMsSum: number
  leaves: number
  /** `scroll` events by `depthPct` (0–100, so at most 101 keys). */
  scroll: Map<number, number>
  rageClicks: number
  deadClicks: number
  errors: number
  vitals: Partial<Record<MetricName, VitalTally>>
}

/**
 * The share of `pageViews` that reached each milestone: the default ones plus any custom one
 * seen. Capped at 1, since a page view whose `page` event was lost still sends its `scroll`s.
 */
export function scrollReach(scroll: Map<number, number>, pageViews: number): ScrollReach[] {
  const depths = [...new Set([...SCROLL_MILESTONES_PCT, ...scroll.keys()])].sort((a, b) => a - b)
  return depths.map((depthPct) => {
    const reached = scroll.get(depthPct) ?? 0
    const share = ratio(reached, pageViews)
    return { depthPct, pageViews: reached, share: share === null ? null : Math.min(1, share) }
  })
}

/** Creates the per-path accumulator: `entry(path)` for the event's path, `result()` at the end. */
export function createPagesAccumulator() {
  const pages = createTopMap<PageEntry>(
    MAX_PATHS,
    () => ({
      events: 0,
      pageViews: 0,
      engagedMsSum: 0,
      leaves: 0,
      scroll: new Map(),
      rageClicks: 0,
      deadClicks: 0,
      errors: 0,
      vitals: {},
    }),
    (entry) => entry.events,
  )
  return {
    entry(path: string): PageEntry {
      const entry = pages.get(path)
      entry.events += 1
      return entry
    },
    addVital(entry: PageEntry, name: MetricName, value: number, rating: Rating) {
      addToTally((entry.vitals[name] ??= createVitalTally()), value, rating)
    },
    result(): { pages: PageReport[]; evicted: number } {
      return {
        pages: pages
          .entries()
          .sort((a, b) => b[1].pageViews - a[1].pageViews || b[1].events - a[1].events)
          .map(([path, entry]) => ({
            path,
            pageViews: entry.pageViews,
            avgEngagedMs: finite(entry.engagedMsSum / entry.leaves),
            scroll: scrollReach(entry.scroll, entry.pageViews),
            rageClicks: entry.rageClicks,
            deadClicks: entry.deadClicks,
            errors: entry.errors,
            vitals: METRIC_NAMES.filter((name) => entry.vitals[name]).map((name) =>
              summarizeVital(name, entry.vitals[name]),
            ),
          })),
        evicted: pages.evicted,
      }
    },
  }
}
