import { gzipSync } from 'node:zlib'

let counter = 0

/** A valid event of the wire format; `overrides` replace or add fields. */
export function makeEvent(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1
  return {
    id: `evt-${counter}-${Math.random().toString(36).slice(2, 10)}`,
    type: 'scroll',
    ts: 1_732_350_000_000 + counter,
    sessionId: 'sess-1',
    anonymousId: 'anon-1',
    pageId: 'page-1',
    url: 'https://shop.example/pricing?utm_source=x',
    context: {
      userAgent: 'test',
      language: 'en',
      timezone: 'UTC',
      viewport: { w: 1280, h: 720 },
      screen: { w: 1920, h: 1080 },
      deviceType: 'desktop',
      referrer: '',
      utm: {},
      experiments: {},
      sdk: { name: 'frictionlog', version: 'test' },
    },
    depthPct: 50,
    pageHeight: 3200,
    ...overrides,
  }
}

/** A batch envelope around `events`. */
export function makeBatch(events: unknown[]): Record<string, unknown> {
  return { v: 1, site: 'landing', sentAt: 1_732_350_000_000, events }
}

/** A POST request to the collector. */
export function post(body: BodyInit | null, headers: Record<string, string> = {}): Request {
  return new Request('http://collector.test/e', {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', ...headers },
    body,
  })
}

/** A POST of `batch` as JSON text. */
export function postBatch(batch: unknown, headers: Record<string, string> = {}): Request {
  return post(JSON.stringify(batch), headers)
}

/** A POST of `batch` as gzipped JSON. */
export function postGzip(batch: unknown, headers: Record<string, string> = {}): Request {
  return post(gzipSync(JSON.stringify(batch)), { 'content-encoding': 'gzip', ...headers })
}
