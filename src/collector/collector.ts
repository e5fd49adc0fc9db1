import type { EventDefinitions, FrictionEvent } from '../schema/index'
import { createDedupe } from './dedupe'
import { createHandle } from './handle'
import { listen, type ListenOptions, type Listening } from './listen'
import type { Sink } from './sink'
import { createNdjsonSink } from './sinks/ndjson'
import { createStats, type CollectorStats } from './stats'

/** Options of {@link createCollector}. */
export interface CollectorOptions {
  /**
   * Where accepted events go.
   * @default createNdjsonSink({ dir: './.frictionlog' })
   */
  sink?: Sink
  /**
   * Origins allowed to send batches from a browser; others get 403 (preflight and POST).
   * Requests without an `Origin` header (servers, curl) are always allowed.
   * @default '*'
   */
  allowedOrigins?: string[] | '*'
  /**
   * Largest body accepted, in bytes, both as sent and after gzip decompression.
   * @default 1_048_576 (1 MiB)
   */
  maxBodyBytes?: number
  /** Custom event definitions from `defineEvents()`: `track` props are validated by name. */
  events?: EventDefinitions
  /**
   * How many recent event ids are remembered to drop duplicates.
   * @default 100_000
   */
  dedupeWindow?: number
  /** Called with the events of each batch once they are stored (e.g. to print them). */
  onEvents?: (events: FrictionEvent[]) => void
}

/** A running collector: a web-standard handler plus a Node server helper. */
export interface Collector {
  /**
   * Answers one request; never throws. Already bound, so it can be passed around as is.
   * @example
   * export const POST = collector.handle
   */
  handle(request: Request): Promise<Response>
  /**
   * Serves `handle` over Node's `http` module (Node only).
   * @default { port: 8787, host: '127.0.0.1' } — port 0 picks a free port.
   */
  listen(options?: ListenOptions): Promise<Listening>
  /** Counters since start: batches, accepted, duplicates, rejected by reason, requests by status. */
  stats(): CollectorStats
}

/** Default body limit: 1 MiB, 64 times the SDK's default batch of 16 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** Default id window: ~10 MB of memory, hours of retries at a busy site. */
export const DEFAULT_DEDUPE_WINDOW = 100_000
/** Where the default sink writes, relative to the working directory. */
export const DEFAULT_DIR = './.frictionlog'

/**
 * Creates the reference collector: validates batches against `frictionlog/schema`, keeps the
 * good events of a batch and counts why the others were rejected, drops duplicate ids, and
 * stores the rest in a sink.
 *
 * @example
 * const collector = createCollector({ allowedOrigins: ['https://example.com'] })
 * const { url } = await collector.listen({ port: 8787 })
 */
export function createCollector(options: CollectorOptions = {}): Collector {
  const stats = createStats()
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES
  const dedupeWindow = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW
  const handle = createHandle({
    sink: options.sink ?? createNdjsonSink({ dir: DEFAULT_DIR, dedupeWindow }),
    allowedOrigins: options.allowedOrigins ?? '*',
    maxBodyBytes,
    events: options.events,
    dedupe: createDedupe(dedupeWindow),
    stats,
    onEvents: options.onEvents,
  })
  return {
    handle,
    listen: (listenOptions) => listen(handle, listenOptions),
    stats: () => stats.snapshot(),
  }
}
