import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser, type Browser } from './browser'
import { startCollector, type TestCollector } from './collector'
import { startStaticServer, type StaticServer } from './server'
import { deliveryReport, openPage, type Mode } from './page'

/** The maxBytes default: no request body may exceed it (docs/wire-format.md: a quarter of the 64 KiB quota). */
export const MAX_BATCH_BYTES = 16_384

export interface Suite {
  browser: Browser
  server: StaticServer
  collector: TestCollector
  /** Opens `pages/<name>.html` in `mode`, sending to the collector, as site `site`. */
  open(mode: Mode, site: string, query?: Record<string, string | number>, pageName?: string): Promise<Page>
}

let runs = 0
/** A fresh scenario id: events carry it in `props.run`, and it names the `site` (own outbox). */
export const newRun = (label: string): string => `${label}-${Date.now().toString(36)}-${++runs}`

/**
 * One browser, one static server and one collector per test file; every test heals the
 * collector afterwards and checks that no request body went over the batch limit.
 */
export const useSuite = (): Suite => {
  const suite = {} as Suite
  beforeAll(async () => {
    suite.server = await startStaticServer()
    // Only the pages' origin may send, so CORS is exercised for real (another port = another origin).
    suite.collector = await startCollector({ allowedOrigins: [suite.server.origin] })
    suite.browser = await launchBrowser()
    suite.open = (mode, site, query = {}, pageName = 'delivery') =>
      openPage(suite.browser, suite.server.origin, mode, pageName, {
        endpoint: suite.collector.endpoint,
        site,
        ...query,
      })
  })
  afterEach(async () => {
    suite.collector.setFault(null)
    for (const page of suite.browser.context.pages()) await page.close().catch(() => {})
  })
  afterEach(() => {
    const oversized = suite.collector.requests.filter((request) => request.decodedBytes > MAX_BATCH_BYTES)
    expect(
      oversized.map((request) => request.decodedBytes),
      'request bodies over 16 KiB',
    ).toEqual([])
  })
  afterAll(async () => {
    await suite.browser?.close()
    await suite.collector?.close()
    await suite.server?.close()
  })
  return suite
}

/** Waits until all `expected` events of `run` are stored, then a little longer, and asserts exactly once. */
export const expectExactlyOnce = async (
  collector: TestCollector,
  run: string,
  expected: number,
  timeoutMs = 20_000,
) => {
  await collector
    .waitForEvents((events) => deliveryReport(events, run, expected).missing.length === 0, timeoutMs)
    .catch(async (error: Error) => {
      const events = await collector.readEvents()
      const report = deliveryReport(events, run, expected)
      const posts = collector.requests
        .filter((request) => request.site === run || (request.method === 'OPTIONS' && request.at))
        .map(
          (request) =>
            `${request.method} ${request.contentEncoding ?? 'plain'} ${request.bytes}B ${request.events}ev → ` +
            `${request.outcome}`,
        )
      const health = events.filter((event) => event.type === 'sdk_health' && event.url.includes(run))
      throw new Error(
        `${error.message}\n${run}: ${report.stored}/${expected} stored, missing ${JSON.stringify(report.missing)}\n` +
          `requests:\n  ${posts.join('\n  ')}\nsdk_health: ` +
          `${JSON.stringify(health.map((event) => ('dropped' in event ? event : event)))}`,
      )
    })
  // Late duplicates (a retry racing a beacon) would land shortly after: give them the chance.
  await new Promise((done) => setTimeout(done, 300))
  const report = deliveryReport(await collector.readEvents(), run, expected)
  expect(report).toEqual({ stored: expected, uniqueIds: expected, missing: [], repeated: [] })
  return report
}

/** POSTs of one site that reached the proxy. */
export const postsOf = (collector: TestCollector, site: string) =>
  collector.requests.filter((request) => request.method === 'POST' && request.site === site)
