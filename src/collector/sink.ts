import type { FrictionEvent } from '../schema/index'

/**
 * Where the collector stores accepted events. Implement it to send events to a database,
 * a queue or a warehouse; the collector only needs `write`.
 */
export interface Sink {
  /**
   * Stores validated, de-duplicated events: one batch, or the batches of the requests that
   * arrived while the previous write was in flight (group commit). Throwing (synchronously or by
   * rejecting) or not settling within `sinkTimeoutMs` makes the collector answer 503 with
   * `Retry-After` so the client retries; the batch's ids are then not remembered as seen, so
   * the retry is stored rather than dropped as a duplicate. Writes are called one at a time.
   */
  write(events: FrictionEvent[]): Promise<void>
  /**
   * How long each write waits for the batches of more concurrent requests to join it (they are
   * written together). For stores where a write costs much whatever its size; optional.
   * @default 0 (a write starts as soon as the previous one settled)
   */
  readonly groupDelayMs?: number
  /**
   * Whether an event id is already stored. Lets a restarted collector skip duplicates its
   * in-memory window no longer remembers. Optional.
   */
  has?(id: string): boolean | Promise<boolean>
  /** Releases files, connections or timers. Optional. */
  close?(): Promise<void>
}
