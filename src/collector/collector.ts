import type { EventDefinitions, FrictionEvent } from '../schema/index'
import { createDedupe } from './dedupe'
import { createHandle } from './handle'
import { listen, type ListenOptions, type Listening } from './listen'
import type { Sink } from './sink'
import { createQuota, type QuotaOptions } from './quota'
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
  /**
   * Sites (the SDK's `site` option) accepted; a batch of another site, or without one, gets 403
   * and counts as `refused['site-not-allowed']`. Every stored event carries its batch's `site`.
   * @default any site
   */
  sites?: readonly string[]
  /**
   * What one site may store per UTC day; events past it are rejected alone with the reason
   * `quota-exceeded` (answered 200, so the client does not retry them).
   * @default { bytesPerDay: 1 GiB, eventsPerDay: Infinity }
   */
  quota?: QuotaOptions
  /**
   * Requests handled at once (reading, validating or waiting for the sink); past it, 503 with
   * `Retry-After` before a byte of the body is read.
   * @default 256
   */
  maxConcurrentRequests?: number
  /**
   * Request body bytes held in memory by all requests at once, as sent and once inflated; a
   * request that would go past it gets 503 with `Retry-After` and its body is not read further.
   * @default 64 MiB
   */
  maxInFlightBytes?: number
  /**
   * A sink write not settled after this long answers 503 so the queue of batches moves on.
   * @default 30_000
   */
  sinkTimeoutMs?: number
  /**
   * Where operational problems go: a failing sink (one line when it starts failing, a reminder
   * a minute, one when it recovers).
   * @default console.error
   */
  log?: (line: string) => void
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
  /** Counters since start: batches, accepted, duplicates, rejected and refused by reason, requests by status. */
  stats(): CollectorStats
}

/** Default body limit: 1 MiB, 64 times the SDK's default batch of 16 KiB. */
export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024
/** Default id window: ~10 MB of memory, hours of retries at a busy site. */
export const DEFAULT_DEDUPE_WINDOW = 100_000
/** Default of `maxConcurrentRequests`. */
export const DEFAULT_MAX_CONCURRENT_REQUESTS = 256
/** Default of `maxInFlightBytes`: 64 bodies of the default maximum size. */
export const DEFAULT_MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024
/** Default of `sinkTimeoutMs`. */
export const DEFAULT_SINK_TIMEOUT_MS = 30_000
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
  const handlers = createHandle({
    sink: options.sink ?? createNdjsonSink({ dir: DEFAULT_DIR, dedupeWindow }),
    allowedOrigins: options.allowedOrigins ?? '*',
    maxBodyBytes,
    events: options.events,
    dedupe: createDedupe(dedupeWindow),
    stats,
    onEvents: options.onEvents,
    sites: options.sites,
    quota: createQuota(options.quota),
    maxConcurrentRequests: options.maxConcurrentRequests ?? DEFAULT_MAX_CONCURRENT_REQUESTS,
    // At least one gzip body at its limit, sent and inflated, must fit.
    maxInFlightBytes: Math.max(options.maxInFlightBytes ?? DEFAULT_MAX_IN_FLIGHT_BYTES, 2 * maxBodyBytes),
    sinkTimeoutMs: options.sinkTimeoutMs ?? DEFAULT_SINK_TIMEOUT_MS,
    log: options.log ?? ((line) => console.error(line)),
  })
  return {
    handle: handlers.handle,
    listen: (listenOptions) => listen(handlers, listenOptions),
    stats: () => stats.snapshot(),
  }
}
