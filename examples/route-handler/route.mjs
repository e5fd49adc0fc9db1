// A framework-style route handler for the collector: the file a framework maps to a URL
// (Next.js `app/e/route.js`, SvelteKit `+server.js`, Astro `pages/e.js`, Hono/Bun/Deno
// handlers) exports one web-standard function per HTTP method, Request in, Response out.
// `collector.handle` is exactly that, so the whole integration is three lines:
//
//   const collector = createCollector({ sink: createNdjsonSink({ dir: './.frictionlog' }) })
//   export const POST = collector.handle      // batches (fetch and sendBeacon)
//   export const OPTIONS = collector.handle   // CORS preflights (gzip or cross-origin fetch)
//
// The factory below does the same with the folder and allowed origins injectable (for tests).
import { createCollector, createNdjsonSink } from 'frictionlog/collector'

/** The route's handlers, storing NDJSON under `dir`. */
export function createRoute({ dir = process.env.FRICTIONLOG_DIR ?? './.frictionlog', allowedOrigins = '*' } = {}) {
  const collector = createCollector({ sink: createNdjsonSink({ dir }), allowedOrigins })
  return { POST: collector.handle, OPTIONS: collector.handle, collector }
}

export const { POST, OPTIONS } = createRoute()
