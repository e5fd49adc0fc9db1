// Paired A/B of the script tag's main-thread cost: the tag built from two or more source trees
// (a git ref's src/ and the working tree's, or any folders), each visit of bench/mainThread.mjs's
// scripted visit in a fresh context (or, with --load, the page loaded and left alone 0.7 s; with
// --burst, only the script time of 12 clicks on the carousel's next/previous buttons after load), the
// configurations rotating within each round with a no-SDK baseline. Prints, per round and as
// medians, each variant's ScriptDuration (CDP, thread time) over the baseline and its difference
// from the first variant in the same round. On the shared 2-core box a round's difference varies
// by about ±1 ms for --burst and --load and by ±2–10 ms for the whole visit: an effect under 1 ms
// needs a dozen rounds and a second run before it counts. Not part of `npm run bench`.
//
// With --sdk, each SDK visit is also traced and prints the thread time of the SDK's own script
// evaluation and callbacks (outermost trace FunctionCall/EvaluateScript events of the tag file):
// free of the page's and Playwright's script time, so it varies far less than ScriptDuration, but
// it misses SDK code the page's own calls run (the pushState/replaceState wrappers) and pays the
// trace's per-call overhead.
// Usage: node bench/profileAb.mjs [--base <git-ref>] [--variant name=<src dir>]… [--runs 6] [--load | --burst] [--sdk]
// Without --variant: A = <base>'s src/ (HEAD by default), B = the working tree's src/.
// Builds as tsup.config.ts builds the tag (terser, three passes, inline: 1, V8's compile hint first); needs
// `npx tsup` (the collector the SDK sends to comes from dist/collector).
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { build } from 'esbuild'
import { minify } from 'terser'
import { closePage, closeRig, ensureTmp, median, ROOT, sleep, startRig, tagsOf } from './lib.mjs'
import { metricsOf, sdkTag, session } from './mainThread.mjs'
import { parseTrace } from './profile/traceAnalysis.mjs'

const { values: args } = parseArgs({
  options: {
    base: { type: 'string', default: 'HEAD' },
    variant: { type: 'string', multiple: true },
    runs: { type: 'string', default: '6' },
    load: { type: 'boolean', default: false },
    burst: { type: 'boolean', default: false },
    sdk: { type: 'boolean', default: false },
  },
})
const RUNS = Number(args.runs)
const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
const OUT = ensureTmp('fl/ab')
const work = mkdtempSync(join(tmpdir(), 'fl-ab-'))

/** `name=dir` pairs, or A = the base ref's src/ (extracted with git archive) and B = src/. */
const variants = () => {
  if (args.variant?.length)
    return args.variant.map((spec) => spec.split('=')).map(([name, dir]) => [name, resolve(dir)])
  const base = join(work, 'base')
  execFileSync('sh', ['-c', `mkdir -p "${base}" && git -C "${ROOT}" archive "${args.base}" src | tar -x -C "${base}"`])
  return [
    ['A', join(base, 'src')],
    ['B', join(ROOT, 'src')],
  ]
}

/** The tag as tsup.config.ts builds it: esbuild bundles, terser minifies, the compile hint first. */
const buildTag = async (name, src) => {
  const bundled = await build({
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    write: false,
    define: { __FL_VERSION__: JSON.stringify(VERSION) },
    nodePaths: [join(ROOT, 'node_modules')],
    entryPoints: [join(src, 'global.ts')],
    logLevel: 'error',
  })
  const { code } = await minify(bundled.outputFiles[0].text, {
    ecma: 2020,
    compress: { passes: 3, inline: 1 },
    format: { preamble: '//# allFunctionsCalledOnLoad' },
  })
  writeFileSync(join(OUT, `${name}.js`), code)
  console.log(`${name}: ${src}, ${code.length} bytes`)
}

const VARIANTS = variants()
for (const [name, src] of VARIANTS) await buildTag(name, src)
const CONFIGS = { baseline: () => '' }
for (const [name] of VARIANTS)
  CONFIGS[name] = (endpoint) =>
    sdkTag({ sdk: 'frictionlog', endpoint }).replace('/frictionlog.global.js', `/fl/ab/${name}.js`)

const rig = await startRig(work, tagsOf(CONFIGS))
const { chromium, server } = rig

/**
 * Per-click cost without the rest of the visit: three rounds of next, next, next, previous on the
 * carousel (each run of three a rage-click candidate on a next/previous control), 1.1 s apart so
 * each is its own burst; ScriptDuration read before and after.
 */
const clickBurst = async (page, cdp) => {
  await page.locator('#slide-next').scrollIntoViewIfNeeded()
  await sleep(200)
  const before = await metricsOf(cdp)
  for (let round = 0; round < 3; round++) {
    for (const id of ['#slide-next', '#slide-next', '#slide-next', '#slide-prev']) {
      await page.click(id)
      await sleep(25)
    }
    await sleep(1100)
  }
  return (await metricsOf(cdp)).scriptMs - before.scriptMs
}

/** Thread ms of the outermost trace events that ran the tag file (its evaluation, its callbacks). */
const sdkThreadMs = (raw) => {
  const trace = parseTrace(raw)
  const isSdk = (event) =>
    (event.name === 'FunctionCall' || event.name === 'EvaluateScript') &&
    String(event.args?.data?.url ?? '').includes('/fl/ab/')
  let total = 0
  for (const event of trace?.events ?? []) {
    let nested = false
    for (let at = event.parent; at && !nested; at = at.parent) nested = isSdk(at)
    if (isSdk(event) && !nested) total += (event.tdur ?? event.dur) / 1000
  }
  return total
}

const visit = async (config) => {
  const context = await chromium.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  const traced = args.sdk && config !== 'baseline'
  if (traced) await chromium.browser.startTracing(page, { categories: ['devtools.timeline', 'toplevel'] })
  let scriptMs
  if (args.burst) {
    await page.goto(`${server.origin}/landing.html?sdk=${config}`, { waitUntil: 'load' })
    await sleep(500)
    scriptMs = await clickBurst(page, cdp)
  } else {
    if (args.load) {
      await page.goto(`${server.origin}/landing.html?sdk=${config}`, { waitUntil: 'load' })
      await sleep(700)
    } else await session(page, server.origin, config)
    scriptMs = (await metricsOf(cdp)).scriptMs
  }
  if (traced) {
    const parsed = JSON.parse((await chromium.browser.stopTracing()).toString('utf8'))
    sdkRaw[config].push(sdkThreadMs(parsed.traceEvents ?? parsed))
  }
  await closePage(page)
  await context.close()
  return scriptMs
}

const configs = Object.keys(CONFIGS)
const names = configs.slice(1)
const raw = Object.fromEntries(configs.map((config) => [config, []]))
const sdkRaw = Object.fromEntries(configs.map((config) => [config, []]))
const fixed = (value) => (value >= 0 ? '+' : '') + value.toFixed(1)
try {
  // Warm-up (not counted): the first page of a fresh browser pays one-off costs.
  await visit('baseline')
  for (let round = 0; round < RUNS; round++) {
    const order = configs.map((_, j) => configs[(round + j) % configs.length])
    for (const config of round % 2 ? order.reverse() : order) raw[config].push(await visit(config))
    const added = names.map((name) => `${name} ${fixed(raw[name][round] - raw.baseline[round])}`)
    const sdk = args.sdk
      ? `; SDK traced ${names.map((name) => `${name} ${sdkRaw[name][round].toFixed(1)}`).join(', ')}`
      : ''
    console.log(`round ${round + 1}/${RUNS}: baseline ${raw.baseline[round].toFixed(1)} ms, ${added.join(', ')}${sdk}`)
  }
  const [first] = names
  const mode = args.burst ? 'click burst' : args.load ? 'load' : 'visit'
  console.log(`\nScriptDuration over the baseline (median of ${RUNS} paired rounds, ${mode}):`)
  for (const name of names) {
    const added = median(raw[name].map((ms, i) => ms - raw.baseline[i]))
    const diffs = raw[name].map((ms, i) => ms - raw[first][i])
    console.log(
      `  ${name}: ${fixed(added)} ms` +
        (name === first ? '' : `; ${name} − ${first} ${fixed(median(diffs))} ms [${diffs.map(fixed).join(' ')}]`),
    )
  }
  if (args.sdk) {
    console.log(`\nSDK evaluation and callbacks, traced thread time (median of ${RUNS} rounds, ${mode}):`)
    for (const name of names) {
      const diffs = sdkRaw[name].map((ms, i) => ms - sdkRaw[first][i])
      console.log(
        `  ${name}: ${median(sdkRaw[name]).toFixed(1)} ms` +
          (name === first ? '' : `; ${name} − ${first} ${fixed(median(diffs))} ms [${diffs.map(fixed).join(' ')}]`),
      )
    }
  }
} finally {
  await closeRig(rig)
}
