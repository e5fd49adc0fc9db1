// The demo's two servers, importable (the e2e suite and `--simulate` start them on any port):
// the reference collector (NDJSON sink) and the static server for examples/, dist/ and the two
// packages the ESM build imports bare (nanoid, web-vitals), which the examples' import maps
// point at.
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createClickhouseSink, createCollector, createDashboard, createNdjsonSink } from '../dist/collector/index.js'
import { serveStatic } from './staticServer.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** URL prefix → folder served by the demo's static server. */
export const DEMO_MOUNTS = {
  '/': join(ROOT, 'examples'),
  '/dist/': join(ROOT, 'dist'),
  '/node_modules/nanoid/': join(ROOT, 'node_modules/nanoid'),
  '/node_modules/web-vitals/': join(ROOT, 'node_modules/web-vitals'),
}

/** Deep links of the single-page example (/spa/pricing) are answered with its index.html. */
export const DEMO_FALLBACKS = { '/spa/': join(ROOT, 'examples/spa/index.html') }

/** Serves the examples on `host:port` (0 = a free port); resolves to `{ server, url }`. */
export const serveExamples = ({ port = 8080, host = '127.0.0.1' } = {}) =>
  serveStatic(DEMO_MOUNTS, { port, host, fallbacks: DEMO_FALLBACKS })

/**
 * Starts the collector (NDJSON files under `dir`, or ClickHouse at `clickhouse`) with its
 * dashboard, and the examples' server. `onEvents(events)` sees every accepted batch. Resolves
 * to the URLs and a `close()`.
 */
export async function startDemo({
  port = 8787,
  pagesPort = 8080,
  host = '127.0.0.1',
  dir = './.frictionlog',
  onEvents,
  clickhouse,
} = {}) {
  const sink = clickhouse ? createClickhouseSink({ url: clickhouse }) : createNdjsonSink({ dir })
  const collector = createCollector({ sink, onEvents })
  // The dashboard reads where the collector writes.
  const dashboard = createDashboard(clickhouse ? { clickhouse: { url: clickhouse } } : { dir })
  const listening = await collector.listen({ port, host, handlers: [dashboard.handle] })
  let pages
  try {
    pages = await serveExamples({ port: pagesPort, host })
  } catch (error) {
    await listening.close()
    throw error
  }
  return {
    collector,
    endpoint: `${listening.url}/e`,
    dashboardUrl: `${listening.url}/`,
    pagesUrl: pages.url,
    dir,
    async close() {
      await new Promise((done) => {
        pages.server.close(() => done())
        pages.server.closeAllConnections()
      })
      await listening.close()
      await dashboard.close()
      await sink.close?.()
    },
  }
}
