import type { FrictionEvent } from '../schema'
import type { DeliveryHealth, KeyValueStore } from './types'

/** Bounds of the outbox (docs/wire-format.md: persistence is bounded), counted in events and in characters. */
export const MAX_OUTBOX_EVENTS = 1000
export const MAX_OUTBOX_CHARS = 1_000_000

/** Unsent events kept in browser storage until a page of this site sends them. */
export interface Outbox {
  /** Adds events (merged by id), dropping the oldest past the bounds; returns the ids kept. */
  save(events: FrictionEvent[]): string[]
  /** Removes and returns stored events: those with the given ids, or all of them. */
  take(ids?: ReadonlySet<string>): FrictionEvent[]
}

/**
 * The outbox under one key per endpoint and site. Events keep their ids and timestamps, so a
 * resend is idempotent at the collector. `take` is how a page claims the backlog: what one tab
 * took is gone for every other tab.
 */
export const createOutbox = (store: KeyValueStore, key: string, health: DeliveryHealth): Outbox => {
  const read = (): FrictionEvent[] => {
    try {
      const value = JSON.parse(store.get(key) ?? '[]')
      return Array.isArray(value) ? value : []
    } catch {
      return []
    }
  }
  const write = (events: FrictionEvent[]): FrictionEvent[] => {
    let kept = events.slice(-MAX_OUTBOX_EVENTS)
    let json = JSON.stringify(kept)
    while (kept.length && (json.length > MAX_OUTBOX_CHARS || !store.set(key, json))) {
      // Over the bound or over the browser's quota: give up the oldest half, not everything.
      kept = kept.slice(Math.ceil(kept.length / 2))
      json = JSON.stringify(kept)
    }
    if (!kept.length) store.remove(key)
    if (kept.length < events.length) health.drop('outbox-full', events.length - kept.length)
    return kept
  }
  return {
    save(events) {
      const stored = read()
      const known = new Set(stored.map((event) => event.id))
      const kept = write(stored.concat(events.filter((event) => !known.has(event.id))))
      return kept.map((event) => event.id)
    },
    take(ids) {
      const stored = read()
      if (!stored.length) return []
      const taken = ids ? stored.filter((event) => ids.has(event.id)) : stored
      if (taken.length === stored.length) store.remove(key)
      else if (taken.length) write(stored.filter((event) => !ids?.has(event.id)))
      return taken
    },
  }
}
