// Main-thread cost over a no-SDK baseline: the same scripted visit of bench/pages/landing.html
// (load, wheel-scroll to the bottom, ~35 clicks with a rage click on a broken button and a
// dead click, a form filled and typed into with one failed submit, an uncaught error, an SPA
// navigation, then the tab closed) with no SDK, with frictionlog's script tag (default
// plugins) and with each peer, all sending to a local recorder. CDP Performance.getMetrics
// (ScriptDuration, TaskDuration) is read just before the close; long tasks come from a
// PerformanceObserver injected at document start. Configurations alternate within each round.
// Then the per-plugin breakdown: the same visit with `createTracker` and no plugin ("core")
// and with core + each one capture plugin, bundled from the ESM build into bench/.tmp/fl;
// and the cost of scrollDepth's scroll handler per 100 scroll events.
/* global window, document, innerHeight, localStorage, performance, PerformanceObserver, scrollTo, addEventListener,
   Event -- inside page callbacks, which run in the page */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { build } from 'esbuild'
import {
  closePage,
  closeRig,
  ensureTmp,
  markdownTable,
  median,
  range,
  ROOT,
  round,
  sleep,
  startRig,
  textTable,
  withRange,
} from './lib.mjs'
import { BUNDLE_OPTIONS, buildPeerScripts, PEERS, peerVersion, slug } from './peers.mjs'
import { parseArgs } from 'node:util'

/** The capture plugins measured one at a time on top of the bare core (`createTracker` with no plugin). */
export const PLUGINS = ['scrollDepth', 'clicks', 'errors', 'webVitals', 'forms', 'sections']
// Per-plugin configurations: `fl:core` and `fl:<plugin>` (core + that one plugin).
const PLUGIN_CONFIGS = ['core', ...PLUGINS].map((name) => `fl:${name}`)
const pluginLabel = (config) =>
  config === 'baseline' ? 'baseline' : config === 'fl:core' ? 'frictionlog core' : `core + ${config.slice(3)}`

/**
 * One minified IIFE per configuration at bench/.tmp/fl/<name>.js (served as /fl/<name>.js),
 * bundled from the ESM build as an npm user would: `createTracker` with no plugin or with one,
 * the endpoint from the page's query string (or the tag's data-endpoint).
 */
const buildPluginScripts = async () => {
  const src = ensureTmp('fl/src')
  const out = ensureTmp('fl')
  const index = JSON.stringify(join(ROOT, 'dist/index.js'))
  for (const config of PLUGIN_CONFIGS) {
    const name = config.slice(3)
    const imports = name === 'core' ? 'createTracker' : `createTracker, ${name}`
    const entry = join(src, `${name}.js`)
    writeFileSync(
      entry,
      `import { ${imports} } from ${index}
var tag = document.currentScript
var endpoint = new URLSearchParams(location.search).get('endpoint') ||
  (tag && tag.dataset.endpoint) || 'http://127.0.0.1:9'
window.__fl = createTracker({
  endpoint: endpoint + '/e', site: 'bench', plugins: [${name === 'core' ? '' : `${name}()`}]
})
`,
    )
    await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], format: 'iife', outfile: join(out, `${name}.js`) })
  }
}

/**
 * Injected at document start in every visit: long tasks (start and duration) from a buffered
 * PerformanceObserver, and the time of the replay plugin's `setup`, which runs rrweb's `record()`
 * (the full snapshot) synchronously when consent allows: the factory `frictionlog.replay.js` sets
 * is wrapped as it is assigned (nothing else touches `window.frictionlogReplay`).
 */
export const INSTRUMENT = () => {
  window.__longTasks = []
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries())
        window.__longTasks.push({ start: entry.startTime, duration: entry.duration })
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task support: the list stays empty.
  }
  let factory
  Object.defineProperty(window, 'frictionlogReplay', {
    configurable: true,
    get: () => factory,
    set: (real) => {
      factory = (options) => {
        const plugin = real(options)
        return {
          ...plugin,
          setup(ctx) {
            const started = (window.__recordAt = performance.now())
            const teardown = plugin.setup(ctx)
            window.__recordMs = performance.now() - started
            return teardown
          },
        }
      }
    },
  })
}

/** The long tasks of a visit, and the one a recorder's `record()` ran in (replay's table). */
const longTaskFigures = ({ longTasks, recordMs, recordAt }) => {
  const durations = longTasks.map((task) => task.duration)
  const recordTask = longTasks.find(
    (task) => recordAt !== null && task.start <= recordAt && recordAt <= task.start + task.duration,
  )
  return {
    longTasks: durations.length,
    longTaskMs: durations.reduce((sum, ms) => sum + ms, 0),
    longestTaskMs: Math.max(0, ...durations),
    recordMs,
    recordTaskMs: recordTask?.duration ?? (recordAt === null ? null : 0),
    recordAt: recordAt === null ? null : Math.round(recordAt),
    longTaskList: longTasks.map((task) => ({ start: Math.round(task.start), ms: Math.round(task.duration) })),
  }
}

/**
 * The tag each configuration puts in the page. frictionlog: the snippet queue's `init` with
 * the defaults of the script tag (every plugin but replay) and a `beforeSend` that only
 * counts, saved at pagehide/hidden so "emitted" can be read back after the tab is closed.
 */
export const sdkTag = ({ sdk, endpoint }) => {
  if (sdk === 'frictionlog') {
    return `<script>
window.__flEmitted = 0
window.frictionlog = [['init', {
  endpoint: ${JSON.stringify(endpoint + '/e')}, site: 'bench',
  beforeSend: function (e) { window.__flEmitted++; return e }
}]]
addEventListener('DOMContentLoaded', function () {
  var save = function () { try { localStorage.setItem('__flEmitted', String(window.__flEmitted)) } catch (e) {} }
  addEventListener('pagehide', save)
  addEventListener('visibilitychange', save)
})
</script>
<script defer src="/frictionlog.global.js"></script>`
  }
  if (sdk?.startsWith('fl:')) return `<script defer src="/fl/${sdk.slice(3)}.js" data-endpoint="${endpoint}"></script>`
  const peer = PEERS.find((candidate) => candidate.name === sdk)
  return peer ? `<script defer src="/peers/${slug(peer.name)}.js" data-endpoint="${endpoint}"></script>` : ''
}

/** The scripted visit. Returns the number of clicks made. */
export const session = async (page, origin, sdk) => {
  let clicks = 0
  const click = async (selector) => {
    await page.click(selector)
    clicks++
    await sleep(25)
  }
  await page.goto(`${origin}/landing.html?sdk=${encodeURIComponent(sdk)}`, { waitUntil: 'load' })
  await sleep(500)
  await click('#cta-hero')
  await click('#cta-demo')
  // Wheel-scroll to the bottom, as a reader does, in 400 px steps.
  await page.mouse.move(640, 400)
  const height = await page.evaluate(() => document.documentElement.scrollHeight - innerHeight)
  for (let y = 0; y < height + 400; y += 400) {
    await page.mouse.wheel(0, 400)
    await sleep(50)
  }
  await click('#nav-features')
  for (let i = 0; i < 6; i++) await click(`#tab-${i}`)
  for (const id of ['#slide-next', '#slide-next', '#slide-next', '#slide-prev']) await click(id)
  await click('#billing-yearly')
  await click('#billing-monthly')
  for (let i = 0; i < 6; i++) await click(`#faq-${i} summary`)
  // Rage click: five quick clicks on a button whose handler does nothing.
  await page.locator('#apply-coupon').scrollIntoViewIfNeeded()
  const box = await page.locator('#apply-coupon').boundingBox()
  for (let i = 0; i < 5; i++) {
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2)
    clicks++
    await sleep(70)
  }
  await click('#calculate') // throws an uncaught TypeError
  await click('#plan-pro')
  // The form: one failed submit (bad email, terms unchecked), then a good one.
  await page.fill('#name', 'Dana Baker')
  await page.fill('#email', 'not-an-email')
  await click('#submit')
  await page.fill('#email', 'dana@example.com')
  await page.fill('#company', 'Dana Bakes')
  await page.selectOption('#size', '2-10')
  await page.locator('#about').pressSequentially('Cakes and catering for weddings', { delay: 5 })
  await click('#terms')
  await click('#submit')
  await click('#nav-spa') // history.pushState
  await click('#cta-footer')
  // Dead click last, then quiet: the detector needs 2.5 s without any DOM change.
  await click('#brochure')
  await sleep(2700)
  return clicks
}

export const metricsOf = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (name) => metrics.find((metric) => metric.name === name)?.value ?? NaN
  return {
    scriptMs: get('ScriptDuration') * 1000,
    taskMs: get('TaskDuration') * 1000,
    heapMB: get('JSHeapUsedSize') / 1048576,
  }
}

/**
 * Resolves once the recorder has had no request for `quietMs` since the call or the last request,
 * and every request it forwarded to the collector has its answer (so the collector counted it):
 * the beacons and keepalive fetches of a closed page, without a fixed sleep. At most `maxMs`.
 */
export const requestsSettled = async (recorder, { quietMs = 150, maxMs = 1500 } = {}) => {
  const called = Date.now()
  const until = called + maxMs
  for (;;) {
    const quietFor = Date.now() - Math.max(called, recorder.requests.at(-1)?.at ?? 0)
    const answered = recorder.requests.every((request) => request.outcome !== 'aborted')
    if ((quietFor >= quietMs && answered) || Date.now() >= until) return
    await sleep(Math.max(10, quietMs - quietFor))
  }
}

/** Loads the landing page once per configuration (no scripted visit): the one-off costs of a fresh browser. */
const warmUp = async ({ chromium, server, configs }) => {
  const context = await chromium.newContext()
  const page = await context.newPage()
  for (const sdk of configs) await page.goto(`${server.origin}/landing.html?sdk=${encodeURIComponent(sdk)}`)
  await context.close()
}

/**
 * One visit. `lite` (the per-plugin runs, several at a time): only the main-thread numbers; no
 * request accounting (the recorder is shared by the concurrent visits) and no wait for beacons.
 */
export const runOnce = async ({ chromium, server, recorder, collector, sdk, lite = false }) => {
  const context = await chromium.newContext()
  await context.addInitScript(INSTRUMENT)
  const page = await context.newPage()
  const pageErrors = []
  page.on('pageerror', (error) => pageErrors.push(String(error.message ?? error).slice(0, 120)))
  const cdp = await context.newCDPSession(page)
  // Thread time, not wall time: on a shared 2-core machine a descheduled renderer would
  // otherwise count the time other processes ran as ours.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  if (!lite) recorder.reset()
  const acceptedBefore = collector.stats().accepted
  const started = Date.now()
  const clicks = await session(page, server.origin, sdk)
  const metrics = await metricsOf(cdp)
  const probe = await page.evaluate(() => ({
    longTasks: window.__longTasks,
    recordMs: window.__recordMs ?? null,
    recordAt: window.__recordAt ?? null,
  }))
  const closedAt = Date.now()
  await closePage(page)
  const run = { sdk, clicks, ...metrics, ...longTaskFigures(probe), sessionMs: closedAt - started }
  if (lite) {
    run.otherPageErrors = pageErrors.filter((message) => !message.includes('monthly')).length
    await context.close()
    return run
  }
  // Beacons of the closing page land within milliseconds: wait until no request came for a while.
  await requestsSettled(recorder)
  const requests = recorder.requests.filter((request) => request.method !== 'OPTIONS')
  const posts = requests.filter((request) => request.events !== undefined)
  run.requests = requests.length
  run.wireBytes = posts.reduce((sum, request) => sum + request.bytes, 0)
  run.eventsOnWire = posts.every((request) => request.events !== null)
    ? posts.reduce((sum, request) => sum + request.events, 0)
    : null
  run.requestsAfterClose = posts.filter((request) => request.at >= closedAt).length
  run.eventsAfterClose = posts
    .filter((request) => request.at >= closedAt)
    .reduce((sum, request) => sum + (request.events ?? 0), 0)
  run.lazyLoads404 = requests.filter((request) => request.outcome === 404).length
  // The intentional TypeError is one page error; anything else comes from the SDK.
  run.otherPageErrors = pageErrors.filter((message) => !message.includes('monthly')).length
  if (sdk === 'frictionlog') {
    const blank = await context.newPage()
    await blank.goto(`${server.origin}/blank.html`)
    run.emitted = Number(await blank.evaluate(() => localStorage.getItem('__flEmitted')))
    await blank.close()
    const ids = new Set(posts.flatMap((request) => request.ids ?? []))
    run.sentUnique = ids.size
    run.stored = collector.stats().accepted - acceptedBefore
  }
  await context.close()
  return run
}

/**
 * Cost of scrollDepth's scroll handler: after load, `events` scroll events at real, rising
 * scroll positions (`scrollTo` to the next step, then a `scroll` event dispatched at the
 * document, which bubbles to window as a real one does: one event per step, as if every step
 * were a frame), ScriptDuration (thread time) read before and after. The difference between
 * core + scrollDepth and core is the plugin's cost for those events, milestones included.
 */
const scrollOnce = async ({ chromium, server, sdk, events }) => {
  const context = await chromium.newContext()
  const page = await context.newPage()
  const cdp = await context.newCDPSession(page)
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  await page.goto(`${server.origin}/landing.html?sdk=${encodeURIComponent(sdk)}`, { waitUntil: 'load' })
  await sleep(300)
  await page.evaluate(() => {
    window.__scrolls = 0
    addEventListener('scroll', () => window.__scrolls++, { passive: true })
  })
  const before = await metricsOf(cdp)
  await page.evaluate((n) => {
    const max = document.documentElement.scrollHeight - innerHeight
    for (let i = 1; i <= n; i++) {
      scrollTo(0, Math.round((i * max) / n))
      document.dispatchEvent(new Event('scroll', { bubbles: true }))
    }
  }, events)
  // The real scroll event of the next frame (the position did change) lands in the window too.
  await sleep(100)
  const after = await metricsOf(cdp)
  const scrollEvents = await page.evaluate(() => window.__scrolls)
  await context.close()
  return { sdk, scriptMs: after.scriptMs - before.scriptMs, scrollEvents }
}

/**
 * The main table, the per-plugin table and the scroll handler's cost. `replay` (bench/replay.mjs
 * `inMainRounds`, when both sections run) adds replay's two recorder configurations to the main
 * table's rounds, in the same browser: replay's baseline is then this table's frictionlog visit
 * of the same round, and its bytes sessions are this browser's warm-up. Its results come back as
 * `replayShare` (with the seconds they took) and stay out of this table.
 */
export const run = async ({ runs = 3, log = () => {}, parallel = 4, scrollEvents = 10_000, replay } = {}) => {
  await buildPeerScripts()
  await buildPluginScripts()
  if (replay) await replay.prepare()
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-main-'))
  const rig = await startRig(
    work,
    (recorder) =>
      ({ sdk, endpoint = recorder.origin }) =>
        replay?.configs.includes(sdk) ? replay.sdkTag({ sdk, endpoint }) : sdkTag({ sdk, endpoint }),
  )
  const { collector, recorder, server, chromium } = rig
  const tableConfigs = ['baseline', 'frictionlog', ...PEERS.map((peer) => peer.name)]
  const configs = [...tableConfigs, ...(replay?.configs ?? [])]
  const raw = Object.fromEntries(configs.map((config) => [config, []]))
  let replayShare
  let replayMs = 0
  const pluginConfigs = ['baseline', ...PLUGIN_CONFIGS]
  const pluginRaw = Object.fromEntries(pluginConfigs.map((config) => [config, []]))
  const scrollRaw = { 'fl:core': [], 'fl:scrollDepth': [] }
  try {
    if (replay) {
      const began = Date.now()
      replayShare = { bytes: await replay.bytes({ chromium, server, collector, log }) }
      replayMs += Date.now() - began
    }
    // Warm-up (not counted): the first pages of a fresh browser pay one-off costs (renderer
    // start, the static server's first reads); one load of each script is enough for those.
    await warmUp({ chromium, server, configs })
    for (let round = 0; round < runs; round++) {
      // Rotate the order every round so slow drift (thermal, caches) spreads over everyone.
      const order = configs.map((_, i) => configs[(i + round) % configs.length])
      if (round % 2) order.reverse()
      for (const sdk of order) {
        const began = Date.now()
        const result = await runOnce({ chromium, server, recorder, collector, sdk })
        if (replay?.configs.includes(sdk)) replayMs += Date.now() - began
        raw[sdk].push(result)
        log(
          `  main thread round ${round + 1}/${runs} ${sdk}: script ${result.scriptMs.toFixed(0)} ms, task ` +
            `${result.taskMs.toFixed(0)} ms, long tasks ${result.longTasks}`,
        )
      }
    }
    // Per plugin: the same visit with the bare core and core + one plugin, against its own
    // baseline, `parallel` visits at a time (separate renderers; thread time) to fit the budget.
    for (let round = 0; round < runs; round++) {
      const order = pluginConfigs.map((_, i) => pluginConfigs[(i + round) % pluginConfigs.length])
      if (round % 2) order.reverse()
      for (let i = 0; i < order.length; i += parallel) {
        const batch = order.slice(i, i + parallel)
        const results = await Promise.all(
          batch.map((sdk) => runOnce({ chromium, server, recorder, collector, sdk, lite: true })),
        )
        for (const result of results) {
          pluginRaw[result.sdk].push(result)
          log(
            `  per plugin round ${round + 1}/${runs} ${pluginLabel(result.sdk)}: script ` +
              `${result.scriptMs.toFixed(0)} ms, long tasks ${result.longTasks}, visit ` +
              `${(result.sessionMs / 1000).toFixed(1)} s`,
          )
        }
      }
    }
    // Scroll handler cost: core vs core + scrollDepth, alternating, one visit at a time.
    for (let round = 0; round < runs; round++) {
      for (const sdk of round % 2 ? ['fl:scrollDepth', 'fl:core'] : ['fl:core', 'fl:scrollDepth']) {
        scrollRaw[sdk].push(await scrollOnce({ chromium, server, sdk, events: scrollEvents }))
      }
      log(
        `  scroll round ${round + 1}/${runs}: core ${scrollRaw['fl:core'][round].scriptMs.toFixed(2)} ms, core + ` +
          `scrollDepth ${scrollRaw['fl:scrollDepth'][round].scriptMs.toFixed(2)} ms for ` +
          `${scrollRaw['fl:scrollDepth'][round].scrollEvents} scroll events`,
      )
    }
  } finally {
    await closeRig(rig)
  }
  const med = (config, key) => median(raw[config].map((entry) => entry[key]))
  // Paired: each run minus the baseline run of the same round (adjacent in time), then the median.
  const paired = (config, key) => raw[config].map((entry, i) => entry[key] - raw.baseline[i][key])
  const added = (config, key) => median(paired(config, key))
  const summary = tableConfigs.map((config) => {
    const version =
      config === 'baseline'
        ? null
        : config === 'frictionlog'
          ? 'workspace'
          : peerVersion(PEERS.find((peer) => peer.name === config).pkg)
    const entry = {
      config,
      version,
      runs: raw[config].length,
      scriptMs: round(med(config, 'scriptMs'), 1),
      taskMs: round(med(config, 'taskMs'), 1),
      scriptAddedMs: round(added(config, 'scriptMs'), 1),
      scriptAddedRange: range(paired(config, 'scriptMs')),
      taskAddedMs: round(added(config, 'taskMs'), 1),
      taskAddedRange: range(paired(config, 'taskMs')),
      heapAddedMB: round(added(config, 'heapMB'), 2),
      longTasks: med(config, 'longTasks'),
      longTaskMs: round(med(config, 'longTaskMs'), 0),
      requests: med(config, 'requests'),
      wireKB: round(med(config, 'wireBytes') / 1024, 1),
      eventsOnWire: raw[config].some((entry) => entry.eventsOnWire === null) ? null : med(config, 'eventsOnWire'),
      requestsAfterClose: med(config, 'requestsAfterClose'),
      eventsAfterClose: med(config, 'eventsAfterClose'),
      lazyLoads404: med(config, 'lazyLoads404'),
      otherPageErrors: med(config, 'otherPageErrors'),
      clicks: med(config, 'clicks'),
    }
    if (config === 'frictionlog') {
      entry.emitted = med(config, 'emitted')
      entry.sentUnique = med(config, 'sentUnique')
      entry.stored = med(config, 'stored')
      entry.deliveryPerRun = raw[config].map((entry) => ({
        emitted: entry.emitted,
        sent: entry.sentUnique,
        stored: entry.stored,
      }))
    }
    return entry
  })
  const fl = summary.find((entry) => entry.config === 'frictionlog')
  for (const entry of summary) {
    if (entry.config === 'baseline' || entry.config === 'frictionlog') continue
    entry.ratioScript = entry.scriptAddedMs > 0 ? round(fl.scriptAddedMs / entry.scriptAddedMs, 2) : null
    entry.ratioTask = entry.taskAddedMs > 0 ? round(fl.taskAddedMs / entry.taskAddedMs, 2) : null
  }
  if (replay) {
    const { frictionlog, ...rest } = raw
    replayShare.raw = { fl: frictionlog, ...Object.fromEntries(replay.configs.map((sdk) => [sdk, rest[sdk]])) }
    replayShare.seconds = Math.round(replayMs / 1000)
    replayShare.chromium = chromium.version
    for (const sdk of replay.configs) delete raw[sdk]
  }
  return {
    runs,
    chromium: chromium.version,
    userAgent: chromium.userAgent,
    replayShare,
    peers: PEERS.map(({ name, config }) => ({ name, config })),
    summary,
    plugins: pluginSummary(pluginRaw, parallel),
    scroll: scrollSummary(scrollRaw, scrollEvents),
    raw,
    pluginRaw,
    scrollRaw,
  }
}

/** Medians per configuration; `+` paired by round against the baseline and against the bare core. */
const pluginSummary = (raw, parallel) => {
  const med = (config, key) => median(raw[config].map((entry) => entry[key]))
  const over = (config, ref, key) => median(raw[config].map((entry, i) => entry[key] - raw[ref][i][key]))
  const summary = Object.keys(raw).map((config) => ({
    config: pluginLabel(config),
    sdk: config,
    runs: raw[config].length,
    scriptMs: round(med(config, 'scriptMs'), 1),
    taskMs: round(med(config, 'taskMs'), 1),
    scriptAddedMs: config === 'baseline' ? null : round(over(config, 'baseline', 'scriptMs'), 1),
    taskAddedMs: config === 'baseline' ? null : round(over(config, 'baseline', 'taskMs'), 1),
    scriptOverCoreMs: PLUGINS.includes(config.slice(3)) ? round(over(config, 'fl:core', 'scriptMs'), 1) : null,
    taskOverCoreMs: PLUGINS.includes(config.slice(3)) ? round(over(config, 'fl:core', 'taskMs'), 1) : null,
    longTasks: med(config, 'longTasks'),
    longTaskMs: round(med(config, 'longTaskMs'), 0),
    otherPageErrors: med(config, 'otherPageErrors'),
  }))
  const plugins = summary.filter((entry) => entry.scriptOverCoreMs !== null)
  const core = summary.find((entry) => entry.sdk === 'fl:core')
  const sum = (key) =>
    round(
      plugins.reduce((total, entry) => total + entry[key], 0),
      1,
    )
  // Not measured: the core's + plus each plugin's + over the core, a rough "all six" to set
  // beside the script tag's row of the main table.
  const estimate = {
    scriptAddedMs: round(core.scriptAddedMs + sum('scriptOverCoreMs'), 1),
    taskAddedMs: round(core.taskAddedMs + sum('taskOverCoreMs'), 1),
    scriptOverCoreMs: sum('scriptOverCoreMs'),
    taskOverCoreMs: sum('taskOverCoreMs'),
  }
  return { parallel, summary, estimate }
}

const scrollSummary = (raw, events) => {
  const core = raw['fl:core']
  const plugin = raw['fl:scrollDepth']
  const perRound = plugin.map((entry, i) => ({
    addedMs: entry.scriptMs - core[i].scriptMs,
    scrollEvents: entry.scrollEvents,
  }))
  return {
    runs: plugin.length,
    dispatched: events,
    scrollEvents: median(plugin.map((entry) => entry.scrollEvents)),
    coreMs: round(median(core.map((entry) => entry.scriptMs)), 2),
    scrollDepthMs: round(median(plugin.map((entry) => entry.scriptMs)), 2),
    addedMs: round(median(perRound.map((entry) => entry.addedMs)), 2),
    msPer100: round(median(perRound.map((entry) => (entry.addedMs / entry.scrollEvents) * 100)), 3),
    msPer100PerRun: perRound.map((entry) => round((entry.addedMs / entry.scrollEvents) * 100, 3)),
  }
}

export const tables = (result) => {
  const headers = [
    'configuration',
    'runs',
    'script ms',
    '+script ms (range)',
    'fl/peer +script',
    'task ms',
    '+task ms (range)',
    'fl/peer +task',
    'long tasks',
    'long task ms',
    '+heap MB',
  ]
  const rows = result.summary.map((entry) => [
    entry.config,
    entry.runs,
    entry.scriptMs,
    entry.config === 'baseline' ? '—' : withRange(entry.scriptAddedMs, entry.scriptAddedRange),
    entry.ratioScript ?? '—',
    entry.taskMs,
    entry.config === 'baseline' ? '—' : withRange(entry.taskAddedMs, entry.taskAddedRange),
    entry.ratioTask ?? '—',
    entry.longTasks,
    entry.longTaskMs,
    entry.config === 'baseline' ? '—' : entry.heapAddedMB,
  ])
  const wireHeaders = [
    'configuration',
    'requests',
    'kB sent',
    'events on the wire',
    'requests after close',
    'events after close',
    'lazy-load 404s',
    'SDK page errors',
  ]
  const wireRows = result.summary
    .filter((entry) => entry.config !== 'baseline')
    .map((entry) => [
      entry.config,
      entry.requests,
      entry.wireKB,
      entry.eventsOnWire,
      entry.requestsAfterClose,
      entry.eventsAfterClose,
      entry.lazyLoads404,
      entry.otherPageErrors,
    ])
  const fl = result.summary.find((entry) => entry.config === 'frictionlog')
  const deliveryHeaders = ['run', 'emitted by the SDK', 'unique ids sent', 'stored by the collector']
  const deliveryRows = fl.deliveryPerRun.map((entry, i) => [i + 1, entry.emitted, entry.sent, entry.stored])
  const plugin = result.plugins ? pluginTables(result) : { text: [], markdown: null, scrollMarkdown: null }
  return {
    text: [
      textTable(
        `Main thread, medians of ${result.runs} runs (Chromium ${result.chromium}); + = over the no-SDK baseline`,
        headers,
        rows,
      ),
      textTable('Same sessions: requests to the local endpoint (median)', wireHeaders, wireRows),
      textTable('frictionlog, same sessions: delivered vs sent at page close', deliveryHeaders, deliveryRows),
      ...plugin.text,
    ].join('\n'),
    markdown: markdownTable(headers, rows),
    wireMarkdown: markdownTable(wireHeaders, wireRows),
    deliveryMarkdown: markdownTable(deliveryHeaders, deliveryRows),
    pluginsMarkdown: plugin.markdown,
    scrollMarkdown: plugin.scrollMarkdown,
  }
}

const pluginTables = (result) => {
  const dash = (value, config) => (config === 'baseline' ? '—' : (value ?? '—'))
  const headers = [
    'configuration',
    'runs',
    'script ms',
    '+script ms over baseline',
    '+script ms over core',
    'task ms',
    '+task ms over baseline',
    '+task ms over core',
    'long tasks',
    'long task ms',
  ]
  const rows = result.plugins.summary.map((entry) => [
    entry.config,
    entry.runs,
    entry.scriptMs,
    dash(entry.scriptAddedMs, entry.sdk),
    dash(entry.scriptOverCoreMs, entry.sdk),
    entry.taskMs,
    dash(entry.taskAddedMs, entry.sdk),
    dash(entry.taskOverCoreMs, entry.sdk),
    entry.longTasks,
    entry.longTaskMs,
  ])
  const e = result.plugins.estimate
  rows.push([
    'core + all six (sum of the rows, not measured)',
    '—',
    '—',
    e.scriptAddedMs,
    e.scriptOverCoreMs,
    '—',
    e.taskAddedMs,
    e.taskOverCoreMs,
    '—',
    '—',
  ])
  const s = result.scroll
  const scrollHeaders = [
    'configuration',
    'runs',
    'scroll events',
    'script ms in the window',
    '+script ms over core',
    'ms per 100 scroll events',
  ]
  const scrollRows = [
    ['frictionlog core', s.runs, s.scrollEvents, s.coreMs, '—', '—'],
    ['core + scrollDepth', s.runs, s.scrollEvents, s.scrollDepthMs, s.addedMs, s.msPer100],
  ]
  return {
    text: [
      textTable(
        `Per plugin, same visit, medians of ${result.plugins.summary[0].runs} runs, ${result.plugins.parallel} ` +
          `visits at a time; + paired by round`,
        headers,
        rows,
      ),
      textTable(
        `scrollDepth: ${s.dispatched} scroll events at rising positions (per-run ms/100: ` +
          `${s.msPer100PerRun.join(', ')})`,
        scrollHeaders,
        scrollRows,
      ),
    ],
    markdown: markdownTable(headers, rows),
    scrollMarkdown: markdownTable(scrollHeaders, scrollRows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    options: { raw: { type: 'boolean', default: false } },
    allowPositionals: true,
  })
  const runs = Number(positionals[0] ?? 1)
  const result = await run({ runs, log: console.log })
  console.log(tables(result).text)
  if (values.raw) console.log(JSON.stringify(result.raw, null, 1))
}
