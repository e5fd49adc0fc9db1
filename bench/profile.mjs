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
// Usage: node bench/profile.mjs [--runs 3] [--traces 2] [--profiles 1] [--interval 100] [--src src] [--skip-metrics] [--json out.json]
// Needs `npx tsup` (the collector the SDK sends to comes from dist/collector). Profiled and traced
// visits pay for the instrumentation: compare configurations there, and take absolute costs
// from the unprofiled ScriptDuration tables.
/* global window, PerformanceObserver -- inside page callbacks, which run in the page */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join, relative, resolve } from 'node:path'
import { build } from 'esbuild'
import { originalPositionFor, TraceMap } from '@jridgewell/trace-mapping'
import { closePage, closeRig, ensureTmp, launchChromium, median, ROOT, round, sleep, startCollector, startRecorder, startStaticServer, textTable } from './lib.mjs'
import { metricsOf, sdkTag, session } from './mainThread.mjs'
import { parseArgs } from 'node:util'

const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    profiles: { type: 'string', default: '1' },
    traces: { type: 'string', default: '2' },
    interval: { type: 'string', default: '100' },
    src: { type: 'string', default: join(ROOT, 'src') },
    'skip-metrics': { type: 'boolean', default: false },
    json: { type: 'string' },
  },
})
const RUNS = Number(args.runs)
const PROFILES = Number(args.profiles)
const TRACES = Number(args.traces)
const INTERVAL_US = Number(args.interval)
const SRC = resolve(args.src)
const SKIP_METRICS = args['skip-metrics']
const JSON_OUT = args.json ?? null
const LONG_TASK_MS = 50

const VERSION = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).version
const OUT = ensureTmp('fl/profile')
// The SDK files, by the name the page loads them with (/fl/profile/<name>.js).
const FILES = { tag: 'tag.min', tagDev: 'tag.dev', core: 'core.min', coreDev: 'core.dev' }

// ---------------------------------------------------------------------------- builds

/** tsup's script-tag options (tsup.config.ts), minified or not, with a source map; node_modules from the repo. */
const buildOptions = (minify) => ({
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
  for (const [name, entry, minify] of [[FILES.tag, tagEntry, true], [FILES.tagDev, tagEntry, false], [FILES.core, coreEntry, true], [FILES.coreDev, coreEntry, false]]) {
    await build({ ...buildOptions(minify), entryPoints: [entry], outfile: join(OUT, `${name}.js`) })
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
  if (!html.includes(from)) throw new Error(`bench/mainThread.mjs's tag no longer loads ${from}: update bench/profile.mjs`)
  return html.replace(from, to)
}
const CONFIGS = {
  baseline: () => '',
  tag: (endpoint) => retag(sdkTag({ sdk: 'frictionlog', endpoint }), '/frictionlog.global.js', `/fl/profile/${FILES.tag}.js`),
  tagDev: (endpoint) => retag(sdkTag({ sdk: 'frictionlog', endpoint }), '/frictionlog.global.js', `/fl/profile/${FILES.tagDev}.js`),
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

// ---------------------------------------------------------------------------- profile analysis

const V8_INTERNAL = new Set(['(program)', '(garbage collector)', '(idle)', '(root)'])
const sdkFileOf = (url) => Object.values(FILES).find((name) => String(url ?? '').endsWith(`/fl/profile/${name}.js`))
const isGuard = (frame) => frame.file.endsWith('lib/guard.ts')

/**
 * Names a call frame (profile node or trace stack frame, 0-based line and column):
 * { file, fn, key, isSdk }. SDK frames go through the source maps; frames of scripts without
 * a URL (Playwright's injected scripts, evaluations) are kept apart from native functions.
 */
const frameNamer = (mappers) => ({ functionName, url, scriptId, lineNumber, columnNumber }) => {
  const fn = functionName || '(anonymous)'
  if (!url) {
    if (V8_INTERNAL.has(functionName)) return { file: `v8 ${functionName}`, fn, key: `v8 ${functionName}`, isSdk: false }
    const file = scriptId && scriptId !== '0' ? '(injected / evaluated script: Playwright)' : '(native / builtin)'
    return { file, fn, key: `${fn} ${file}`, isSdk: false }
  }
  const sdkName = sdkFileOf(url)
  if (sdkName) {
    const { file, line } = mappers[sdkName](lineNumber, columnNumber)
    return { file, fn, key: `${fn} ${file}:${line}`, isSdk: true, sdkName }
  }
  const path = url.startsWith('http') ? new URL(url).pathname : url
  const file = path.endsWith('.html') ? `page ${path.split('/').pop()}` : path.slice(0, 80)
  return { file, fn, key: `${fn} ${file}:${lineNumber + 1}`, isSdk: false }
}

/**
 * Per sample: its time (until the next sample, as DevTools counts it), timestamp and stack
 * (leaf first). Idle samples are kept (flagged) so time windows can be cut out of them.
 */
const samplesOf = (profile, nameFrame) => {
  const nodes = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const frames = new Map(profile.nodes.map((node) => [node.id, nameFrame(node.callFrame)]))
  const stacks = new Map()
  const stackOf = (id) => {
    if (stacks.has(id)) return stacks.get(id)
    const stack = []
    for (let at = id; at !== undefined; at = parent.get(at)) {
      if (nodes.get(at).callFrame.functionName !== '(root)') stack.push(frames.get(at))
    }
    stacks.set(id, stack)
    return stack
  }
  const samples = []
  let ts = profile.startTime
  for (let i = 0; i < profile.samples.length; i++) {
    ts += profile.timeDeltas[i]
    const next = i + 1 < profile.timeDeltas.length ? Math.max(0, profile.timeDeltas[i + 1]) / 1000 : 0
    const stack = stackOf(profile.samples[i])
    samples.push({ ts, ms: next, threadMs: next, stack, nodeId: profile.samples[i], isIdle: !stack.length || stack[0].key === 'v8 (idle)' })
  }
  return samples
}

/**
 * The sampler counts wall time: on a shared machine a descheduled renderer, and a blocking call
 * (a synchronous IPC), still collect samples. Each sample is scaled by thread time / wall time
 * of the innermost trace event around it (both measured by the trace), an estimate of the CPU
 * time the same code would have used: what ScriptDuration (thread time) counts.
 */
const scaleToThreadTime = (samples, events) => {
  const timed = events.filter((event) => event.tdur !== undefined && event.dur > 0)
  const open = []
  let i = 0
  for (const sample of samples) {
    while (i < timed.length && timed[i].ts <= sample.ts) {
      while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= timed[i].ts) open.pop()
      open.push(timed[i++])
    }
    while (open.length && open[open.length - 1].ts + open[open.length - 1].dur <= sample.ts) open.pop()
    const inner = open[open.length - 1]
    sample.threadMs = inner ? sample.ms * Math.min(1, inner.tdur / inner.dur) : sample.ms
  }
}

/** Self (leaf) and total (anywhere on the stack, once per sample) time by `keyOf(frame)`, wall and ~thread. */
const aggregate = (samples, keyOf) => {
  const table = new Map()
  const rowOf = (frame) => {
    const key = keyOf(frame)
    return table.get(key) ?? table.set(key, { key, isSdk: frame.isSdk, selfMs: 0, totalMs: 0, selfThreadMs: 0, totalThreadMs: 0 }).get(key)
  }
  for (const sample of samples) {
    if (sample.isIdle) continue
    const leaf = rowOf(sample.stack[0])
    leaf.selfMs += sample.ms
    leaf.selfThreadMs += sample.threadMs
    for (const row of new Set(sample.stack.map(rowOf))) {
      row.totalMs += sample.ms
      row.totalThreadMs += sample.threadMs
    }
  }
  return [...table.values()].sort((a, b) => b.selfMs - a.selfMs || b.totalMs - a.totalMs)
}

const sum = (values) => values.reduce((total, value) => total + value, 0)
const ms = (value) => round(value, 1)

/** The listener, timer, observer or script top level that ran: the outermost SDK frame, wrappers (guard) skipped. */
const entryOf = (sample) => {
  const outer = [...sample.stack].reverse().filter((frame) => frame.isSdk)
  return outer.find((frame) => !isGuard(frame)) ?? outer[0]
}

const sourceLines = new Map()
const sourceLine = (path, line) => {
  if (!sourceLines.has(path)) {
    try {
      sourceLines.set(path, readFileSync(path, 'utf8').split('\n'))
    } catch {
      sourceLines.set(path, [])
    }
  }
  return (sourceLines.get(path)[line - 1] ?? '').trim().slice(0, 90)
}

/**
 * Self time of SDK code by source line: each node's self time shared out by its positionTicks
 * (the generated lines the samples hit), mapped to the sources. Says which statement is hot.
 */
const hotLines = (profile, samples, mappers) => {
  const self = new Map()
  for (const sample of samples) {
    if (sample.isIdle || !sample.stack[0].isSdk) continue
    const entry = self.get(sample.nodeId) ?? self.set(sample.nodeId, { ms: 0, threadMs: 0 }).get(sample.nodeId)
    entry.ms += sample.ms
    entry.threadMs += sample.threadMs
  }
  const lines = new Map()
  for (const node of profile.nodes) {
    const time = self.get(node.id)
    const sdkName = sdkFileOf(node.callFrame.url)
    if (!time || !sdkName || !node.positionTicks?.length) continue
    const ticks = sum(node.positionTicks.map((tick) => tick.ticks))
    for (const tick of node.positionTicks) {
      const { file, path, line } = mappers[sdkName](tick.line - 1, 0)
      const key = `${file}:${line}`
      const row = lines.get(key) ?? lines.set(key, { key, isSdk: true, fn: node.callFrame.functionName || '(anonymous)', code: path ? sourceLine(path, line) : '', selfMs: 0, selfThreadMs: 0 }).get(key)
      row.selfMs += (time.ms * tick.ticks) / ticks
      row.selfThreadMs += (time.threadMs * tick.ticks) / ticks
    }
  }
  return [...lines.values()].sort((a, b) => b.selfThreadMs - a.selfThreadMs)
}

const analyzeProfile = (samples) => {
  const busy = samples.filter((sample) => !sample.isIdle)
  const withSdk = busy.filter((sample) => sample.stack.some((frame) => frame.isSdk))
  const entries = new Map()
  for (const sample of withSdk) {
    const row = entries.get(entryOf(sample).key) ?? entries.set(entryOf(sample).key, { key: entryOf(sample).key, totalMs: 0, totalThreadMs: 0 }).get(entryOf(sample).key)
    row.totalMs += sample.ms
    row.totalThreadMs += sample.threadMs
  }
  return {
    busyMs: sum(busy.map((sample) => sample.ms)),
    busyThreadMs: sum(busy.map((sample) => sample.threadMs)),
    sdkTotalMs: sum(withSdk.map((sample) => sample.ms)),
    sdkTotalThreadMs: sum(withSdk.map((sample) => sample.threadMs)),
    files: aggregate(samples, (frame) => frame.file),
    sdkFunctions: aggregate(samples, (frame) => frame.key).filter((row) => row.isSdk),
    entries: [...entries.values()].sort((a, b) => b.totalMs - a.totalMs),
  }
}

// ---------------------------------------------------------------------------- trace analysis

// Events inside which JavaScript runs: a layout or style recalc nested in one was forced by script.
const JS_EVENTS = new Set(['EvaluateScript', 'FunctionCall', 'v8.callFunction', 'v8.run', 'v8.evaluateModule', 'RunMicrotasks'])
const TASK_EVENTS = new Set(['RunTask', 'ThreadControllerImpl::RunTask'])

/** The page's renderer main thread (the CrRendererMain that parsed landing.html) and its events, nested. */
const parseTrace = (raw) => {
  const renderers = raw.filter((event) => event.ph === 'M' && event.name === 'thread_name' && event.args?.name === 'CrRendererMain')
  const parsed = raw.find((event) => event.name === 'ParseHTML' && String(event.args?.beginData?.url ?? '').includes('/landing.html'))
  const main = renderers.find((thread) => parsed && thread.pid === parsed.pid && thread.tid === parsed.tid) ?? renderers[0]
  if (!main) return undefined
  const complete = []
  const open = []
  const mine = raw.filter((event) => event.pid === main.pid && event.tid === main.tid && event.ts !== undefined)
  for (const event of mine.sort((a, b) => a.ts - b.ts)) {
    if (event.ph === 'X') complete.push({ ...event, dur: event.dur ?? 0 })
    else if (event.ph === 'B') open.push(event)
    else if (event.ph === 'E') {
      const begin = open.pop()
      const tdur = event.tts !== undefined && begin?.tts !== undefined ? event.tts - begin.tts : undefined
      if (begin) complete.push({ ...begin, args: { ...begin.args, ...event.args }, ph: 'X', dur: event.ts - begin.ts, tdur })
    }
  }
  complete.sort((a, b) => a.ts - b.ts || b.dur - a.dur)
  const stack = []
  for (const event of complete) {
    while (stack.length && stack[stack.length - 1].ts + stack[stack.length - 1].dur <= event.ts) stack.pop()
    event.parent = stack[stack.length - 1]
    event.depth = stack.length
    stack.push(event)
  }
  return { pid: main.pid, tid: main.tid, events: complete, start: parsed?.ts ?? complete[0]?.ts ?? 0 }
}

/** A label for a trace event: its name and what it ran (DOM event type, function, script URL). */
const describeEvent = (event, nameFrame) => {
  const data = event.args?.data ?? event.args?.beginData ?? {}
  const url = data.url ?? ''
  const parts = [event.name]
  if (data.type) parts.push(data.type)
  if (event.name === 'EvaluateScript') parts.push(url.replace(/^https?:\/\/[^/]+/, ''))
  else if (data.functionName !== undefined || (url && data.lineNumber !== undefined)) {
    // Trace lines and columns are 1-based.
    parts.push(nameFrame({ functionName: data.functionName ?? '', url, scriptId: data.scriptId, lineNumber: Math.max(0, (data.lineNumber ?? 1) - 1), columnNumber: Math.max(0, (data.columnNumber ?? 1) - 1) }).key)
  } else if (url) parts.push(url.replace(/^https?:\/\/[^/]+/, ''))
  return parts.join(' ')
}

/** What made a callback run: the DOM event dispatched, a timer, or the task's first event. */
const triggerOf = (event) => {
  let outer = event
  for (let at = event.parent; at; at = at.parent) {
    if (at.name === 'EventDispatch') return `on ${at.args?.data?.type}`
    if (at.name === 'TimerFire') return 'timer'
    if (at.name === 'FireAnimationFrame') return 'animation frame'
    if (!TASK_EVENTS.has(at.name)) outer = at
  }
  return outer === event ? 'task' : outer.name
}

const analyzeTrace = (trace, samples, nameFrame) => {
  const { events, start, pid, tid, raw } = trace
  const isSdkEvent = (event) => (event.name === 'FunctionCall' || event.name === 'EvaluateScript') && sdkFileOf(event.args?.data?.url)
  const hasSdkAncestor = (event) => {
    for (let at = event.parent; at; at = at.parent) if (isSdkEvent(at)) return true
    return false
  }

  // Every SDK callback and script evaluation: invocations, wall and thread time, by trigger.
  const calls = new Map()
  for (const event of events) {
    if (!isSdkEvent(event) || hasSdkAncestor(event)) continue
    const key = `${describeEvent(event, nameFrame).replace(/^FunctionCall /, '')} [${triggerOf(event)}]`
    const row = calls.get(key) ?? calls.set(key, { key, calls: 0, wallMs: 0, threadMs: 0 }).get(key)
    row.calls++
    row.wallMs += event.dur / 1000
    row.threadMs += (event.tdur ?? event.dur) / 1000
  }

  // Layout and style recalcs run inside JavaScript (forced), by the script frame that forced them.
  const forced = new Map()
  for (const event of events) {
    if (event.name !== 'Layout' && event.name !== 'UpdateLayoutTree') continue
    let js
    for (let at = event.parent; at && !js; at = at.parent) if (JS_EVENTS.has(at.name)) js = at
    if (!js) continue
    const stackTrace = event.args?.beginData?.stackTrace ?? event.args?.data?.stackTrace ?? []
    const toFrame = (frame) => nameFrame({ ...frame, lineNumber: Math.max(0, frame.lineNumber - 1), columnNumber: Math.max(0, frame.columnNumber - 1) })
    const frame = stackTrace.map(toFrame).find((candidate) => candidate.isSdk && !isGuard(candidate)) ?? (stackTrace[0] && toFrame(stackTrace[0]))
    const key = `${event.name} ← ${frame ? frame.key : `(no stack) in ${describeEvent(js, nameFrame)}`}`
    const row = forced.get(key) ?? forced.set(key, { key, isSdk: !!frame?.isSdk, count: 0, ms: 0 }).get(key)
    row.count++
    row.ms += event.dur / 1000
  }

  // Parse and compile of the SDK file, on the main thread or off it (streaming).
  const compile = new Map()
  for (const event of raw) {
    if (event.ph !== 'X' || !/compile|parse|deserialize|cache/i.test(event.name) || event.name === 'ParseHTML') continue
    if (!sdkFileOf(event.args?.data?.url ?? event.args?.fileName ?? event.args?.data?.fileName)) continue
    const key = `${event.name} (${event.pid === pid && event.tid === tid ? 'main thread' : 'other thread'})`
    const row = compile.get(key) ?? compile.set(key, { key, count: 0, ms: 0, threadMs: 0 }).get(key)
    row.count++
    row.ms += (event.dur ?? 0) / 1000
    row.threadMs += (event.tdur ?? event.dur ?? 0) / 1000
  }

  // Tasks: the long ones in full, and the longest ones that ran SDK code.
  const tasks = events.filter((event) => TASK_EVENTS.has(event.name) && !TASK_EVENTS.has(event.parent?.name))
  const busy = samples.filter((sample) => !sample.isIdle)
  let cursor = 0
  const reports = tasks.map((task) => {
    while (cursor < busy.length && busy[cursor].ts < task.ts) cursor++
    const inside = []
    for (let i = cursor; i < busy.length && busy[i].ts < task.ts + task.dur; i++) inside.push(busy[i])
    const end = task.ts + task.dur
    let sdkThreadMs = 0
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      if (isSdkEvent(events[i]) && !hasSdkAncestor(events[i])) sdkThreadMs += (events[i].tdur ?? events[i].dur) / 1000
    }
    return { task, inside, sdkThreadMs }
  })
  const describeTask = ({ task, inside, sdkThreadMs }) => {
    const end = task.ts + task.dur
    const children = []
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      const event = events[i]
      if (event.depth <= task.depth + 5 && event.dur >= 1000) children.push(event)
    }
    const stacks = new Map()
    for (const sample of inside) {
      const key = [...sample.stack].reverse().map((frame) => (frame.isSdk || frame.file.startsWith('page') ? frame.key : frame.fn)).join(' > ')
      stacks.set(key, (stacks.get(key) ?? 0) + sample.ms)
    }
    return {
      atMs: ms((task.ts - start) / 1000),
      wallMs: ms(task.dur / 1000),
      threadMs: task.tdur === undefined ? null : ms(task.tdur / 1000),
      sdkThreadMs: ms(sdkThreadMs),
      sampledMs: ms(sum(inside.map((sample) => sample.ms))),
      events: children.map((event) => `${'  '.repeat(event.depth - task.depth - 1)}${describeEvent(event, nameFrame)}: ${ms(event.dur / 1000)} ms${event.tdur !== undefined ? ` (thread ${ms(event.tdur / 1000)})` : ''}`),
      selfByFunction: aggregate(inside, (frame) => frame.key).slice(0, 12).map((row) => ({ key: row.key, selfMs: ms(row.selfMs), totalMs: ms(row.totalMs) })),
      heaviestStacks: [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([stack, stackMs]) => ({ ms: ms(stackMs), stack })),
    }
  }
  const sdkTasks = reports.filter((report) => report.sdkThreadMs > 0)
  // Main-thread thread time by what the tasks ran (their direct children), to compare with the baseline.
  const byEvent = new Map()
  for (const task of tasks) {
    const end = task.ts + task.dur
    let covered = 0
    for (let i = events.indexOf(task) + 1; i < events.length && events[i].ts < end; i++) {
      const event = events[i]
      // What a task ran: the outermost events in it that are not tasks themselves (tasks nest).
      if (TASK_EVENTS.has(event.name) || !TASK_EVENTS.has(event.parent?.name)) continue
      const key = event.name === 'EvaluateScript' || event.name === 'FunctionCall' ? `${event.name}${isSdkEvent(event) ? ' (SDK)' : ' (page / other)'}` : event.name === 'EventDispatch' ? `EventDispatch ${event.args?.data?.type}` : event.name
      const threadMs = (event.tdur ?? event.dur) / 1000
      byEvent.set(key, (byEvent.get(key) ?? 0) + threadMs)
      covered += threadMs
    }
    byEvent.set('(task time outside traced events)', (byEvent.get('(task time outside traced events)') ?? 0) + Math.max(0, (task.tdur ?? task.dur) / 1000 - covered))
  }
  return {
    taskThreadMs: sum(tasks.map((task) => (task.tdur ?? task.dur) / 1000)),
    byEvent: [...byEvent].map(([key, threadMs]) => ({ key, threadMs })).sort((a, b) => b.threadMs - a.threadMs),
    longTasks: reports.filter(({ task }) => task.dur / 1000 > LONG_TASK_MS).map(describeTask),
    topSdkTasks: [...sdkTasks].sort((a, b) => b.task.dur - a.task.dur).slice(0, 4).map(describeTask),
    sdkTaskCount: sdkTasks.length,
    sdkTaskHistogram: [1, 4, 16, 50, Infinity].map((limit, i, limits) => {
      const from = i ? limits[i - 1] : 0
      return { range: `${from}–${limit} ms`, tasks: sdkTasks.filter(({ task }) => task.dur / 1000 >= from && task.dur / 1000 < limit).length }
    }),
    callbacks: [...calls.values()].sort((a, b) => b.threadMs - a.threadMs),
    forced: [...forced.values()].sort((a, b) => b.ms - a.ms),
    compile: [...compile.values()].sort((a, b) => b.ms - a.ms),
  }
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
      log(`  ${kind} round ${i + 1}/${RUNS} ${config}: script ${result.scriptMs.toFixed(1)} ms, task ${result.taskMs.toFixed(1)} ms, long tasks [${result.longTasks.join(', ')}]`)
    }
  }
  return configs.map((config) => ({
    config,
    runs: raw[config].length,
    scriptMs: ms(median(raw[config].map((run) => run.scriptMs))),
    scriptAddedMs: config === 'baseline' ? null : ms(median(raw[config].map((run, i) => run.scriptMs - raw.baseline[i].scriptMs))),
    taskAddedMs: config === 'baseline' ? null : ms(median(raw[config].map((run, i) => run.taskMs - raw.baseline[i].taskMs))),
    longTasks: raw[config].map((run) => run.longTasks.join('+') || '0').join(' | '),
  }))
}

const main = async () => {
  await buildAll()
  const mappers = Object.fromEntries(Object.values(FILES).map((name) => [name, loadMapper(name)]))
  const nameFrame = frameNamer(mappers)
  const work = mkdtempSync(join(tmpdir(), 'fl-profile-'))
  const collector = await startCollector(join(work, 'store'))
  const recorder = await startRecorder({ upstream: collector })
  const server = await startStaticServer({ sdkTag: ({ sdk }) => (CONFIGS[sdk] ?? CONFIGS.baseline)(recorder.origin) })
  const chromium = await launchChromium()
  const output = { chromium: chromium.version, src: SRC, intervalUs: INTERVAL_US, loadOnly: [], metrics: [], traced: {}, profiles: {} }
  try {
    // Warm-up (not counted): the first page of a fresh browser pays one-off costs.
    await visit({ chromium, server, config: 'baseline', loadOnly: true })
    if (!SKIP_METRICS) {
      output.loadOnly = await measure({ chromium, server, configs: ['baseline', 'tagNoInit', 'tag', 'core'], loadOnly: true, kind: 'load only' })
      output.metrics = await measure({ chromium, server, configs: ['baseline', 'tag', 'core', 'tagDev'], loadOnly: false, kind: 'visit' })
    }
    // Traced only (no sampler): the shipped, minified files, for long tasks without profiler overhead.
    for (let i = 0; i < TRACES; i++) {
      for (const config of ['baseline', 'tag', 'core']) {
        const result = await visit({ chromium, server, config, trace: true })
        const trace = parseTrace(result.trace)
        const analysis = trace && analyzeTrace({ ...trace, raw: result.trace }, [], nameFrame)
        log(`  traced ${i + 1}/${TRACES} ${config}: script ${result.scriptMs.toFixed(1)} ms (traced), long tasks [${result.longTasks.join(', ')}]`)
        ;(output.traced[config] ??= []).push({ scriptMs: ms(result.scriptMs), longTasks: result.longTasks, trace: analysis })
      }
    }
    for (let i = 0; i < PROFILES; i++) {
      for (const config of ['baseline', 'tagDev', 'coreDev']) {
        const result = await visit({ chromium, server, config, profile: true })
        const samples = samplesOf(result.profile, nameFrame)
        const trace = parseTrace(result.trace)
        if (trace) scaleToThreadTime(samples, trace.events)
        log(`  profiled ${i + 1}/${PROFILES} ${config}: script ${result.scriptMs.toFixed(1)} ms (profiled), ${result.profile.samples.length} samples, long tasks [${result.longTasks.join(', ')}]`)
        ;(output.profiles[config] ??= []).push({
          scriptMs: ms(result.scriptMs),
          longTasks: result.longTasks,
          profile: { ...analyzeProfile(samples), hotLines: hotLines(result.profile, samples, mappers).slice(0, 60) },
          trace: trace && analyzeTrace({ ...trace, raw: result.trace }, samples, nameFrame),
        })
      }
    }
  } finally {
    await closeRig({ chromium, server, recorder, collector, work })
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
    for (const field of fields) merged[field] = median(runs.map((run) => pick(run).find((row) => row.key === key)?.[field] ?? 0))
    return merged
  })
}

const printTask = (task, title) => {
  log(`\n${title}: at ${task.atMs} ms after ParseHTML, wall ${task.wallMs} ms, thread ${task.threadMs ?? 'n/a'} ms; SDK scripts/callbacks in it: ${task.sdkThreadMs} ms thread; sampled ${task.sampledMs} ms`)
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
  log(`\n${title}: ${tasks.length} task(s) over ${LONG_TASK_MS} ms wall; without SDK code (< 1 ms): ${others.map((task) => `at ${task.atMs} ms ${task.wallMs} ms (thread ${task.threadMs})`).join(', ') || 'none'}`)
  tasks.filter(isOurs).forEach((task, j) => printTask(task, `${title}: long task with SDK code ${j + 1}`))
}

const printTraceTables = (config, trace) => {
  log(textTable(`${config}: SDK script evaluations and callbacks (trace FunctionCall/EvaluateScript, outermost only) by trigger`, ['callback [trigger]', 'calls', 'wall ms', 'thread ms'], trace.callbacks.slice(0, 25).map((row) => [row.key, row.calls, ms(row.wallMs), ms(row.threadMs)])))
  log(textTable(`${config}: layout / style recalcs forced inside JavaScript, by the frame that forced them`, ['event ← frame', 'count', 'wall ms'], trace.forced.slice(0, 15).map((row) => [row.key, row.count, ms(row.ms)])))
  log(textTable(`${config}: parse / compile events of the SDK file`, ['event', 'count', 'wall ms', 'thread ms'], trace.compile.map((row) => [row.key, row.count, ms(row.ms), ms(row.threadMs)])))
  log(`\n${config}: ${trace.sdkTaskCount} tasks ran SDK code; by wall duration: ${trace.sdkTaskHistogram.map((bucket) => `${bucket.range}: ${bucket.tasks}`).join(', ')}`)
}

const report = (output) => {
  const metricTable = (title, rows) => log(textTable(title, ['config', 'runs', 'script ms', '+script ms', '+task ms', 'long tasks per run (ms)'], rows.map((row) => [row.config, row.runs, row.scriptMs, row.scriptAddedMs ?? '—', row.taskAddedMs ?? '—', row.longTasks])))
  if (output.loadOnly.length) {
    metricTable('Load only (load + 1 s, no interaction), unprofiled, thread time; + = median of (run − same round baseline)', output.loadOnly)
    log('tagNoInit: the tag file without the snippet\'s init: parse, compile and its top level only, no tracker.')
  }
  if (output.metrics.length) metricTable('Full visit (bench/mainThread.mjs session), unprofiled, thread time', output.metrics)

  const tracedConfigs = Object.keys(output.traced).filter((config) => output.traced[config].every((run) => run.trace))
  if (tracedConfigs.length) {
    const merged = Object.fromEntries(tracedConfigs.map((config) => [config, mergeRows(output.traced[config], (run) => run.trace.byEvent, ['threadMs'])]))
    const keys = [...new Set(tracedConfigs.flatMap((config) => merged[config].map((row) => row.key)))]
    const value = (config, key) => merged[config].find((row) => row.key === key)?.threadMs ?? 0
    const rows = keys.map((key) => [key, ...tracedConfigs.map((config) => ms(value(config, key))), ...tracedConfigs.slice(1).map((config) => ms(value(config, key) - value(tracedConfigs[0], key)))])
      .filter((row) => row.slice(1).some((cell) => Math.abs(cell) >= 0.5))
      .sort((a, b) => Math.max(...b.slice(1 + tracedConfigs.length).map(Math.abs)) - Math.max(...a.slice(1 + tracedConfigs.length).map(Math.abs)))
    rows.push(['ALL tasks', ...tracedConfigs.map((config) => ms(median(output.traced[config].map((run) => run.trace.taskThreadMs)))), ...tracedConfigs.slice(1).map((config) => ms(median(output.traced[config].map((run) => run.trace.taskThreadMs)) - median(output.traced[tracedConfigs[0]].map((run) => run.trace.taskThreadMs))))])
    log(textTable(`Main-thread thread time by what the tasks ran (traced, no sampler, median of ${output.traced[tracedConfigs[0]].length}), ms`, ['top-level event in a task', ...tracedConfigs, ...tracedConfigs.slice(1).map((config) => `${config} − ${tracedConfigs[0]}`)], rows))
  }
  for (const [config, runs] of Object.entries(output.traced)) {
    if (config === 'baseline') continue
    for (const [i, run] of runs.entries()) {
      if (!run.trace) continue
      printLongTasks(run.trace.longTasks, `traced ${config} visit ${i + 1} (minified, no sampler)`)
      if (i === 0) run.trace.topSdkTasks.slice(0, 3).forEach((task, j) => printTask(task, `traced ${config} visit 1: longest task running SDK code #${j + 1}`))
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
    .sort((a, b) => Math.max(...configs.map((c) => b[c]?.selfMs ?? 0)) - Math.max(...configs.map((c) => a[c]?.selfMs ?? 0)))
    .map((row) => [row.key, ...configs.flatMap((config) => fields.map((field) => ms(row[config]?.[field] ?? 0)))])
  const med = (config, field) => ms(median(profiled[config].map((run) => run.profile[field])))
  rows.push(['ALL busy samples (not idle)', ...configs.flatMap((config) => [med(config, 'busyMs'), '', med(config, 'busyThreadMs')])])
  rows.push(['ALL samples with an SDK frame', ...configs.flatMap((config) => ['', med(config, 'sdkTotalMs'), med(config, 'sdkTotalThreadMs')])])
  log(textTable(`Sampled time per source file, ms (every ${output.intervalUs} µs, median of ${profiled.baseline.length} profiled visit(s)). self = leaf, total = on the stack, ~thr = self scaled to thread time`, ['source file', ...configs.flatMap((config) => [`${config} self`, 'total', '~thr'])], rows))
  log('Profiled visits also pay the sampler and the trace: compare configurations here, take absolute costs from the unprofiled tables.')

  for (const config of configs.filter((c) => c !== 'baseline')) {
    const runs = profiled[config]
    const functions = mergeRows(runs, (run) => run.profile.sdkFunctions, ['selfMs', 'totalMs', 'selfThreadMs', 'totalThreadMs'])
    log(textTable(`${config}: top 30 SDK functions by self time scaled to thread time (ms; self, total = sampled wall)`, ['function file:line', 'self', 'total', '~thr self', '~thr total'], functions.sort((a, b) => b.selfThreadMs - a.selfThreadMs).slice(0, 30).map((row) => [row.key, ms(row.selfMs), ms(row.totalMs), ms(row.selfThreadMs), ms(row.totalThreadMs)])))
    const lines = mergeRows(runs, (run) => run.profile.hotLines, ['selfMs', 'selfThreadMs'])
    const codeOf = new Map(runs.flatMap((run) => run.profile.hotLines.map((row) => [row.key, `${row.fn}: ${row.code}`])))
    log(textTable(`${config}: hottest SDK source lines (self time by line, from the profile's position ticks)`, ['file:line', 'self', '~thr', 'function: code'], lines.sort((a, b) => b.selfThreadMs - a.selfThreadMs).slice(0, 25).map((row) => [row.key, ms(row.selfMs), ms(row.selfThreadMs), codeOf.get(row.key)])))
    const entries = mergeRows(runs, (run) => run.profile.entries, ['totalMs', 'totalThreadMs']).sort((a, b) => b.totalThreadMs - a.totalThreadMs)
    log(textTable(`${config}: SDK time by entry point (outermost SDK frame, guard() skipped), ms`, ['entry point', 'total', '~thr total'], entries.slice(0, 20).map((row) => [row.key, ms(row.totalMs), ms(row.totalThreadMs)])))
    const last = runs[runs.length - 1].trace
    if (!last) continue
    printTraceTables(`${config} (last profiled visit)`, last)
    for (const [i, run] of runs.entries()) {
      if (!run.trace) continue
      printLongTasks(run.trace.longTasks, `${config} profiled visit ${i + 1}`)
    }
    last.topSdkTasks.slice(0, 3).forEach((task, j) => printTask(task, `${config} (last profiled visit): longest task running SDK code #${j + 1}`))
  }
  for (const [i, run] of profiled.baseline.entries()) {
    const long = run.trace?.longTasks ?? []
    log(`\nbaseline profiled visit ${i + 1}: ${long.length ? long.map((task) => `long task at ${task.atMs} ms, wall ${task.wallMs} ms, thread ${task.threadMs} ms`).join('; ') : `no task over ${LONG_TASK_MS} ms`}`)
  }
}

await main()
