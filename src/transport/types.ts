import type { FrictionEvent } from '../schema'

/** The batch as sent on the wire (version 1, docs/wire-format.md). */
export interface WireBatch {
  v: 1
  site?: string
  sentAt: number
  events: FrictionEvent[]
}

/** Result of one delivery attempt; `retryAfterMs` comes from a `Retry-After` header. */
export interface SendResult {
  ok: boolean
  /** true when retrying cannot help (4xx other than 408/429): the batch is dropped and counted. */
  isFatal?: boolean
  retryAfterMs?: number
  /**
   * At page exit, the events of a refused batch that were not handed to the browser (the rest
   * were): the queue parks exactly these in the outbox. Without it, a refused batch parks all.
   */
  unsent?: FrictionEvent[]
}

/** What the queue tells a sender about the moment it sends. */
export interface SendOptions {
  /** true during page exit: only synchronous work is safe, a returned promise is not awaited. */
  unloading: boolean
}

/**
 * A custom sender with the built-in transport's signature (Sentry's swappable `makeRequest`).
 * `unloading` is true during page exit: only synchronous work is safe then.
 */
export type Transport = (batch: WireBatch, options: SendOptions) => Promise<SendResult> | SendResult

/** The loss accounting delivery reports into (the core's `sdk_health` counters). */
export interface DeliveryHealth {
  drop(reason: string, count?: number): void
  count(counter: 'retried' | 'beaconRejected' | 'persisted', count?: number): void
}

/** The key-value store the outbox lives in (localStorage or memory, never throwing). */
export interface KeyValueStore {
  get(key: string): string | null
  /** false when the value could not be written (quota, storage disabled). */
  set(key: string, value: string): boolean
  remove(key: string): void
}
