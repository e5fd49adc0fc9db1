import { batchEnvelopeSchema, type EventDefinitions, type FrictionEvent } from '../schema/index'
import { readBody } from './body'
import type { Dedupe } from './dedupe'
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
}

/** One event refused by the collector, as listed in the 200 response. */
export interface RejectedEvent {
  index: number
  id?: string
  reason: string
}

/** How long browsers may cache a preflight answer: a day, Chromium caps it at 2 h anyway. */
const PREFLIGHT_MAX_AGE_S = 86_400
/** Asked of clients after a sink failure; their own backoff still applies. */
const RETRY_AFTER_S = 5
/** `text/plain` is what sendBeacon sends (CORS-safelisted, no preflight); JSON for everyone else. */
const ACCEPTED_MEDIA_TYPES = new Set(['text/plain', 'application/json'])

/**
 * Builds the web-standard request handler: `Request` in, `Response` out, never a throw.
 * Batches go through body limits, JSON, the envelope, each event alone, then de-duplication
 * and the sink, one batch at a time.
 */
export function createHandle(config: HandleConfig): (request: Request) => Promise<Response> {
  const { sink, dedupe, stats } = config
  const isAnyOrigin = config.allowedOrigins === '*'
  const allowed = new Set(isAnyOrigin ? [] : config.allowedOrigins)

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

  const store = async (events: FrictionEvent[]) => {
    const fresh: FrictionEvent[] = []
    const inBatch = new Set<string>()
    for (const event of events) {
      const isDuplicate = inBatch.has(event.id) || dedupe.has(event.id) || (sink.has ? await sink.has(event.id) : false)
      if (!isDuplicate) fresh.push(event)
      inBatch.add(event.id)
    }
    if (fresh.length > 0) await sink.write(fresh)
    // Remembered only once stored: a failed write must not turn the client's retry into duplicates.
    for (const event of fresh) dedupe.add(event.id)
    return fresh
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

    const body = await readBody(request, config.maxBodyBytes)
    if (!body.ok) return reply(body.status, { error: body.reason })

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

    const valid: FrictionEvent[] = []
    const rejected: RejectedEvent[] = []
    envelope.data.events.forEach((raw, index) => {
      const check = validateEvent(raw, config.events)
      if (check.ok) valid.push(check.event)
      else rejected.push({ index, ...idOf(raw), reason: check.reason })
    })

    let stored: FrictionEvent[]
    try {
      stored = await serially(() => store(valid))
    } catch {
      return reply(503, { error: 'sink-unavailable' }, { 'retry-after': String(RETRY_AFTER_S) })
    }
    const duplicates = valid.length - stored.length
    stats.countBatch(stored.length, duplicates, rejected.map((r) => r.reason))
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
    try {
      cors = corsHeaders(request.headers.get('origin'))
      response = await route(request, cors)
    } catch {
      response = reply(500, { error: 'internal-error' })
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
