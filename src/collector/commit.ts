import type { FrictionEvent } from '../schema/index'
import type { Dedupe } from './dedupe'
import type { Quota } from './quota'
import type { Sink } from './sink'

/** One valid event of a batch and its estimated stored size (for the quota). */
export interface CheckedEvent {
  event: FrictionEvent
  chars: number
}

/** What became of a batch's valid events: stored, or refused by the site's quota (the rest were duplicates). */
export interface CommitOutcome {
  fresh: FrictionEvent[]
  overQuota: FrictionEvent[]
}

/** What the committer needs, from the handler's config. */
export interface CommitConfig {
  sink: Sink
  dedupe: Dedupe
  quota: Quota
  /** A sink write that has not settled after this long fails its requests (503), and the next group goes on. */
  sinkTimeoutMs: number
  log: (line: string) => void
}

/**
 * Most events in one sink write: a group is closed past it and the rest wait for the next one,
 * so a backlog becomes a few large inserts rather than one unbounded write.
 */
export const MAX_GROUP_EVENTS = 10_000
const afterIo: (run: () => void) => void =
  typeof setImmediate === 'function' ? (run) => void setImmediate(run) : queueMicrotask

/** While the sink keeps failing, one reminder line per this long rather than one per batch. */
const SINK_LOG_INTERVAL_MS = 60_000

interface Pending {
  events: CheckedEvent[]
  site: string
  resolve: (outcome: CommitOutcome) => void
  reject: (error: unknown) => void
}

/**
 * Group commit: batches of concurrent requests that arrive while a sink write is in flight wait
 * together and go out as the next single write (one NDJSON append, one ClickHouse INSERT), up to
 * MAX_GROUP_EVENTS events. A lone request is written at once, so nothing waits for a timer;
 * under load the groups grow by themselves. A sink whose every write costs much whatever its
 * size (a ClickHouse INSERT makes a part) sets `groupDelayMs`: each group then waits that long
 * before it is written, so the requests answered by the last write can join the next one. Each
 * request is answered only once its group is stored, and all of a failed group's requests fail
 * (503, the clients retry; ids make it idempotent). Groups are checked against the dedupe window
 * and written one at a time, in arrival order, so a retry that races its original (in the same
 * group or the next) is still dropped as a duplicate.
 */
export function createCommitter(
  config: CommitConfig,
): (events: CheckedEvent[], site: string) => Promise<CommitOutcome> {
  const { sink, dedupe, quota, log } = config
  const pending: Pending[] = []
  let isDraining = false

  // Sink health, logged on change (and as a reminder while failing), never once per batch.
  let failingSince = 0
  let failedBatches = 0
  let lastLogAt = 0
  const sinkFailed = (error: unknown, batches: number) => {
    failedBatches += batches
    const now = Date.now()
    if (failingSince === 0 || now - lastLogAt >= SINK_LOG_INTERVAL_MS) {
      if (failingSince === 0) failingSince = now
      lastLogAt = now
      const message = error instanceof Error ? error.message : String(error)
      log(
        `frictionlog collector: sink write failed (${failedBatches} batch(es) so far), answering 503 with ` +
          `Retry-After until it recovers: ${message.slice(0, 500)}`,
      )
    }
  }
  const sinkWorked = () => {
    if (failingSince === 0) return
    log(
      `frictionlog collector: sink recovered after ${Math.round((Date.now() - failingSince) / 1000)} s ` +
        `and ${failedBatches} refused batch(es)`,
    )
    failingSince = 0
    failedBatches = 0
  }

  /**
   * One sink write that fails after sinkTimeoutMs if it has not settled. One promise and one timer
   * per write (a timeout promise, `Promise.race` and `finally` around it cost five promises and
   * their microtask hops per group, even for a sink that answers at once).
   */
  const writeInTime = (events: FrictionEvent[]): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      let isLate = false
      const timer = setTimeout(() => {
        isLate = true
        reject(new Error(`sink write did not settle within ${config.sinkTimeoutMs} ms`))
      }, config.sinkTimeoutMs)
      let write: Promise<void>
      try {
        // Promise.resolve: a JavaScript sink may return nothing; a thrown error is a failed write.
        write = Promise.resolve(sink.write(events))
      } catch (error) {
        clearTimeout(timer)
        reject(error)
        return
      }
      write.then(
        () => {
          clearTimeout(timer)
          // A write that lands after its timeout is stored: remember its ids so the client's retry is a duplicate.
          if (isLate) for (const event of events) dedupe.add(event.id)
          else resolve()
        },
        (error: unknown) => {
          clearTimeout(timer)
          reject(error)
        },
      )
    })

  /** Sorts one batch's events into `outcome` from `from` on; a promise only where `sink.has` answers with one. */
  const sort = (
    batch: Pending,
    seen: Set<string>,
    taken: Array<{ site: string; chars: number }>,
    outcome: CommitOutcome,
    from: number,
  ): CommitOutcome | Promise<CommitOutcome> => {
    const { events } = batch
    for (let index = from; index < events.length; index += 1) {
      const { event, chars } = events[index]
      let isDuplicate = seen.has(event.id) || dedupe.has(event.id)
      if (!isDuplicate && sink.has) {
        const stored = sink.has(event.id)
        // Awaited only when the sink answers with a promise: no microtask per event or per batch otherwise.
        if (typeof stored !== 'boolean') {
          return Promise.resolve(stored).then((isStored) => {
            place(batch, event, chars, isStored, seen, taken, outcome)
            return sort(batch, seen, taken, outcome, index + 1)
          })
        }
        isDuplicate = stored
      }
      place(batch, event, chars, isDuplicate, seen, taken, outcome)
    }
    return outcome
  }
  /** One event of a batch: duplicate, over quota or fresh; `seen` holds the group's ids so far. */
  const place = (
    batch: Pending,
    event: FrictionEvent,
    chars: number,
    isDuplicate: boolean,
    seen: Set<string>,
    taken: Array<{ site: string; chars: number }>,
    outcome: CommitOutcome,
  ) => {
    seen.add(event.id)
    if (isDuplicate) return
    if (!quota.take(batch.site, chars)) outcome.overQuota.push(event)
    else {
      outcome.fresh.push(event)
      taken.push({ site: batch.site, chars })
    }
  }

  const commitGroup = async (group: Pending[]) => {
    const seen = new Set<string>()
    const taken: Array<{ site: string; chars: number }> = []
    const outcomes: CommitOutcome[] = []
    const fresh: FrictionEvent[] = []
    try {
      for (const batch of group) {
        const sorted = sort(batch, seen, taken, { fresh: [], overQuota: [] }, 0)
        const outcome = sorted instanceof Promise ? await sorted : sorted
        outcomes.push(outcome)
        for (const event of outcome.fresh) fresh.push(event)
      }
      if (fresh.length > 0) await writeInTime(fresh)
    } catch (error) {
      for (const { site, chars } of taken) quota.give(site, chars)
      sinkFailed(error, group.length)
      for (const batch of group) batch.reject(error)
      return
    }
    sinkWorked()
    // Remembered only once stored: a failed write must not turn the client's retry into duplicates.
    for (const event of fresh) dedupe.add(event.id)
    group.forEach((batch, index) => batch.resolve(outcomes[index]))
  }

  const drain = async () => {
    isDraining = true
    const delayMs = sink.groupDelayMs ?? 0
    while (pending.length > 0) {
      // The sink asked for fewer, larger writes: let the batches of other requests join this one.
      if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs))
      let events = pending[0].events.length
      let size = 1
      while (size < pending.length && events + pending[size].events.length <= MAX_GROUP_EVENTS) {
        events += pending[size].events.length
        size += 1
      }
      await commitGroup(pending.splice(0, size))
    }
    isDraining = false
  }

  return (events, site) =>
    new Promise<CommitOutcome>((resolve, reject) => {
      pending.push({ events, site, resolve, reject })
      // Started after the event loop's poll phase (setImmediate), so the batches of every request
      // whose body arrived in this turn share the first write; a microtask would start it before
      // the next socket's data is read, one write per request. Workers and edge runtimes without
      // setImmediate fall back to a microtask.
      if (!isDraining) {
        isDraining = true
        afterIo(() => void drain())
      }
    })
}
