import type { EventDefinitions, FrictionEvent } from '../schema/index'
import { createByteBudget, readBody, requestSource, type BodySource } from './body'
import { checkEnvelope } from './checkEnvelope'
import { createCommitter, type CheckedEvent, type CommitOutcome } from './commit'
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

/** A request as the ingest code reads it: a fetch `Request`, or Node's `IncomingMessage` without the conversion. */
export interface IngestRequest extends BodySource {
  method: string
}

/** An answer of the ingest code: always a small JSON text (or none), never a stream. */
export interface IngestReply {
  status: number
  /** Often shared by every answer of its kind (built once per origin): read it, never change it. */
  headers: Readonly<Record<string, string>>
  body: string | null
}

/** The collector's two entry points over one ingest path. */
export interface Handlers {
  /** The web-standard handler: `Request` in, `Response` out, never a throw. */
  handle: (request: Request) => Promise<Response>
  /** The same, for servers that can hand over the request's parts without building a `Request` (listen.ts). */
  ingest: (request: IngestRequest) => Promise<IngestReply>
}

/** How long browsers may cache a preflight answer: a day, Chromium caps it at 2 h anyway. */
const PREFLIGHT_MAX_AGE_S = 86_400
/** Asked of clients after a sink failure or past a capacity limit; their own backoff still applies. */
const RETRY_AFTER_S = 5
/** `text/plain` is what sendBeacon sends (CORS-safelisted, no preflight); JSON for everyone else. */
const ACCEPTED_MEDIA_TYPES = new Set(['text/plain', 'application/json'])
/** The CORS headers of an origin's answers: on every answer, and on a preflight's. */
interface Cors {
  answer: Record<string, string>
  preflight: Record<string, string>
  /** JSON_HEADERS then `answer`: the whole header set of most answers (every 200), built once. */
  json: Readonly<Record<string, string>>
}
/** The headers of every JSON answer; shared (never changed), so `ingest` can tell a plain JSON answer by identity. */
const JSON_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
}
const corsOf = (answer: Record<string, string>, preflight: Record<string, string>): Cors => ({
  answer,
  preflight,
  json: { ...JSON_HEADERS, ...answer },
})
/** No Origin header and a list of origins: no CORS header at all (a server, curl). */
const NO_CORS: Cors = corsOf({}, {})

/**
 * Builds the request handlers. Batches go through body limits, JSON, the envelope, each event
 * alone, then de-duplication and the sink, where the batches of concurrent requests are written
 * together (commit.ts).
 */
export function createHandle(config: HandleConfig): Handlers {
  const { stats } = config
  const isAnyOrigin = config.allowedOrigins === '*'
  const allowed = new Set(isAnyOrigin ? [] : config.allowedOrigins)
  const sites = config.sites ? new Set(config.sites) : undefined
  const budget = createByteBudget(config.maxInFlightBytes)
  const commit = createCommitter(config)
  let active = 0
  const unavailable = (reason: string) => {
    stats.countRefused(reason)
    return reply(503, { error: reason }, { 'retry-after': String(RETRY_AFTER_S) })
  }

  // The answers' CORS headers, built once per allowed origin rather than once per request.
  // The methods, headers and max-age are read by browsers from a preflight's answer only: every
  // other answer carries just what the page needs to read it (and its Retry-After).
  const anyOrigin = { 'access-control-allow-origin': '*' }
  const corsOfAny = corsOf(anyOrigin, anyOrigin)
  const corsByOrigin = new Map<string, Cors>()
  const corsHeaders = (origin: string | null): Cors | undefined => {
    if (origin === null) return isAnyOrigin ? corsOfAny : NO_CORS
    if (!isAnyOrigin && !allowed.has(origin)) return undefined
    let cors = corsByOrigin.get(origin)
    if (!cors) {
      const answer = {
        'access-control-allow-origin': origin,
        vary: 'Origin',
        // Without this a browser hides Retry-After of a 429/503 from the SDK's backoff.
        'access-control-expose-headers': 'Retry-After',
      }
      const preflight = {
        ...answer,
        'access-control-allow-methods': 'POST, OPTIONS',
        'access-control-allow-headers': 'Content-Type, Content-Encoding',
        'access-control-max-age': String(PREFLIGHT_MAX_AGE_S),
      }
      cors = corsOf(answer, preflight)
      // Any origin is allowed with '*': bounded, so a client inventing origins cannot grow it.
      if (corsByOrigin.size < 1000) corsByOrigin.set(origin, cors)
    }
    return cors
  }

  const route = async (request: IngestRequest, cors: Cors | undefined): Promise<IngestReply> => {
    const origin = request.header('origin')
    if (request.method === 'OPTIONS') {
      return cors ? { status: 204, headers: {}, body: null } : reply(403, { error: 'origin-not-allowed' })
    }
    if (request.method !== 'POST') return reply(405, { error: 'method-not-allowed' }, { allow: 'POST, OPTIONS' })
    // Simple requests (text/plain) skip the preflight, so the origin is enforced here too.
    if (origin !== null && !cors) return reply(403, { error: 'origin-not-allowed' })

    const mediaType = (request.header('content-type') ?? '').split(';')[0].trim().toLowerCase()
    if (!ACCEPTED_MEDIA_TYPES.has(mediaType)) return reply(415, { error: 'unsupported-media-type' })

    const held = { bytes: 0 }
    try {
      return await ingestBody(request, held)
    } finally {
      budget.give(held.bytes)
    }
  }

  const ingestBody = async (request: IngestRequest, held: { bytes: number }): Promise<IngestReply> => {
    const body = await readBody(request, config.maxBodyBytes, budget, held)
    if (!body.ok) return body.status === 503 ? unavailable(body.reason) : reply(body.status, { error: body.reason })

    let json: unknown
    try {
      json = JSON.parse(body.text)
    } catch {
      return reply(400, { error: 'malformed-json' })
    }
    const envelope = checkEnvelope(json)
    if (!envelope.ok) return reply(400, { error: 'not-a-batch', reason: `invalid:${envelope.path}` })

    const { site, sentAt, events } = envelope.envelope
    if (sites && (site === undefined || !sites.has(site))) {
      stats.countRefused('site-not-allowed')
      return reply(403, { error: 'site-not-allowed' })
    }

    const valid: CheckedEvent[] = []
    const rejected: RejectedEvent[] = []
    const options = { definitions: config.events, sentAt }
    for (let index = 0; index < events.length; index += 1) {
      const raw = events[index]
      const check = validateEvent(raw, options)
      if (!check.ok) {
        rejected.push({ index, ...idOf(raw), reason: check.reason })
        continue
      }
      // The batch's site on every stored event, whatever the event claimed.
      if (site === undefined) delete check.event.site
      else check.event.site = site
      valid.push({ event: check.event, chars: check.chars })
    }

    let outcome: CommitOutcome
    try {
      outcome = await commit(valid, site ?? '')
    } catch {
      return unavailable('sink-unavailable')
    }
    const stored = outcome.fresh
    if (outcome.overQuota.length > 0) {
      const indexOf = new Map(events.map((raw, index) => [idOf(raw).id, index]))
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

  const ingest = async (request: IngestRequest): Promise<IngestReply> => {
    let answer: IngestReply
    let cors: Cors | undefined
    active += 1
    try {
      cors = corsHeaders(request.header('origin'))
      // Refused before anything is read: a flood of requests costs a counter each, not memory.
      answer =
        active > config.maxConcurrentRequests && request.method === 'POST'
          ? unavailable('over-capacity')
          : await route(request, cors)
    } catch {
      answer = reply(500, { error: 'internal-error' })
    } finally {
      active -= 1
    }
    if (cors) {
      const isPreflight = request.method === 'OPTIONS'
      // A plain JSON answer (every 200) takes the origin's prebuilt set: no object built and merged per request.
      answer.headers =
        answer.headers === JSON_HEADERS && !isPreflight
          ? cors.json
          : { ...answer.headers, ...(isPreflight ? cors.preflight : cors.answer) }
    }
    stats.countRequest(answer.status)
    return answer
  }

  return {
    ingest,
    async handle(request) {
      const answer = await ingest(requestSource(request))
      return new Response(answer.body, { status: answer.status, headers: answer.headers })
    },
  }
}

function reply(status: number, body: unknown, headers?: Record<string, string>): IngestReply {
  return {
    status,
    headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS,
    body: JSON.stringify(body),
  }
}

function idOf(raw: unknown): { id?: string } {
  const id = typeof raw === 'object' && raw !== null ? (raw as { id?: unknown }).id : undefined
  return typeof id === 'string' ? { id: id.slice(0, 64) } : {}
}
