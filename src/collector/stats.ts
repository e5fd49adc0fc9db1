/** Counters of what the collector has seen since it started. */
export interface CollectorStats {
  /** Batches whose envelope was valid and that were answered 200. */
  batches: number
  /** Events stored by the sink. */
  accepted: number
  /** Events dropped because their id was already seen or stored. */
  duplicates: number
  /** Rejected events by reason (`unknown-type`, `invalid:<path>`, `invalid-props:<name>`, …). */
  rejected: Record<string, number>
  /** Responses by HTTP status code. */
  requests: Record<number, number>
  /**
   * Whole requests refused by reason: `over-capacity` (too many requests or body bytes at once,
   * 503), `site-not-allowed` (403), `sink-unavailable` (the sink threw or timed out, 503).
   */
  refused: Record<string, number>
}

/**
 * Distinct rejection reasons kept in the stats. Reasons embed paths and event names sent by
 * clients, so without a cap a hostile client could grow the stats without bound.
 */
const MAX_REASON_KEYS = 200
const OVERFLOW_REASON = 'other'

/** A stats accumulator: mutators for the handler and a snapshot for `collector.stats()`. */
export interface StatsRecorder {
  countRequest(status: number): void
  countBatch(accepted: number, duplicates: number, rejectedReasons: string[]): void
  countRefused(reason: string): void
  snapshot(): CollectorStats
}

/** Creates zeroed collector stats. */
export function createStats(): StatsRecorder {
  const totals = { batches: 0, accepted: 0, duplicates: 0 }
  // Maps, not objects: a reason like `__proto__` must stay a plain key.
  const rejected = new Map<string, number>()
  const requests = new Map<number, number>()
  const refused = new Map<string, number>()
  return {
    countRefused(reason) {
      refused.set(reason, (refused.get(reason) ?? 0) + 1)
    },
    countRequest(status) {
      requests.set(status, (requests.get(status) ?? 0) + 1)
    },
    countBatch(accepted, duplicates, rejectedReasons) {
      totals.batches += 1
      totals.accepted += accepted
      totals.duplicates += duplicates
      for (const reason of rejectedReasons) {
        const key = rejected.has(reason) || rejected.size < MAX_REASON_KEYS ? reason : OVERFLOW_REASON
        rejected.set(key, (rejected.get(key) ?? 0) + 1)
      }
    },
    snapshot: () => ({
      ...totals,
      rejected: Object.fromEntries(rejected),
      requests: Object.fromEntries(requests),
      refused: Object.fromEntries(refused),
    }),
  }
}
