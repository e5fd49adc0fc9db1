import type { FrictionEvent } from '../../schema/index'
import type { Sink } from '../sink'

/** A sink that keeps events in an array: for tests, demos and custom pipelines. */
export interface MemorySink extends Sink {
  /** Every stored event, in arrival order. */
  events: FrictionEvent[]
  has(id: string): boolean
}

/**
 * Creates a sink that stores events in memory, unbounded: not for production traffic.
 *
 * @example
 * const sink = createMemorySink()
 * const collector = createCollector({ sink })
 * await collector.handle(request)
 * sink.events // the accepted events
 */
export function createMemorySink(): MemorySink {
  const ids = new Set<string>()
  const events: FrictionEvent[] = []
  return {
    events,
    async write(batch) {
      for (const event of batch) {
        events.push(event)
        ids.add(event.id)
      }
    },
    has: (id) => ids.has(id),
  }
}
