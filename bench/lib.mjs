// Shared plumbing of the benchmarks: statistics, tables (terminal and Markdown), the browser
// launch (the e2e suite's flags), a static server for bench/pages and a recording endpoint
// that forwards frictionlog batches to the real collector and answers the peers itself.
/* global navigator, Navigator, URLSearchParams -- navigator inside page callbacks; URLSearchParams is a Node global */
import { spawn } from 'node:child_process'
import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest } from 'node:http'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gunzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../scripts/chromium.mjs'
import { serveStatic } from '../scripts/staticServer.mjs'

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/**
 * Bundles TypeScript sources for Node with esbuild (a tsup dependency) into `outfile`: `modules`
 * maps each export name to the file under `root` that exports it. The bench reads sources that
 * are not public exports (the test generator, the sink's row), so it cannot import the build.
 */
export const bundleForNode = async (outfile, modules, root = ROOT) => {
  const entry = outfile.replace(/\.mjs$/, '') + '.entry.mjs'
  const lines = Object.entries(modules).map(
    ([name, file]) => `export { ${name} } from ${JSON.stringify(join(root, file))}`,
  )
  writeFileSync(entry, lines.join('\n'))
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
    define: { __FL_VERSION__: '"bench"' },
    logLevel: 'error',
  })
  return outfile
}
export const TMP = join(ROOT, 'bench/.tmp')
export const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

export const ensureTmp = (sub = '') => {
  const dir = join(TMP, sub)
  mkdirSync(dir, { recursive: true })
  return dir
}

/**
 * Runs `node ...args` (Node's own flags, then a script and its arguments) with stdout piped and
 * stderr shown, and resolves the JSON of the last line it printed: how a bench script reports
 * what it measured in a process of its own. Rejects on a non-zero exit.
 */
export const runJsonChild = (args, { cwd } = {}) =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] })
    let out = ''
    child.stdout.on('data', (chunk) => (out += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`node ${args.join(' ')} exited ${code}`))
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()))
      } catch (error) {
        reject(error)
      }
    })
  })

// ---------------------------------------------------------------------------- statistics

export const median = (values) => {
  const sorted = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b)
  if (!sorted.length) return NaN
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}
/** Smallest and largest finite value, rounded: the spread shown beside a median. */
export const range = (values, digits = 1) => {
  const finite = values.filter((value) => Number.isFinite(value))
  return finite.length ? [round(Math.min(...finite), digits), round(Math.max(...finite), digits)] : null
}
/** `median (min…max)` for a table cell; the median alone when there is one value. */
export const withRange = (median, spread) =>
  spread && spread[0] !== spread[1] ? `${median} (${spread[0]}…${spread[1]})` : median
export const round = (value, digits = 1) =>
  Number.isFinite(value) ? Math.round(value * 10 ** digits) / 10 ** digits : null
export const kb = (bytes) => (bytes / 1024).toFixed(2)

// ---------------------------------------------------------------------------- tables

const cell = (value) => (value === null || value === undefined || Number.isNaN(value) ? 'n/a' : String(value))

/** A fixed-width text table for the terminal. */
export const textTable = (title, headers, rows) => {
  const all = [headers, ...rows].map((row) => row.map(cell))
  const widths = headers.map((_, i) => Math.max(...all.map((row) => row[i].length)))
  const line = (row) =>
    row.map((value, i) => (i === 0 ? value.padEnd(widths[i]) : value.padStart(widths[i]))).join('  ')
  return [`\n${title}`, line(all[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...all.slice(1).map(line)].join('\n')
}

/** The same table in Markdown, numbers right-aligned. */
export const markdownTable = (headers, rows) => {
  const escape = (value) => cell(value).replace(/\|/g, '\\|')
  return [
    `| ${headers.map(escape).join(' | ')} |`,
    `|${headers.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`,
    ...rows.map((row) => `| ${row.map(escape).join(' | ')} |`),
  ].join('\n')
}

// ---------------------------------------------------------------------------- browser

// Exactly the e2e suite's Chromium and flags.
export { CHROMIUM_ARGS, CHROMIUM_PATH }

/**
 * Starts what a browser section runs on, in `work`: the real collector, the recording endpoint in
 * front of it, the pages' server and Chromium. `sdkTag(recorder)` gives the pages' tag function
 * (it needs the recorder's origin as the endpoint). Closed by {@link closeRig}.
 */
export const startRig = async (work, sdkTag) => {
  const collector = await startCollector(join(work, 'store'))
  const recorder = await startRecorder({ upstream: collector })
  const server = await startStaticServer({ sdkTag: sdkTag(recorder) })
  const chromium = await launchChromium()
  return { collector, recorder, server, chromium, work }
}

/**
 * The `sdkTag` argument of {@link startRig} for a map of configuration name → tag maker (given
 * the endpoint); an unknown configuration gets `baseline`'s.
 */
export const tagsOf =
  (configs) =>
  (recorder) =>
  ({ sdk }) =>
    (configs[sdk] ?? configs.baseline)(recorder.origin)

/** Closes what a bench section started: its browser, servers and temporary folder. */
export const closeRig = async ({ chromium, server, recorder, collector, work }) => {
  await chromium.browser.close()
  await server.close()
  await recorder.close()
  await collector.close()
  rmSync(work, { recursive: true, force: true })
}

/**
 * Launches Chromium (playwright-core, the system binary, a fresh temporary profile). Each
 * session then gets its own context: fresh storage, so no outbox or cookie leaks between runs.
 */
export const launchChromium = async () => {
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  // Headless Chromium says "HeadlessChrome" and navigator.webdriver = true; some SDKs drop
  // such traffic as bots (posthog-js, Plausible), which would make them look cheaper than
  // they are for real visitors. Every configuration, baseline included, gets a normal UA.
  const probe = await browser.newPage()
  const userAgent = (await probe.evaluate(() => navigator.userAgent)).replace('HeadlessChrome', 'Chrome')
  await probe.close()
  return {
    browser,
    version: browser.version(),
    userAgent,
    newContext: async () => {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent })
      await context.addInitScript(() =>
        Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false, configurable: true }),
      )
      return context
    },
  }
}

/** Closes the tab as a user does: unload runs, so `pagehide` and `visibilitychange` fire. */
export const closePage = async (page) => {
  const closed = new Promise((done) => page.once('close', () => done()))
  await page.close({ runBeforeUnload: true })
  await closed
}

// ---------------------------------------------------------------------------- servers

/**
 * Serves bench/pages, the script tag files of dist/ at the root (as a CDN would), the
 * peers' bundles under /peers/ and the per-plugin frictionlog bundles under /fl/. An HTML
 * page may hold `<!--SDK-->`: `sdkTag(query)` returns
 * the markup put there, so each configuration is the same page with a different tag.
 */
export const startStaticServer = async ({ sdkTag = () => '' } = {}) => {
  const { url, close } = await serveStatic(
    { '/peers/': join(TMP, 'peers'), '/fl/': join(TMP, 'fl'), '/': join(ROOT, 'bench/pages') },
    {
      port: 0,
      files: Object.fromEntries(
        ['frictionlog.global.js', 'frictionlog.replay.js'].map((name) => ['/' + name, join(ROOT, 'dist', name)]),
      ),
      // SPA routes (history.pushState) reload to the landing page, as a real SPA server does.
      fallbacks: { '/': join(ROOT, 'bench/pages/landing.html') },
      html: (text, pageUrl) => text.replace('<!--SDK-->', sdkTag(Object.fromEntries(pageUrl.searchParams))),
    },
  )
  return { origin: url, close }
}

/**
 * Counts the events in a request body, whatever the SDK's format: JSON (an array, `{batch}`,
 * `{events}`, one object), `data=` form bodies with base64 or JSON (Mixpanel, PostHog's
 * `compression=base64`), gzip. Best effort: `null` when the body cannot be read.
 */
export const countEvents = (buffer, encoding, path) => {
  let body = buffer
  try {
    if (encoding === 'gzip' || /compression=gzip/.test(path) || (body[0] === 0x1f && body[1] === 0x8b))
      body = gunzipSync(body)
  } catch {
    return { events: null, decodedBytes: buffer.length }
  }
  const decodedBytes = body.length
  const fromJson = (text) => {
    const value = JSON.parse(text)
    if (Array.isArray(value)) return value.length
    if (Array.isArray(value?.batch)) return value.batch.length
    if (Array.isArray(value?.events)) return value.events.length
    return value && typeof value === 'object' ? 1 : null
  }
  const text = body.toString('utf8')
  try {
    return { events: fromJson(text), decodedBytes }
  } catch {
    // Not JSON: maybe a form body.
  }
  try {
    const data = new URLSearchParams(text).get('data') ?? new URL(path, 'http://x').searchParams.get('data')
    if (data) {
      try {
        return { events: fromJson(data), decodedBytes }
      } catch {
        return { events: fromJson(Buffer.from(data, 'base64').toString('utf8')), decodedBytes }
      }
    }
  } catch {
    // Neither: counted as unknown.
  }
  return { events: null, decodedBytes }
}

/**
 * A recording endpoint on 127.0.0.1: every request is logged (path, wire bytes, encoding,
 * events), POSTs to `/e` are forwarded to `upstream` (the real frictionlog collector), the
 * rest is answered here: CORS for any origin with credentials, 200 with a body every peer
 * reads as success; scripts the peers try to lazy-load from it get a 404, as from an
 * unreachable CDN. `setFault('abort')` destroys the sockets of every request until healed.
 */
export const startRecorder = async ({ upstream } = {}) => {
  const requests = []
  let fault = null
  const server = createServer((req, res) => {
    const chunks = []
    req.on('data', (chunk) => chunks.push(chunk))
    req.on('error', () => {})
    res.on('error', () => {})
    req.on('end', () => {
      const body = Buffer.concat(chunks)
      const path = req.url ?? '/'
      // A page-exit beacon cannot set Content-Encoding: the SDK marks its gzip with ?enc=gzip.
      const encoding = req.headers['content-encoding'] ?? (/[?&]enc=gzip(&|$)/.test(req.url ?? '') ? 'gzip' : undefined)
      const record = {
        at: Date.now(),
        method: req.method,
        path,
        bytes: body.length,
        contentEncoding: encoding ?? null,
        contentType: req.headers['content-type'] ?? null,
        outcome: 'aborted',
      }
      if (req.method === 'POST' || (req.method === 'GET' && body.length === 0 && /[?&]data=/.test(path))) {
        Object.assign(record, countEvents(body, encoding, path))
        if (upstream && path.startsWith('/e')) {
          try {
            const text = (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8')
            record.ids = JSON.parse(text).events.map((event) => event.id)
          } catch {
            // A malformed body: the collector answers it; no ids to record.
          }
        }
      }
      requests.push(record)
      if (fault === 'abort') return void req.socket.destroy()
      const origin = req.headers.origin
      const cors = origin
        ? {
            'access-control-allow-origin': origin,
            'access-control-allow-credentials': 'true',
            'access-control-allow-methods': 'GET, POST, OPTIONS',
            'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type',
            'access-control-max-age': '600',
            vary: 'Origin',
          }
        : {}
      if (upstream && path.startsWith('/e')) {
        const forward = httpRequest(
          { host: '127.0.0.1', port: upstream.port, method: req.method, path, headers: req.headers },
          (answer) => {
            record.outcome = answer.statusCode
            res.writeHead(answer.statusCode ?? 502, answer.headers)
            answer.pipe(res)
          },
        )
        forward.on('error', () => res.destroy())
        return void forward.end(body)
      }
      if (req.method === 'OPTIONS') {
        record.outcome = 204
        return void res.writeHead(204, cors).end()
      }
      if (/\.(js|css)(\?|$)/.test(path) || path.startsWith('/static/')) {
        record.outcome = 404
        return void res.writeHead(404, { ...cors, 'content-type': 'text/plain' }).end('not found')
      }
      record.outcome = 200
      res.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(
        JSON.stringify({
          status: 1,
          error: null,
          code: 200,
          events_ingested: record.events ?? 1,
          payload_size_bytes: body.length,
          server_upload_time: Date.now(),
        }),
      )
    })
  })
  await new Promise((done) => server.listen(0, '127.0.0.1', done))
  const port = server.address().port
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    requests,
    setFault: (next) => (fault = next),
    reset: () => (requests.length = 0),
    close: () =>
      new Promise((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}

/** The real collector from the build, NDJSON sink in a temp dir, on a free loopback port. */
export const startCollector = async (dir) => {
  const { createCollector, createNdjsonSink, readNdjson } = await import(join(ROOT, 'dist/collector/index.js'))
  const collector = createCollector({ sink: createNdjsonSink({ dir }), allowedOrigins: '*' })
  const listening = await collector.listen({ port: 0, host: '127.0.0.1' })
  return {
    port: listening.port,
    stats: () => collector.stats(),
    readEvents: async () => {
      const events = []
      for await (const event of readNdjson(dir)) events.push(event)
      return events
    },
    close: () => listening.close(),
  }
}
