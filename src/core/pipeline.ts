import type { EventFields, EventType, FrictionEvent } from '../schema'
import type { Debug } from '../lib/debug'
import { byteLength } from '../lib/byteLength'
import { toJson } from '../lib/json'
import type { Health } from './health'

/** What happens to an event given consent and sampling. */
export type Admission = 'send' | 'hold' | 'drop'

// Deferred processing runs in slices this long, then yields to the page: a burst of thousands
// of events never becomes a long task (50 ms) of ours.
const SLICE_MS = 8

export interface PipelineOptions {
  /** Stamps id, ts, session, page, url and context on the plugin's fields. */
  envelope(type: EventType): Omit<FrictionEvent, keyof EventFields<EventType>>
  admit(): Admission
  /** Adds what is too costly to read at emit time (runs in the deferred step). */
  complete(event: FrictionEvent): void
  beforeSend?: (event: FrictionEvent) => FrictionEvent | null
  maxBytes: number
  deliver(event: FrictionEvent, bytes: number): void
  hold(event: FrictionEvent, bytes: number): void
  health: Health
  debug: Debug
}

export interface Pipeline {
  emit<T extends EventType>(type: T, fields: EventFields<T>): void
  /** Processes every waiting event now (before a flush, at page exit, on consent changes). */
  drain(): void
  /** Forgets waiting events (consent revoked, shutdown). */
  clear(): void
}

/**
 * emit → enrich (envelope, context) → consent and sampling, at once, so every event describes
 * the moment it happened; then, deferred and time-sliced, beforeSend → serializable and within
 * size → queue. A failure at any stage drops that one event with a reason, never more.
 */
export const createPipeline = (options: PipelineOptions): Pipeline => {
  let waiting: Array<[FrictionEvent, Admission]> = []
  let next = 0
  let timer: ReturnType<typeof setTimeout> | undefined

  const process = (event: FrictionEvent | null, admission: Admission) => {
    const type = event!.type
    options.complete(event!)
    if (options.beforeSend) {
      try {
        event = options.beforeSend(event!)
      } catch (error) {
        // A throwing hook must not cost the event: send it as it was.
        options.debug('before-send-failed', error)
      }
      if (!event) return
    }
    const json = toJson(event)
    if (json === undefined) {
      options.health.count('invalid')
      return options.debug('unserializable-event', type)
    }
    const bytes = byteLength(json)
    if (bytes > options.maxBytes) {
      options.health.drop('too-large')
      return options.debug('event-too-large', type + ' ' + bytes + ' bytes')
    }
    // The event goes out as serialized now: later mutation of nested app data cannot change it.
    const frozen = JSON.parse(json) as FrictionEvent
    if (admission === 'hold') options.hold(frozen, bytes)
    else options.deliver(frozen, bytes)
  }
  const run = (budgetMs: number) => {
    const start = performance.now()
    while (next < waiting.length) {
      const [event, admission] = waiting[next++]
      try {
        process(event, admission)
      } catch (error) {
        options.debug('pipeline-failed', error)
      }
      if (performance.now() - start > budgetMs) break
    }
    if (next < waiting.length) return schedule()
    clear()
  }
  const clear = () => {
    clearTimeout(timer)
    timer = undefined
    waiting = []
    next = 0
  }
  const schedule = () => {
    timer ??= setTimeout(() => {
      timer = undefined
      run(SLICE_MS)
    }, 0)
  }
  return {
    emit(type, fields) {
      const admission = options.admit()
      if (admission === 'drop') return
      waiting.push([{ ...fields, ...options.envelope(type), type } as FrictionEvent, admission])
      schedule()
    },
    drain: () => run(Infinity),
    clear,
  }
}
