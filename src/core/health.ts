import type { EventFields } from '../schema'

type Counter = 'retried' | 'beaconRejected' | 'persisted' | 'invalid'

/** The SDK's own loss accounting, reported as `sdk_health` so silent loss is never silent. */
export interface Health {
  drop(reason: string, count?: number): void
  count(counter: Counter, count?: number): void
  /** Returns the counters since the last call, or undefined when all are zero. */
  take(): EventFields<'sdk_health'> | undefined
}

export const createHealth = (): Health => {
  const fresh = (): EventFields<'sdk_health'> => ({
    dropped: {},
    retried: 0,
    beaconRejected: 0,
    persisted: 0,
    invalid: 0,
  })
  let counters = fresh()
  let isDirty = false
  return {
    drop(reason, count = 1) {
      counters.dropped[reason] = (counters.dropped[reason] ?? 0) + count
      isDirty = true
    },
    count(counter, count = 1) {
      counters[counter] += count
      isDirty = true
    },
    take() {
      if (!isDirty) return undefined
      const report = counters
      counters = fresh()
      isDirty = false
      return report
    },
  }
}
