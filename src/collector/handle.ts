import { batchEnvelopeSchema, type EventDefinitions, type FrictionEvent } from '../schema/index'
import { createByteBudget, readBody } from './body'
import type { Dedupe } from './dedupe'
import type { Quota } from './quota'
import type { Sink } from './sink'
import type { StatsRecorder } from './stats'
import { validateEvent } from './validate'

/** What the handler needs, resolved by `createCollector`. */
export interface HandleConfig {
  sink: Sink
  allowedOrigins: string[] | '*'
  maxBodyBytes: number
  events?: EventDefinitions
  dedupe: Dedupe
  stats: StatsRecorder
  onEvents?: (events: FrictionEvent[]) => void
  /** Sites accepted; a batch of another site (or none) gets 403. Undefined: any site. */
  sites?: readonly string[]
  /** Requests handled at once; past it, 503 with Retry-After before reading the body. */
  maxConcurrentRequests: number
  /** Body bytes held by all requests at once (raw and inflated); past it, 503 with Retry-After. */
  maxInFlightBytes: number
  /** A sink write that has not settled after this long answers 503 (the queue moves on). */
  sinkTimeoutMs: number
  quota: Quota
  /** Where operational problems are reported (sink failures and recovery). */
  log: (line: string) => void
}

/** One event refused by the collector, as listed in the 200 response. */
export interface RejectedEvent {
  index: number
  id?: string
  reason: string
}

/** How long browsers may cache a preflight answer: a day, Chromium caps it at 2 h anyway. */
const PREFLIGHT_MAX_AGE_S = 86_400
/** Asked of clients after a sink failure or past a capacity limit; their own backoff still applies. */
const RETRY_AFTER_S = 5
/** While the sink keeps failing, one reminder line per this long rather than one per batch. */
const SINK_LOG_INTERVAL_MS = 60_000
/** `text/plain` is what sendBeacon sends (CORS-safelisted, no preflight); JSON for everyone else. */
const ACCEPTED_MEDIA_TYPES = new Set(['text/plain', 'application/json'])

/**
 * Builds the web-standard request handler: `Request` in, `Response` out, never a throw.
 * Batches go through body limits, JSON, the envelope, each event alone, then de-duplication
 * and the sink, one batch at a time.
 */
export function createHandle(config: HandleConfig): (request: Request) => Promise<Response> {
  const { sink, dedupe, stats, quota, log } = config
  const isAnyOrigin = config.allowedOrigins === '*'
  const allowed = new Set(isAnyOrigin ? [] : config.allowedOrigins)
  const sites = config.sites ? new Set(config.sites) : undefined
  const budget = createByteBudget(config.maxInFlightBytes)
  let active = 0
  const unavailable = (reason: string) => {
    stats.countRefused(reason)
    return reply(503, { error: reason }, { 'retry-after': String(RETRY_AFTER_S) })
  }

  // Sink health, logged on change (and as a reminder while failing), never once per batch.
  let failingSince = 0
  let failedBatches = 0
  let lastLogAt = 0
  const sinkFailed = (error: unknown) => {
    failedBatches += 1
    const now = Date.now()
    if (failingSince === 0 || now - lastLogAt >= SINK_LOG_INTERVAL_MS) {
      if (failingSince === 0) failingSince = now
      lastLogAt = now
      const message = error instanceof Error ? error.message : String(error)
      log(
        `frictionlog collector: sink write failed (${failedBatches} batch(es) so far), answering 503 with ` +
          `Retry-After until it recovers: ${message.slice(0, 500)}`,
      )
    }
  }
  const sinkWorked = () => {
    if (failingSince === 0) return
    log(
      `frictionlog collector: sink recovered after ${Math.round((Date.now() - failingSince) / 1000)} s ` +
        `and ${failedBatches} refused batch(es)`,
    )
    failingSince = 0
    failedBatches = 0
  }
  const writeInTime = (events: FrictionEvent[]): Promise<void> => {
    const write = Promise.resolve().then(() => sink.write(events))
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<never>((_, reject) => {
      const message = `sink write did not settle within ${config.sinkTimeoutMs} ms`
      timer = setTimeout(() => reject(new Error(message)), config.sinkTimeoutMs)
    })
    // A write that lands after its timeout is stored: remember its ids so the client's retry is a duplicate.
    write.then(
      () => events.forEach((event) => dedupe.add(event.id)),
      () => {},
    )
    return Promise.race([write, timeout]).finally(() => clearTimeout(timer))
  }

  // Batches are checked against the window and stored one at a time, so a retry that races
  // its original cannot slip past the de-duplication of ids still being written.
  let queue: Promise<unknown> = Promise.resolve()
  const serially = <T>(task: () => Promise<T>): Promise<T> => {
    const run = queue.then(task, task)
    queue = run.catch(() => {})
    return run
  }

  const corsHeaders = (origin: string | null): Record<string, string> | undefined => {
    if (origin === null) return isAnyOrigin ? { 'access-control-allow-origin': '*' } : {}
    if (!isAnyOrigin && !allowed.has(origin)) return undefined
    return {
      'access-control-allow-origin': origin,
      vary: 'Origin',
      'access-control-allow-methods': 'POST, OPTIONS',
      'access-control-allow-headers': 'Content-Type, Content-Encoding',
      // Without this a browser hides Retry-After of a 429/503 from the SDK's backoff.
      'access-control-expose-headers': 'Retry-After',
      'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
    }
  }

  /** Stores the events not seen before, within the site's quota; returns them and those over quota. */
  const store = async (events: Array<{ event: FrictionEvent; chars: number }>, site: string) => {
    const fresh: FrictionEvent[] = []
    const taken: number[] = []
    const overQuota: FrictionEvent[] = []
    const inBatch = new Set<string>()
    for (const { event, chars } of events) {
      let isDuplicate = inBatch.has(event.id) || dedupe.has(event.id)
      if (!isDuplicate && sink.has) {
        // Awaited only when the sink answers with a promise: no microtask per event otherwise.
        const stored = sink.has(event.id)
        isDuplicate = typeof stored === 'boolean' ? stored : await stored
      }
      inBatch.add(event.id)
      if (isDuplicate) continue
      if (!quota.take(site, chars)) overQuota.push(event)
      else {
        fresh.push(event)
        taken.push(chars)
      }
    }
    try {
      if (fresh.length > 0) await writeInTime(fresh)
    } catch (error) {
      taken.forEach((chars) => quota.give(site, chars))
      sinkFailed(error)
      throw error
    }
    sinkWorked()
    // Remembered only once stored: a failed write must not turn the client's retry into duplicates.
    for (const event of fresh) dedupe.add(event.id)
    return { fresh, overQuota }
  }

  const route = async (request: Request, cors: Record<string, string> | undefined): Promise<Response> => {
    const origin = request.headers.get('origin')
    if (request.method === 'OPTIONS') {
      return cors ? new Response(null, { status: 204 }) : reply(403, { error: 'origin-not-allowed' })
    }
    if (request.method !== 'POST') return reply(405, { error: 'method-not-allowed' }, { allow: 'POST, OPTIONS' })
    // Simple requests (text/plain) skip the preflight, so the origin is enforced here too.
    if (origin !== null && !cors) return reply(403, { error: 'origin-not-allowed' })

    const mediaType = (request.headers.get('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (!ACCEPTED_MEDIA_TYPES.has(mediaType)) return reply(415, { error: 'unsupported-media-type' })

    const held = { bytes: 0 }
    try {
      return await ingest(request, held)
    } finally {
      budget.give(held.bytes)
    }
  }

  const ingest = async (request: Request, held: { bytes: number }): Promise<Response> => {
    const body = await readBody(request, config.maxBodyBytes, budget, held)
    if (!body.ok) return body.status === 503 ? unavailable(body.reason) : reply(body.status, { error: body.reason })

    let json: unknown
    try {
      json = JSON.parse(body.text)
    } catch {
      return reply(400, { error: 'malformed-json' })
    }
    const envelope = batchEnvelopeSchema.safeParse(json)
    if (!envelope.success) {
      const path = envelope.error.issues[0]?.path.map(String).join('.') || '(root)'
      return reply(400, { error: 'not-a-batch', reason: `invalid:${path}` })
    }

    const { site, sentAt } = envelope.data
    if (sites && (site === undefined || !sites.has(site))) {
      stats.countRefused('site-not-allowed')
      return reply(403, { error: 'site-not-allowed' })
    }

    const valid: Array<{ event: FrictionEvent; chars: number }> = []
    const rejected: RejectedEvent[] = []
    const options = { definitions: config.events, sentAt }
    envelope.data.events.forEach((raw, index) => {
      const check = validateEvent(raw, options)
      if (!check.ok) {
        rejected.push({ index, ...idOf(raw), reason: check.reason })
        return
      }
      // The batch's site on every stored event, whatever the event claimed.
      if (site === undefined) delete check.event.site
      else check.event.site = site
      valid.push({ event: check.event, chars: check.chars })
    })

    let outcome: { fresh: FrictionEvent[]; overQuota: FrictionEvent[] }
    try {
      outcome = await serially(() => store(valid, site ?? ''))
    } catch {
      return unavailable('sink-unavailable')
    }
    const stored = outcome.fresh
    if (outcome.overQuota.length > 0) {
      const indexOf = new Map(envelope.data.events.map((raw, index) => [idOf(raw).id, index]))
      for (const event of outcome.overQuota) {
        rejected.push({ index: indexOf.get(event.id) ?? -1, id: event.id, reason: 'quota-exceeded' })
      }
    }
    const duplicates = valid.length - stored.length - outcome.overQuota.length
    stats.countBatch(
      stored.length,
      duplicates,
      rejected.map((r) => r.reason),
    )
    if (stored.length > 0 && config.onEvents) {
      // The batch is stored: a throwing callback must not turn that into a failure and a retry.
      try {
        config.onEvents(stored)
      } catch {
        /* the callback's own problem */
      }
    }
    return reply(200, { accepted: stored.length, duplicates, rejected })
  }

  return async function handle(request: Request): Promise<Response> {
    let response: Response
    let cors: Record<string, string> | undefined
    active += 1
    try {
      cors = corsHeaders(request.headers.get('origin'))
      // Refused before anything is read: a flood of requests costs a counter each, not memory.
      response =
        active > config.maxConcurrentRequests && request.method === 'POST'
          ? unavailable('over-capacity')
          : await route(request, cors)
    } catch {
      response = reply(500, { error: 'internal-error' })
    } finally {
      active -= 1
    }
    for (const [name, value] of Object.entries(cors ?? {})) response.headers.set(name, value)
    stats.countRequest(response.status)
    return response
  }
}

function reply(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  })
}

function idOf(raw: unknown): { id?: string } {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'string' ? { id: id.slice(0, 64) } : {}
}
