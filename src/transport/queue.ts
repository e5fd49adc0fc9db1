import type { FrictionEvent } from '../schema'
import type { DeliveryHealth, SendResult, Transport, WireBatch } from './types'
import { byteLength } from '../lib/byteLength'
import type { Outbox } from './outbox'

/** Bytes the batch wrapper `{"v":1,"site":…,"sentAt":…,"events":[]}` adds around the events. */
const BATCH_OVERHEAD_BYTES = 300
const RETRY_BASE_MS = 1000
const RETRY_MAX_MS = 60_000
// In memory the queue holds at most this many events: during a long outage the oldest are
// still safe in the outbox (when persistence is on) and the loss is counted.
const MAX_QUEUED_EVENTS = 5000

interface Item {
  event: FrictionEvent
  bytes: number
}

export interface QueueOptions {
  send: Transport
  site?: string
  maxEvents: number
  maxBytes: number
  intervalMs: number
  outbox: Outbox
  health: DeliveryHealth
}

/** Decides *when* events leave: by count, bytes or time, at page exit, and after failures. */
export interface Queue {
  push(event: FrictionEvent, bytes: number): void
  /** Sends everything queued, one visible send at a time. */
  flush(): Promise<void>
  /** Page exit: hands everything to the transport synchronously, parking what it refuses in the outbox. */
  flushAtExit(): void
  /** Puts events claimed from the outbox at the front of the queue. */
  restore(events: FrictionEvent[]): void
  setOnline(isOnline: boolean): void
  /** The page is shown again after an exit flush (tab back, bfcache restore): parked events may be taken back. */
  resume(): void
  /** Forgets every queued event (consent revoked). */
  clear(): void
  stop(): void
}

/** Exponential backoff with full jitter (AWS's recipe), never below the server's Retry-After. */
export const backoffMs = (attempt: number, retryAfterMs = 0, random = Math.random()): number =>
  Math.max(retryAfterMs, Math.round(Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** attempt) * (0.5 + random / 2)))

/** Cuts items into batches within both limits; one oversized event travels alone. */
export const toChunks = (items: Item[], maxEvents: number, maxBytes: number): Item[][] => {
  const chunks: Item[][] = []
  let chunk: Item[] = []
  let bytes = BATCH_OVERHEAD_BYTES
  for (const item of items) {
    if (chunk.length && (chunk.length >= maxEvents || bytes + item.bytes + 1 > maxBytes)) {
      chunks.push(chunk)
      chunk = []
      bytes = BATCH_OVERHEAD_BYTES
    }
    chunk.push(item)
    bytes += item.bytes + 1
  }
  if (chunk.length) chunks.push(chunk)
  return chunks
}

export const createQueue = (options: QueueOptions): Queue => {
  const { send, outbox, health, maxEvents, maxBytes } = options
  let items: Item[] = []
  let bytes = 0
  let timer: ReturnType<typeof setTimeout> | undefined
  let attempt = 0
  let isOnline = true
  let isStopped = false
  let sending: Promise<void> | undefined
  // Ids this tab parked in the outbox while still holding them in memory.
  const parked = new Set<string>()
  // Events handed to a fetch that has not answered yet: parked too if the page exits now.
  const inFlight = new Map<string, FrictionEvent>()
  // Set by the exit flush until the page is shown again. A send that starts after the exit
  // flush (one queued behind a fetch that answers during unload, or asked for by the exit's
  // own pushes) must leave the outbox alone: taking parked events back into a dying page lost
  // them (11 of 30 in one bench run of the 400 ms bounce).
  let isExiting = false

  const recount = () => (bytes = items.reduce((sum, item) => sum + item.bytes, 0))
  const batchOf = (events: FrictionEvent[]): WireBatch => ({ v: 1, site: options.site, sentAt: Date.now(), events })
  const schedule = (delayMs: number) => {
    if (timer || isStopped) return
    timer = setTimeout(() => {
      timer = undefined
      void flush()
    }, delayMs)
  }
  // Parks the events not parked yet.
  const park = (events: FrictionEvent[]) => {
    events = events.filter((event) => !parked.has(event.id))
    if (!events.length) return
    // save() returns every id kept, other tabs' included: mark only ours, or reclaim() would
    // take another tab's events out of the outbox and lose them.
    const kept = new Set(outbox.save(events))
    events.forEach((event) => kept.has(event.id) && parked.add(event.id))
    health.count('persisted', events.length)
  }
  // Before sending what this tab parked, take it back from the outbox; what is missing there
  // was claimed by another page of the site, which sends it, so this tab must not.
  const reclaim = () => {
    if (!parked.size || isExiting) return
    const ours = new Set(outbox.take(parked).map((event) => event.id))
    items = items.filter((item) => !parked.has(item.event.id) || ours.has(item.event.id))
    recount()
    parked.clear()
  }
  const remove = (sent: Item[]) => {
    const ids = new Set(sent.map((item) => item.event.id))
    items = items.filter((item) => !ids.has(item.event.id))
    recount()
  }

  const sendVisible = async () => {
    reclaim()
    for (const chunk of toChunks(items, maxEvents, maxBytes)) {
      if (!isOnline || isStopped) return
      const events = chunk.map((item) => item.event)
      events.forEach((event) => inFlight.set(event.id, event))
      let result: SendResult
      try {
        result = await send(batchOf(events), { unloading: false })
      } catch {
        result = { ok: false }
      } finally {
        events.forEach((event) => inFlight.delete(event.id))
      }
      if (result.ok || result.isFatal) {
        if (!result.ok) health.drop('rejected', events.length)
        remove(chunk)
        attempt = 0
        continue
      }
      // Retrying: keep the events (ids unchanged, so the retry is idempotent) and park them,
      // so that a crash or a close during the outage does not lose them.
      health.count('retried', events.length)
      park(events)
      schedule(backoffMs(attempt++, result.retryAfterMs))
      return
    }
    // Events pushed while the last send was in flight after a backoff found no timer to join.
    if (items.length) schedule(options.intervalMs)
  }

  const flushAtExit = () => {
    isExiting = true
    const pending = items.map((item) => item.event).concat([...inFlight.values()])
    if (!pending.length) return
    const isHealthy = attempt === 0 && isOnline
    // After failures the collector is likely still down, and a beacon's `true` only means
    // "queued": park everything first so the next page sends it (ids make that idempotent).
    if (!isHealthy) park(pending)
    for (const chunk of toChunks(items, maxEvents, maxBytes)) {
      const events = chunk.map((item) => item.event)
      let result: SendResult
      try {
        // Page exit allows only synchronous work: a custom transport's promise is not awaited,
        // so handing the batch over counts as sent (and a later rejection is swallowed).
        const value = send(batchOf(events), { unloading: true })
        if (value && typeof (value as Promise<SendResult>).then === 'function') {
          void (value as Promise<SendResult>).then(undefined, () => {})
          result = { ok: true }
        } else result = (value as SendResult) ?? { ok: true }
      } catch {
        result = { ok: false }
      }
      const unsent = result.ok ? [] : (result.unsent ?? events)
      park(unsent)
      if (isHealthy) remove(chunk.filter((item) => !unsent.includes(item.event)))
    }
    if (isHealthy) park([...inFlight.values()])
  }

  // Many pushes in one task (a burst) ask for one flush, not one each.
  let isFlushRequested = false
  const requestFlush = () => {
    if (isFlushRequested) return
    isFlushRequested = true
    queueMicrotask(() => {
      isFlushRequested = false
      void flush()
    })
  }

  const flush = (): Promise<void> => {
    clearTimeout(timer)
    timer = undefined
    // One visible send at a time; a flush asked for meanwhile runs right after.
    const run = (sending ?? Promise.resolve()).then(sendVisible)
    sending = run.finally(() => {
      if (sending === run) sending = undefined
    })
    return run
  }

  return {
    push(event, eventBytes) {
      if (isStopped) return
      items.push({ event, bytes: eventBytes })
      bytes += eventBytes
      if (items.length > MAX_QUEUED_EVENTS) {
        const dropped = items.length - MAX_QUEUED_EVENTS
        items = items.slice(dropped)
        health.drop('queue-full', dropped)
      }
      if (attempt) return // Backing off: the retry timer sends everything.
      if (items.length >= maxEvents || bytes + BATCH_OVERHEAD_BYTES >= maxBytes) requestFlush()
      else schedule(options.intervalMs)
    },
    flush,
    flushAtExit,
    restore(events) {
      // Claimed from the outbox: this tab now holds them alone. One it still queues itself
      // (parked after a failed send) must not be queued twice.
      const queued = new Set(items.map((item) => item.event.id))
      events.forEach((event) => parked.delete(event.id))
      events = events.filter((event) => !queued.has(event.id))
      items = events.map((event) => ({ event, bytes: byteLength(JSON.stringify(event)) })).concat(items)
      recount()
      if (items.length) schedule(0)
    },
    resume() {
      isExiting = false
    },
    setOnline(online) {
      // Only coming back online sends at once; the tracker's initial call must not turn the
      // first page view into a batch of its own.
      const wasOnline = isOnline
      isOnline = online
      if (online && !wasOnline && items.length) void flush()
    },
    clear() {
      items = []
      bytes = 0
      parked.clear()
      outbox.take()
    },
    stop() {
      isStopped = true
      clearTimeout(timer)
    },
  }
}
