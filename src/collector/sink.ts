import type { FrictionEvent } from '../schema/index'

/**
 * Where the collector stores accepted events. Implement it to send events to a database,
 * a queue or a warehouse; the collector only needs `write`.
 */
export interface Sink {
  /**
   * Stores one batch of validated, de-duplicated events. Throwing (or rejecting) makes the
   * collector answer 503 so the client retries; event ids make the retry idempotent.
   */
  write(events: FrictionEvent[]): Promise<void>
  /**
   * Whether an event id is already stored. Lets a restarted collector skip duplicates its
   * in-memory window no longer remembers. Optional.
   */
  has?(id: string): boolean | Promise<boolean>
  /** Releases files, connections or timers. Optional. */
  close?(): Promise<void>
}
