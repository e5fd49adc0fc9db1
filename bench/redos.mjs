// Pathological inputs for the scrubbers and the stack parser (client-side ReDoS): each input
// is run through the function that meets it in the page (scrubUrl for URLs, trimText for
// captured text, parseStack for error.stack), median of RUNS calls, in Node. The functions are
// bundled by esbuild from src/lib (they are internal, not exported by dist/index.js).
// `node bench/redos.mjs [--compare <git-ref>] [--no-browser]` prints the tables; --compare also
// times the same inputs on that ref's src/lib (slow on a quadratic one: 10+ s per input, run
// once each); a second table loads the script tag in Chromium with the crafted page URL.
// Part of `npm run bench` (section `redos`). Numbers are what this machine measured; never
// asserted in tests (the unit tests assert the outputs on the same inputs).
/* global window, PerformanceObserver -- inside page callbacks, which run in the page */
import { execFileSync } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { ensureTmp, launchChromium, markdownTable, median, ROOT, round, textTable } from './lib.mjs'

/** Goal per call, in ms: well under one frame, whatever the input. */
export const GOAL_MS = 16
const RUNS = 5
const FILES = ['scrubUrl', 'scrubText', 'stack', 'text']

const frames = (count) =>
  Array.from({ length: count }, (_, i) => `    at f${i} (https://a.example/a.js:${i}:1)`).join('\n')

/** [function, input name, input]: the shapes that were quadratic, and their neighbours. */
export const INPUTS = [
  ['scrubUrl', "'#' + '%40' x 60,000 (the page URL at load)", 'https://a.example/p#' + '%40'.repeat(60_000)],
  ['scrubUrl', "'?' + 'k=v&' x 20,000", 'https://a.example/p?' + 'k=v&'.repeat(20_000)],
  ['scrubUrl', "'?' + 'token=x&' x 20,000", 'https://a.example/p?' + 'token=x&'.repeat(20_000)],
  ['scrubUrl', "'a' x 100,000 + '@'", 'https://a.example/' + 'a'.repeat(100_000) + '@'],
  ['scrubUrl', "'@' x 100,000", '@'.repeat(100_000)],
  ['scrubUrl', "'?next=' + '%3F' x 30,000", 'https://a.example/p?next=' + '%3F'.repeat(30_000)],
  ['trimText', "' (' x 40,000", ' ('.repeat(40_000)],
  ['trimText', "'%40' x 60,000", '%40'.repeat(60_000)],
  ['trimText', "'a' x 100,000 + '@'", 'a'.repeat(100_000) + '@'],
  ['trimText', "'4' x 100,000", '4'.repeat(100_000)],
  ['trimText', "'eyJ' x 30,000", 'eyJ'.repeat(30_000)],
  ['trimText', `'"a":"' x 20,000`, '"a":"'.repeat(20_000)],
  ['trimText', "'token=' x 20,000", 'token='.repeat(20_000)],
  ['parseStack', "message ' (' x 40,000 + 10 frames", 'Error: ' + ' ('.repeat(40_000) + '\n' + frames(10)],
  ['parseStack', "frame 'at' + ' (' x 40,000 + ')'", '    at' + ' ('.repeat(40_000) + ')'],
  ['parseStack', "frame 'at' + ' (' x 40,000, unclosed", '    at' + ' ('.repeat(40_000)],
  ['parseStack', "Firefox line ':' x 100,000", ':'.repeat(100_000)],
  ['parseStack', "Firefox line 'f' + '@' x 100,000", 'f' + '@'.repeat(100_000)],
  [
    'parseStack',
    "nested 'eval at f (' x 10,000",
    '    at ' + 'eval at f ('.repeat(10_000) + 'https://a/a.js:1:2' + ')'.repeat(10_000),
  ],
  ['parseStack', '100,000 frame lines', frames(100_000)],
]

const bundleLib = async (srcDir, outDir) => {
  const entry = join(outDir, 'entry.ts')
  writeFileSync(
    entry,
    [
      `export { scrubUrl } from ${JSON.stringify(join(srcDir, 'lib/scrubUrl'))}`,
      `export { trimText } from ${JSON.stringify(join(srcDir, 'lib/text'))}`,
      `export { parseStack } from ${JSON.stringify(join(srcDir, 'lib/stack'))}`,
    ].join('\n'),
  )
  const outfile = join(outDir, 'lib.mjs')
  await build({
    entryPoints: [entry],
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2020',
    outfile,
    logLevel: 'silent',
  })
  return import(pathToFileURL(outfile).href + '?' + Date.now())
}

/** src/ of a git ref, written to a temp folder (only the files the bench needs). */
const checkoutSrc = (ref, dir) => {
  for (const file of [...FILES.map((name) => `lib/${name}.ts`), 'schema/events/limits.ts']) {
    let text
    try {
      text = execFileSync('git', ['show', `${ref}:src/${file}`], {
        cwd: ROOT,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      })
    } catch {
      continue // a file that ref does not have (scrubText.ts before it existed)
    }
    mkdirSync(join(dir, 'src', file, '..'), { recursive: true })
    writeFileSync(join(dir, 'src', file), text)
  }
  return join(dir, 'src')
}

const timeAll = (lib, runs) => {
  const call = {
    scrubUrl: (input) => lib.scrubUrl(input),
    trimText: (input) => lib.trimText(input),
    parseStack: (input) => lib.parseStack(input, lib.scrubUrl),
  }
  return INPUTS.map(([fn, name, input]) => {
    const times = []
    // One untimed call first, so the median is not the JIT's warm-up.
    let output = runs > 1 ? call[fn](input) : undefined
    for (let i = 0; i < runs; i++) {
      const started = performance.now()
      output = call[fn](input)
      times.push(performance.now() - started)
    }
    const outputLength = typeof output === 'string' ? output.length : output.length
    return { fn, input: name, inputChars: input.length, ms: round(median(times), 2), runs, outputLength }
  })
}

// The case in a real page: the script tag (every default plugin) loaded by a page whose
// URL ends in `#` + `%40` x 60,000, next to the same page with a plain URL. Long tasks come
// from a buffered PerformanceObserver injected at document start; the collector is faked by a
// route answering 204, so nothing but the page and the SDK runs.
const PAGE_HASHES = [
  ['plain URL', ''],
  ["'#' + '%40' x 60,000", '#' + '%40'.repeat(60_000)],
]

const pageLoad = async () => {
  const chromium = await launchChromium()
  const rows = []
  try {
    const script = readFileSync(join(ROOT, 'dist/frictionlog.global.js'), 'utf8')
    const html =
      '<!doctype html><title>redos</title><script src="/frictionlog.global.js" data-endpoint="/e"></script><p>x</p>'
    for (const [name, hash] of PAGE_HASHES) {
      const samples = []
      for (let i = 0; i < 3; i++) {
        const context = await chromium.newContext()
        await context.addInitScript(() => {
          window.longTasks = []
          new PerformanceObserver((list) =>
            list.getEntries().forEach((entry) => window.longTasks.push(entry.duration)),
          ).observe({ type: 'longtask', buffered: true })
        })
        await context.route('http://redos.test/**', (route) => {
          const path = new URL(route.request().url()).pathname
          if (path === '/frictionlog.global.js') return route.fulfill({ contentType: 'text/javascript', body: script })
          if (path === '/e') return route.fulfill({ status: 204 })
          return route.fulfill({ contentType: 'text/html', body: html })
        })
        const page = await context.newPage()
        await page.goto('http://redos.test/p?utm_source=bench' + hash)
        await page.waitForFunction(() => window.frictionlog?.track, null, { timeout: 60_000 })
        await page.waitForTimeout(500)
        samples.push(
          await page.evaluate(() => ({
            longest: Math.max(0, ...window.longTasks),
            total: window.longTasks.reduce((a, b) => a + b, 0),
          })),
        )
        await context.close()
      }
      rows.push({
        url: name,
        runs: samples.length,
        longestTaskMs: round(median(samples.map((x) => x.longest))),
        longTasksMs: round(median(samples.map((x) => x.total))),
      })
    }
  } finally {
    await chromium.browser.close()
  }
  return { chromium: chromium.version, rows }
}

export const run = async ({ compare, browser = true } = {}) => {
  const dir = ensureTmp('redos')
  const current = await bundleLib(join(ROOT, 'src'), dir)
  const rows = timeAll(current, RUNS)
  if (compare) {
    const refDir = join(dir, 'ref')
    const refLib = await bundleLib(checkoutSrc(compare, refDir), refDir)
    timeAll(refLib, 1).forEach((row, i) => (rows[i].refMs = row.ms))
  }
  const load = browser ? await pageLoad() : null
  return {
    goalMs: GOAL_MS,
    node: process.version,
    compare: compare ?? null,
    rows,
    worstMs: Math.max(...rows.map((row) => row.ms)),
    load,
  }
}

export const tables = (result) => {
  const headers = [
    'function',
    'input',
    'chars',
    'ms (median)',
    ...(result.compare ? [`ms on ${result.compare}`] : []),
    `< ${result.goalMs} ms`,
  ]
  const rows = result.rows.map((row) => [
    row.fn,
    row.input,
    row.inputChars.toLocaleString('en-US'),
    row.ms,
    ...(result.compare ? [row.refMs ?? 'n/a'] : []),
    row.ms < result.goalMs ? 'yes' : 'NO',
  ])
  const loadHeaders = ['page URL (script tag, Chromium)', 'runs', 'longest long task ms', 'long tasks ms']
  const loadRows = (result.load?.rows ?? []).map((row) => [row.url, row.runs, row.longestTaskMs, row.longTasksMs])
  return {
    text:
      textTable(`Pathological inputs (Node ${result.node}, median of ${RUNS} calls)`, headers, rows) +
      (result.load
        ? '\n' + textTable(`Page load with the script tag (${result.load.chromium}, medians)`, loadHeaders, loadRows)
        : ''),
    markdown: markdownTable(headers, rows) + (result.load ? '\n\n' + markdownTable(loadHeaders, loadRows) : ''),
  }
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: { compare: { type: 'string' }, 'no-browser': { type: 'boolean', default: false } },
  })
  const result = await run({ compare: values.compare, browser: !values['no-browser'] })
  console.log(tables(result).text)
}
