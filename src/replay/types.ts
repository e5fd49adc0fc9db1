/** The parts of an rrweb event the replay plugin reads; the rest passes through untouched. */
export interface RrwebEvent {
  type: number
  timestamp: number
  data: any
}

/** rrweb's `EventType` and `IncrementalSource` values used here (stable since rrweb 1). */
export const FULL_SNAPSHOT = 2
export const INCREMENTAL_SNAPSHOT = 3
export const MUTATION_SOURCE = 0
