// Where frictionlog's main-thread time goes in bench/mainThread.mjs's scripted visit, and what
// its long tasks are made of. Not part of `npm run bench`: a diagnosis tool, numbers only printed.
//
// 1. Builds from src/ (or --src <dir>) into bench/.tmp/fl/profile/ (served as /fl/profile/):
//    the script tag (src/global.ts) and `createTracker` with no plugin, each minified as shipped
//    (tsup's options) and unminified, all with source maps, for readable names and source files.
// 2. ScriptDuration / TaskDuration (CDP Performance, thread time), unprofiled, over --runs rounds
//    of the full visit: baseline (no SDK), tag, core, unminified tag; and of a load-only visit
//    (load + 1 s): baseline, the tag file with no init (parse + compile + top level), tag, core.
// 3. --traces visits each of baseline, tag and core (minified) under a Chromium trace only
//    (devtools.timeline, toplevel, v8 compile): main-thread time by what the tasks ran, every
//    task over 50 ms with its events, SDK callbacks (invocations, thread time, trigger), layouts
//    and style recalcs forced inside JavaScript, and parse/compile of the SDK file.
// 4. --profiles visits each of baseline, tag and core (unminified) under the CDP sampling
//    Profiler (--interval µs, 100 by default) and the same trace: self and total time per source
//    file (SDK files through the source maps, the page, Playwright's injected scripts, V8's
//    (program) and (garbage collector)), the top SDK functions and source lines, SDK time by
//    entry point, and what ran inside every long task (events and heaviest stacks).
//
// The sampler counts wall time; on a shared machine the renderer is often descheduled, so the
// `~thr` columns scale each sample by thread time / wall time of the trace event around it.
// Usage: node bench/profile.mjs [--runs 3] [--traces 2] [--profiles 1] [--interval 100] [--src src] [--skip-metrics]
// [--load-only] [--json out.json]   (--load-only: traced and profiled visits are load + 1 s, for start-up)
// Needs `npx tsup` (the collector the SDK sends to comes from dist/collector). Profiled and traced
// visits pay for the instrumentation: compare configurations there, and take absolute costs
// from the unprofiled ScriptDuration tables.
/* global window, PerformanceObserver -- inside page callbacks, which run in the page */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { closePage, closeRig, ensureTmp, median, ROOT, sleep, startRig, tagsOf, textTable } from './lib.mjs'
import { metricsOf, sdkTag, session } from './mainThread.mjs'
import {
  FILES,
  LONG_TASK_MS,
  analyzeProfile,
  frameNamer,
  hotLines,
  ms,
  samplesOf,
  scaleToThreadTime,
} from './profile/profileAnalysis.mjs'
import { analyzeTrace, parseTrace } from './profile/traceAnalysis.mjs'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    profiles: { type: 'string', default: '1' },
    traces: { type: 'string', default: '2' },
    interval: { type: 'string', default: '100' },
    src: { type: 'string', default: join(ROOT, 'src') },
    'skip-metrics': { type: 'boolean', default: false },
    'load-only': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
})
const RUNS = Number(args.runs)
const PROFILES = Number(args.profiles)
const TRACES = Number(args.traces)
const INTERVAL_US = Number(args.interval)
const SRC = resolve(args.src)
const SKIP_METRICS = args['skip-metrics']
// Traced and profiled visits load the page and wait a second, no interaction: start-up alone.
const LOAD_ONLY = args['load-only']
const JSON_OUT = args.json ?? null

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
const OUT = ensureTmp('fl/profile')

// ---------------------------------------------------------------------------- builds

/**
 * tsup's script-tag options (tsup.config.ts), minified or not, with a source map; node_modules from the repo.
 * `hinted`: the tag's first line, V8's compile hint (`createTracker` alone is bundled as an npm user would).
 */
const buildOptions = (minify, hinted) => ({
  ...(hinted && { banner: { js: '//# allFunctionsCalledOnLoad' } }),
  bundle: true,
  format: 'iife',
  platform: 'browser',
  target: 'es2020',
  minify,
  // External maps for both: the minified file only gains its sourceMappingURL comment.
  sourcemap: true,
  define: { __FL_VERSION__: JSON.stringify(VERSION) },
  nodePaths: [join(ROOT, 'node_modules')],
  legalComments: 'none',
  logLevel: 'error',
})

const buildAll = async () => {
  // `createTracker` with no plugin, as bench/mainThread.mjs's `fl:core` (endpoint from the tag).
  const coreEntry = join(ensureTmp('fl/profile/src'), 'core.js')
  writeFileSync(
    coreEntry,
    `import { createTracker } from ${JSON.stringify(join(SRC, 'index.ts'))}
var tag = document.currentScript
window.__fl = createTracker({ endpoint: tag.dataset.endpoint + '/e', site: 'bench', plugins: [] })
`,
  )
  const tagEntry = join(SRC, 'global.ts')
  for (const [name, entry, minify, hinted] of [
    [FILES.tag, tagEntry, true, true],
    [FILES.tagDev, tagEntry, false, true],
    [FILES.core, coreEntry, true, false],
    [FILES.coreDev, coreEntry, false, false],
  ]) {
    await build({ ...buildOptions(minify, hinted), entryPoints: [entry], outfile: join(OUT, `${name}.js`) })
  }
}

// ---------------------------------------------------------------------------- source maps

/** A short name for a source file: src/… relative to the source root's parent, or the npm package path. */
const shortSource = (file) => {
  const modules = file.lastIndexOf('node_modules/')
  if (modules >= 0) return file.slice(modules + 'node_modules/'.length).replace(/\/dist\/(modules\/)?/, '/')
  if (file.startsWith(OUT)) return `(bench entry) ${relative(OUT, file)}`
  return relative(dirname(SRC), file)
}

/** (0-based line, column) in an unminified SDK file → { file, line } in the sources. */
const loadMapper = (name) => {
  const mapFile = join(OUT, `${name}.js.map`)
  const map = new TraceMap(readFileSync(mapFile, 'utf8'))
  return (line, column) => {
    // The segment at or before the column (trace-mapping's default bias), as a profiler's
    // position falls inside a mapped range.
    const position = originalPositionFor(map, { line: line + 1, column })
    if (position.source === null) return { file: name + '.js', line: line + 1 }
    const path = resolve(dirname(mapFile), position.source)
    return { file: shortSource(path), path, line: position.line }
  }
}

// ---------------------------------------------------------------------------- the page

/**
 * What each configuration puts in the page: bench/mainThread.mjs's own tags (`frictionlog`: the
 * snippet with `init` and a counting beforeSend, then the deferred file; `fl:core`: the deferred
 * file) pointed at the files built here; `tagNoInit` is the tag's file without the snippet, so
 * it parses, compiles and runs its top level but starts no tracker.
 */
const retag = (html, from, to) => {
  if (!html.includes(from))
    throw new Error(`bench/mainThread.mjs's tag no longer loads ${from}: update bench/profile.mjs`)
  return html.replace(from, to)
}
const CONFIGS = {
  baseline: () => '',
  tag: (endpoint) =>
    retag(sdkTag({ sdk: 'frictionlog', endpoint }), '/frictionlog.global.js', `/fl/profile/${FILES.tag}.js`),
  tagDev: (endpoint) =>
    retag(sdkTag({ sdk: 'frictionlog', endpoint }), '/frictionlog.global.js', `/fl/profile/${FILES.tagDev}.js`),
  tagNoInit: () => `<script defer src="/fl/profile/${FILES.tag}.js"></script>`,
  core: (endpoint) => retag(sdkTag({ sdk: 'fl:core', endpoint }), '/fl/core.js', `/fl/profile/${FILES.core}.js`),
  coreDev: (endpoint) => retag(sdkTag({ sdk: 'fl:core', endpoint }), '/fl/core.js', `/fl/profile/${FILES.coreDev}.js`),
}

const LONG_TASKS = () => {
  window.__longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) window.__longTasks.push(Math.round(entry.duration))
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task support: none counted.
  }
}

const TRACE_CATEGORIES = [
  'toplevel',
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'disabled-by-default-devtools.timeline.stack',
  'v8',
  'v8.execute',
  'disabled-by-default-v8.compile',
  'blink.user_timing',
  'loading',
]

/**
 * One visit in a fresh context: the full scripted visit of bench/mainThread.mjs, or with
 * `loadOnly` the page loaded and left alone for a second. With `profile`, under the sampling
 * profiler and a trace, both stopped before the close (ScriptDuration is read there too).
 */
const visit = async ({ chromium, server, config, loadOnly = false, profile = false, trace = profile }) => {
  const context = await chromium.newContext()
  await context.addInitScript(LONG_TASKS)
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  if (trace) await chromium.browser.startTracing(page, { categories: TRACE_CATEGORIES })
  if (profile) {
    await cdp.send('Profiler.enable')
    await cdp.send('Profiler.setSamplingInterval', { interval: INTERVAL_US })
    await cdp.send('Profiler.start')
  }
  let clicks = 0
  if (loadOnly) {
    await page.goto(`${server.origin}/landing.html?sdk=${config}`, { waitUntil: 'load' })
    await sleep(1000)
  } else {
    clicks = await session(page, server.origin, config)
  }
  const metrics = await metricsOf(cdp)
  const longTasks = await page.evaluate(() => window.__longTasks)
  const result = { config, clicks, ...metrics, longTasks }
  if (profile) result.profile = (await cdp.send('Profiler.stop')).profile
  if (trace) {
    const parsed = JSON.parse((await chromium.browser.stopTracing()).toString('utf8'))
    result.trace = parsed.traceEvents ?? parsed
  }
  await closePage(page)
  await context.close()
  return result
}

// ---------------------------------------------------------------------------- run

const log = (line) => console.log(line)

/** Unprofiled rounds, configurations rotating; medians, + paired with the same round's baseline. */
const measure = async ({ chromium, server, configs, loadOnly, kind }) => {
  const raw = Object.fromEntries(configs.map((config) => [config, []]))
  for (let i = 0; i < RUNS; i++) {
    const order = configs.map((_, j) => configs[(i + j) % configs.length])
    for (const config of i % 2 ? order.reverse() : order) {
      const result = await visit({ chromium, server, config, loadOnly })
      raw[config].push(result)
      log(
        `  ${kind} round ${i + 1}/${RUNS} ${config}: script ${result.scriptMs.toFixed(1)} ms, task ` +
          `${result.taskMs.toFixed(1)} ms, long tasks [${result.longTasks.join(', ')}]`,
      )
    }
  }
  return configs.map((config) => ({
    config,
    runs: raw[config].length,
    scriptMs: ms(median(raw[config].map((run) => run.scriptMs))),
    scriptAddedMs:
      config === 'baseline' ? null : ms(median(raw[config].map((run, i) => run.scriptMs - raw.baseline[i].scriptMs))),
    taskAddedMs:
      config === 'baseline' ? null : ms(median(raw[config].map((run, i) => run.taskMs - raw.baseline[i].taskMs))),
    longTasks: raw[config].map((run) => run.longTasks.join('+') || '0').join(' | '),
  }))
}

const main = async () => {
  await buildAll()
  const mappers = Object.fromEntries(Object.values(FILES).map((name) => [name, loadMapper(name)]))
  const nameFrame = frameNamer(mappers)
  const work = mkdtempSync(join(tmpdir(), 'fl-profile-'))
  const rig = await startRig(work, tagsOf(CONFIGS))
  const { chromium, server } = rig
  const output = {
    chromium: chromium.version,
    src: SRC,
    intervalUs: INTERVAL_US,
    loadOnly: [],
    metrics: [],
    traced: {},
    profiles: {},
  }
  try {
    // Warm-up (not counted): the first page of a fresh browser pays one-off costs.
    await visit({ chromium, server, config: 'baseline', loadOnly: true })
    if (!SKIP_METRICS) {
      output.loadOnly = await measure({
        chromium,
        server,
        configs: ['baseline', 'tagNoInit', 'tag', 'core'],
        loadOnly: true,
        kind: 'load only',
      })
      output.metrics = await measure({
        chromium,
        server,
        configs: ['baseline', 'tag', 'core', 'tagDev'],
        loadOnly: false,
        kind: 'visit',
      })
    }
    // Traced only (no sampler): the shipped, minified files, for long tasks without profiler overhead.
    for (let i = 0; i < TRACES; i++) {
      for (const config of ['baseline', 'tag', 'core']) {
        const result = await visit({ chromium, server, config, trace: true, loadOnly: LOAD_ONLY })
        const trace = parseTrace(result.trace)
        const analysis = trace && analyzeTrace({ ...trace, raw: result.trace }, [], nameFrame)
        log(
          `  traced ${i + 1}/${TRACES} ${config}: script ${result.scriptMs.toFixed(1)} ms (traced), long tasks ` +
            `[${result.longTasks.join(', ')}]`,
        )
        ;(output.traced[config] ??= []).push({
          scriptMs: ms(result.scriptMs),
          longTasks: result.longTasks,
          trace: analysis,
        })
      }
    }
    for (let i = 0; i < PROFILES; i++) {
      for (const config of ['baseline', 'tagDev', 'coreDev']) {
        const result = await visit({ chromium, server, config, profile: true, loadOnly: LOAD_ONLY })
        const samples = samplesOf(result.profile, nameFrame)
        const trace = parseTrace(result.trace)
        if (trace) scaleToThreadTime(samples, trace.events)
        log(
          `  profiled ${i + 1}/${PROFILES} ${config}: script ${result.scriptMs.toFixed(1)} ms (profiled), ` +
            `${result.profile.samples.length} samples, long tasks [${result.longTasks.join(', ')}]`,
        )
        ;(output.profiles[config] ??= []).push({
          scriptMs: ms(result.scriptMs),
          longTasks: result.longTasks,
          profile: { ...analyzeProfile(samples), hotLines: hotLines(result.profile, samples, mappers).slice(0, 60) },
          trace: trace && analyzeTrace({ ...trace, raw: result.trace }, samples, nameFrame),
        })
      }
    }
  } finally {
    await closeRig(rig)
  }
  report(output)
  if (JSON_OUT) writeFileSync(JSON_OUT, JSON.stringify(output, null, 2))
}

// ---------------------------------------------------------------------------- report

/** Medians over runs of `pick(run)` rows, by key (a row missing from a run counts 0). */
const mergeRows = (runs, pick, fields) => {
  const first = new Map()
  runs.forEach((run) => pick(run).forEach((row) => first.has(row.key) || first.set(row.key, row)))
  return [...first.keys()].map((key) => {
    const merged = { key, isSdk: first.get(key).isSdk }
    for (const field of fields)
      merged[field] = median(runs.map((run) => pick(run).find((row) => row.key === key)?.[field] ?? 0))
    return merged
  })
}

const printTask = (task, title) => {
  log(
    `\n${title}: at ${task.atMs} ms after ParseHTML, wall ${task.wallMs} ms, thread ${task.threadMs ?? 'n/a'} ` +
      `ms; SDK scripts/callbacks in it: ${task.sdkThreadMs} ms thread; sampled ${task.sampledMs} ms`,
  )
  log('  trace events ≥ 1 ms (nested by indent; thread = CPU time of the renderer main thread):')
  for (const line of task.events.slice(0, 40)) log(`    ${line}`)
  if (!task.selfByFunction.length) return
  log('  self / total sampled ms by function:')
  for (const row of task.selfByFunction) log(`    ${row.selfMs} / ${row.totalMs}  ${row.key}`)
  log('  heaviest stacks (root > leaf), sampled ms:')
  for (const row of task.heaviestStacks) log(`    ${row.ms}  ${row.stack}`)
}

/** Long tasks where SDK code ran in full; the others (navigation, the page's own layout) in one line. */
const printLongTasks = (tasks, title) => {
  // Under 1 ms of SDK code: the page's or the browser's task, in one line.
  const isOurs = (task) => task.sdkThreadMs >= 1
  const others = tasks.filter((task) => !isOurs(task))
  log(
    `\n${title}: ${tasks.length} task(s) over ${LONG_TASK_MS} ms wall; without SDK code (< 1 ms): ` +
      `${others.map((task) => `at ${task.atMs} ms ${task.wallMs} ms (thread ${task.threadMs})`).join(', ') || 'none'}`,
  )
  tasks.filter(isOurs).forEach((task, j) => printTask(task, `${title}: long task with SDK code ${j + 1}`))
}

const printTraceTables = (config, trace) => {
  log(
    textTable(
      `${config}: SDK script evaluations and callbacks (trace FunctionCall/EvaluateScript, outermost only) by trigger`,
      ['callback [trigger]', 'calls', 'wall ms', 'thread ms'],
      trace.callbacks.slice(0, 25).map((row) => [row.key, row.calls, ms(row.wallMs), ms(row.threadMs)]),
    ),
  )
  log(
    textTable(
      `${config}: layout / style recalcs forced inside JavaScript, by the frame that forced them`,
      ['event ← frame', 'count', 'wall ms'],
      trace.forced.slice(0, 15).map((row) => [row.key, row.count, ms(row.ms)]),
    ),
  )
  log(
    textTable(
      `${config}: parse / compile events of the SDK file`,
      ['event', 'count', 'wall ms', 'thread ms'],
      trace.compile.map((row) => [row.key, row.count, ms(row.ms), ms(row.threadMs)]),
    ),
  )
  log(
    `\n${config}: ${trace.sdkTaskCount} tasks ran SDK code; by wall duration: ` +
      `${trace.sdkTaskHistogram.map((bucket) => `${bucket.range}: ${bucket.tasks}`).join(', ')}`,
  )
}

const report = (output) => {
  const metricTable = (title, rows) =>
    log(
      textTable(
        title,
        ['config', 'runs', 'script ms', '+script ms', '+task ms', 'long tasks per run (ms)'],
        rows.map((row) => [
          row.config,
          row.runs,
          row.scriptMs,
          row.scriptAddedMs ?? '—',
          row.taskAddedMs ?? '—',
          row.longTasks,
        ]),
      ),
    )
  if (output.loadOnly.length) {
    metricTable(
      'Load only (load + 1 s, no interaction), unprofiled, thread time; + = median of (run − same round baseline)',
      output.loadOnly,
    )
    log("tagNoInit: the tag file without the snippet's init: parse, compile and its top level only, no tracker.")
  }
  if (output.metrics.length)
    metricTable('Full visit (bench/mainThread.mjs session), unprofiled, thread time', output.metrics)

  const tracedConfigs = Object.keys(output.traced).filter((config) => output.traced[config].every((run) => run.trace))
  if (tracedConfigs.length) {
    const merged = Object.fromEntries(
      tracedConfigs.map((config) => [
        config,
        mergeRows(output.traced[config], (run) => run.trace.byEvent, ['threadMs']),
      ]),
    )
    const keys = [...new Set(tracedConfigs.flatMap((config) => merged[config].map((row) => row.key)))]
    const value = (config, key) => merged[config].find((row) => row.key === key)?.threadMs ?? 0
    const rows = keys
      .map((key) => [
        key,
        ...tracedConfigs.map((config) => ms(value(config, key))),
        ...tracedConfigs.slice(1).map((config) => ms(value(config, key) - value(tracedConfigs[0], key))),
      ])
      .filter((row) => row.slice(1).some((cell) => Math.abs(cell) >= 0.5))
      .sort(
        (a, b) =>
          Math.max(...b.slice(1 + tracedConfigs.length).map(Math.abs)) -
          Math.max(...a.slice(1 + tracedConfigs.length).map(Math.abs)),
      )
    rows.push([
      'ALL tasks',
      ...tracedConfigs.map((config) => ms(median(output.traced[config].map((run) => run.trace.taskThreadMs)))),
      ...tracedConfigs
        .slice(1)
        .map((config) =>
          ms(
            median(output.traced[config].map((run) => run.trace.taskThreadMs)) -
              median(output.traced[tracedConfigs[0]].map((run) => run.trace.taskThreadMs)),
          ),
        ),
    ])
    log(
      textTable(
        `Main-thread thread time by what the tasks ran (traced, no sampler, median of ` +
          `${output.traced[tracedConfigs[0]].length}), ms`,
        [
          'top-level event in a task',
          ...tracedConfigs,
          ...tracedConfigs.slice(1).map((config) => `${config} − ${tracedConfigs[0]}`),
        ],
        rows,
      ),
    )
  }
  for (const [config, runs] of Object.entries(output.traced)) {
    if (config === 'baseline') continue
    for (const [i, run] of runs.entries()) {
      if (!run.trace) continue
      printLongTasks(run.trace.longTasks, `traced ${config} visit ${i + 1} (minified, no sampler)`)
      if (i === 0)
        run.trace.topSdkTasks
          .slice(0, 3)
          .forEach((task, j) => printTask(task, `traced ${config} visit 1: longest task running SDK code #${j + 1}`))
    }
    const last = runs[runs.length - 1].trace
    if (last) printTraceTables(`traced ${config} (last visit)`, last)
  }

  const profiled = output.profiles
  if (!profiled.baseline) return
  const configs = Object.keys(profiled)
  const fileRows = new Map()
  for (const config of configs) {
    for (const row of mergeRows(profiled[config], (run) => run.profile.files, ['selfMs', 'totalMs', 'selfThreadMs'])) {
      const entry = fileRows.get(row.key) ?? fileRows.set(row.key, { key: row.key }).get(row.key)
      entry[config] = row
    }
  }
  const fields = ['selfMs', 'totalMs', 'selfThreadMs']
  const rows = [...fileRows.values()]
    .filter((row) => configs.some((config) => (row[config]?.totalMs ?? 0) >= 0.3))
    .sort(
      (a, b) => Math.max(...configs.map((c) => b[c]?.selfMs ?? 0)) - Math.max(...configs.map((c) => a[c]?.selfMs ?? 0)),
    )
    .map((row) => [row.key, ...configs.flatMap((config) => fields.map((field) => ms(row[config]?.[field] ?? 0)))])
  const med = (config, field) => ms(median(profiled[config].map((run) => run.profile[field])))
  rows.push([
    'ALL busy samples (not idle)',
    ...configs.flatMap((config) => [med(config, 'busyMs'), '', med(config, 'busyThreadMs')]),
  ])
  rows.push([
    'ALL samples with an SDK frame',
    ...configs.flatMap((config) => ['', med(config, 'sdkTotalMs'), med(config, 'sdkTotalThreadMs')]),
  ])
  log(
    textTable(
      `Sampled time per source file, ms (every ${output.intervalUs} µs, median of ${profiled.baseline.length} ` +
        `profiled visit(s)). self = leaf, total = on the stack, ~thr = self scaled to thread time`,
      ['source file', ...configs.flatMap((config) => [`${config} self`, 'total', '~thr'])],
      rows,
    ),
  )
  log(
    'Profiled visits also pay the sampler and the trace: compare configurations here, take absolute costs from ' +
      'the unprofiled tables.',
  )

  for (const config of configs.filter((c) => c !== 'baseline')) {
    const runs = profiled[config]
    const functions = mergeRows(runs, (run) => run.profile.sdkFunctions, [
      'selfMs',
      'totalMs',
      'selfThreadMs',
      'totalThreadMs',
    ])
    log(
      textTable(
        `${config}: top 30 SDK functions by self time scaled to thread time (ms; self, total = sampled wall)`,
        ['function file:line', 'self', 'total', '~thr self', '~thr total'],
        functions
          .sort((a, b) => b.selfThreadMs - a.selfThreadMs)
          .slice(0, 30)
          .map((row) => [row.key, ms(row.selfMs), ms(row.totalMs), ms(row.selfThreadMs), ms(row.totalThreadMs)]),
      ),
    )
    const lines = mergeRows(runs, (run) => run.profile.hotLines, ['selfMs', 'selfThreadMs'])
    const codeOf = new Map(
      runs.flatMap((run) => run.profile.hotLines.map((row) => [row.key, `${row.fn}: ${row.code}`])),
    )
    log(
      textTable(
        `${config}: hottest SDK source lines (self time by line, from the profile's position ticks)`,
        ['file:line', 'self', '~thr', 'function: code'],
        lines
          .sort((a, b) => b.selfThreadMs - a.selfThreadMs)
          .slice(0, 25)
          .map((row) => [row.key, ms(row.selfMs), ms(row.selfThreadMs), codeOf.get(row.key)]),
      ),
    )
    const entries = mergeRows(runs, (run) => run.profile.entries, ['totalMs', 'totalThreadMs']).sort(
      (a, b) => b.totalThreadMs - a.totalThreadMs,
    )
    log(
      textTable(
        `${config}: SDK time by entry point (outermost SDK frame, guard() skipped), ms`,
        ['entry point', 'total', '~thr total'],
        entries.slice(0, 20).map((row) => [row.key, ms(row.totalMs), ms(row.totalThreadMs)]),
      ),
    )
    const last = runs[runs.length - 1].trace
    if (!last) continue
    printTraceTables(`${config} (last profiled visit)`, last)
    for (const [i, run] of runs.entries()) {
      if (!run.trace) continue
      printLongTasks(run.trace.longTasks, `${config} profiled visit ${i + 1}`)
    }
    last.topSdkTasks
      .slice(0, 3)
      .forEach((task, j) => printTask(task, `${config} (last profiled visit): longest task running SDK code #${j + 1}`))
  }
  for (const [i, run] of profiled.baseline.entries()) {
    const long = run.trace?.longTasks ?? []
    log(
      `\nbaseline profiled visit ${i + 1}: ` +
        (long.length
          ? long
              .map((task) => `long task at ${task.atMs} ms, wall ${task.wallMs} ms, thread ${task.threadMs} ms`)
              .join('; ')
          : `no task over ${LONG_TASK_MS} ms`),
    )
  }
}

await main()
