import type { EventOf } from '../schema/index'
import { str } from './path'
import { scrollReach } from './pages'
import { createTopMap } from './topMap'
import type { ScrollReach, SectionReport } from './types'

/** Sections kept (top-N by views, see createTopMap). */
const MAX_SECTIONS = 200

/** Sections listed in the report. */
const REPORTED_SECTIONS = 30

/**
 * Highest `order` tallied as itself; later positions pool into this one. A page rarely has
 * more than a dozen sections, and a bounded histogram gives an exact median in constant memory.
 */
const MAX_SECTION_ORDER = 50

interface SectionEntry {
  views: number
  visibleMsSum: number
  /** Views by `order` (index = order, 1-based). */
  orders: number[]
}

/** Streams `scroll` and `section` events into the scroll-depth distribution and section attention. */
export function createAttentionAccumulator() {
  const scroll = new Map<number, number>()
  const sections = createTopMap<SectionEntry>(
    MAX_SECTIONS,
    () => ({ views: 0, visibleMsSum: 0, orders: new Array<number>(MAX_SECTION_ORDER + 1).fill(0) }),
    (entry) => entry.views,
  )
  return {
    /** Adds a `scroll` event and returns its milestone, or undefined when it is not a percent. */
    scroll(event: EventOf<'scroll'>): number | undefined {
      const depth = event.depthPct
      if (!Number.isInteger(depth) || depth < 0 || depth > 100) return undefined
      scroll.set(depth, (scroll.get(depth) ?? 0) + 1)
      return depth
    },
    section(event: EventOf<'section'>) {
      const entry = sections.get(str(event.section))
      entry.views += 1
      if (Number.isFinite(event.visibleMs) && event.visibleMs >= 0) entry.visibleMsSum += event.visibleMs
      const order = Number.isInteger(event.order) && event.order >= 1 ? Math.min(event.order, MAX_SECTION_ORDER) : 1
      entry.orders[order] += 1
    },
    result(pageViews: number): { scroll: ScrollReach[]; sections: SectionReport[]; evicted: number } {
      return {
        scroll: scrollReach(scroll, pageViews),
        sections: sections
          .entries()
          .slice(0, REPORTED_SECTIONS)
          .map(([section, entry]) => ({
            section,
            views: entry.views,
            avgVisibleMs: entry.views > 0 ? entry.visibleMsSum / entry.views : 0,
            typicalOrder: histogramMedian(entry.orders, entry.views),
          }))
          .sort((a, b) => a.typicalOrder - b.typicalOrder || b.views - a.views),
        evicted: sections.evicted,
      }
    },
  }
}

/** The (lower) median position of a histogram whose counts sum to `total`. */
function histogramMedian(counts: number[], total: number): number {
  let seen = 0
  for (let order = 1; order < counts.length; order += 1) {
    seen += counts[order]
    if (seen * 2 >= total) return order
  }
  return 1
}
