import type { EventFields, EventType, FrictionEvent } from '../schema'
import type { Debug } from '../lib/debug'
import { byteLength } from '../lib/byteLength'
import { toJson } from '../lib/json'
import type { Health } from './health'

/** What happens to an event given consent and sampling. */
export type Admission = 'send' | 'hold' | 'drop'

export interface PipelineOptions {
  /** Stamps id, ts, session, page, url and context on the plugin's fields. */
  envelope(type: EventType): Omit<FrictionEvent, keyof EventFields<EventType>>
  admit(): Admission
  beforeSend?: (event: FrictionEvent) => FrictionEvent | null
  maxBytes: number
  deliver(event: FrictionEvent, bytes: number): void
  hold(event: FrictionEvent, bytes: number): void
  health: Health
  debug: Debug
}

/**
 * emit → enrich (envelope, context) → consent and sampling → beforeSend → serializable and
 * within size → queue. A failure at any stage drops that one event with a reason, never more.
 */
export const createPipeline = (options: PipelineOptions) =>
  <T extends EventType>(type: T, fields: EventFields<T>): void => {
    const admission = options.admit()
    if (admission === 'drop') return
    let event: FrictionEvent | null = { ...fields, ...options.envelope(type), type } as FrictionEvent
    if (options.beforeSend) {
      try {
        event = options.beforeSend(event)
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
    // The event goes out as serialized now: later mutation of the app's props cannot change it.
    const frozen = JSON.parse(json) as FrictionEvent
    if (admission === 'hold') options.hold(frozen, bytes)
    else options.deliver(frozen, bytes)
  }
