// Main-thread cost over a no-SDK baseline: the same scripted visit of bench/pages/landing.html
// (load, wheel-scroll to the bottom, ~35 clicks with a rage click on a broken button and a
// dead click, a form filled and typed into with one failed submit, an uncaught error, an SPA
// navigation, then the tab closed) with no SDK, with frictionlog's script tag (default
// plugins) and with each peer, all sending to a local recorder. CDP Performance.getMetrics
// (ScriptDuration, TaskDuration) is read just before the close; long tasks come from a
// PerformanceObserver injected at document start. Configurations alternate within each round.
/* global window, document, innerHeight, localStorage, PerformanceObserver -- inside page callbacks, which run in the page */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closePage, launchChromium, markdownTable, median, round, sleep, startCollector, startRecorder, startStaticServer, textTable } from './lib.mjs'
import { buildPeerScripts, PEERS, peerVersion, slug } from './peers.mjs'

const LONG_TASKS = () => {
  window.__longTasks = { count: 0, totalMs: 0 }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        window.__longTasks.count++
        window.__longTasks.totalMs += entry.duration
      }
    }).observe({ type: 'longtask', buffered: true })
  } catch {
    // No long-task support: the counts stay at 0.
  }
}

/**
 * The tag each configuration puts in the page. frictionlog: the snippet queue's `init` with
 * the defaults of the script tag (every plugin but replay) and a `beforeSend` that only
 * counts, saved at pagehide/hidden so "emitted" can be read back after the tab is closed.
 */
const sdkTag = ({ sdk, endpoint }) => {
  if (sdk === 'frictionlog') {
    return `<script>
window.__flEmitted = 0
window.frictionlog = [['init', { endpoint: ${JSON.stringify(endpoint + '/e')}, site: 'bench', beforeSend: function (e) { window.__flEmitted++; return e } }]]
addEventListener('DOMContentLoaded', function () {
  var save = function () { try { localStorage.setItem('__flEmitted', String(window.__flEmitted)) } catch (e) {} }
  addEventListener('pagehide', save)
  addEventListener('visibilitychange', save)
})
</script>
<script defer src="/frictionlog.global.js"></script>`
  }
  const peer = PEERS.find((candidate) => candidate.name === sdk)
  return peer ? `<script defer src="/peers/${slug(peer.name)}.js" data-endpoint="${endpoint}"></script>` : ''
}

/** The scripted visit. Returns the number of clicks made. */
const session = async (page, origin, sdk) => {
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

const metricsOf = async (cdp) => {
  const { metrics } = await cdp.send('Performance.getMetrics')
  const get = (name) => metrics.find((metric) => metric.name === name)?.value ?? NaN
  return { scriptMs: get('ScriptDuration') * 1000, taskMs: get('TaskDuration') * 1000, heapMB: get('JSHeapUsedSize') / 1048576 }
}

const runOnce = async ({ chromium, server, recorder, collector, sdk }) => {
  const context = await chromium.newContext()
  await context.addInitScript(LONG_TASKS)
  const page = await context.newPage()
  const pageErrors = []
  page.on('pageerror', (error) => pageErrors.push(String(error.message ?? error).slice(0, 120)))
  const cdp = await context.newCDPSession(page)
  // Thread time, not wall time: on a shared 2-core machine a descheduled renderer would
  // otherwise count the time other processes ran as ours.
  await cdp.send('Performance.enable', { timeDomain: 'threadTicks' })
  recorder.reset()
  const acceptedBefore = collector.stats().accepted
  const started = Date.now()
  const clicks = await session(page, server.origin, sdk)
  const metrics = await metricsOf(cdp)
  const longTasks = await page.evaluate(() => window.__longTasks)
  const closedAt = Date.now()
  await closePage(page)
  // Beacons of the closing page land within milliseconds; give slow ones a moment.
  await sleep(600)
  const run = { sdk, clicks, ...metrics, longTasks: longTasks.count, longTaskMs: longTasks.totalMs, sessionMs: closedAt - started }
  const requests = recorder.requests.filter((request) => request.method !== 'OPTIONS')
  const posts = requests.filter((request) => request.events !== undefined)
  run.requests = requests.length
  run.wireBytes = posts.reduce((sum, request) => sum + request.bytes, 0)
  run.eventsOnWire = posts.every((request) => request.events !== null) ? posts.reduce((sum, request) => sum + request.events, 0) : null
  run.requestsAfterClose = posts.filter((request) => request.at >= closedAt).length
  run.eventsAfterClose = posts.filter((request) => request.at >= closedAt).reduce((sum, request) => sum + (request.events ?? 0), 0)
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

export const run = async ({ runs = 5, log = () => {} } = {}) => {
  await buildPeerScripts()
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-main-'))
  const collector = await startCollector(join(work, 'store'))
  const recorder = await startRecorder({ upstream: collector })
  const server = await startStaticServer({ sdkTag: ({ sdk }) => sdkTag({ sdk, endpoint: recorder.origin }) })
  const chromium = await launchChromium()
  const configs = ['baseline', 'frictionlog', ...PEERS.map((peer) => peer.name)]
  const raw = Object.fromEntries(configs.map((config) => [config, []]))
  try {
    // Warm-up visit (not counted): the first page of a fresh browser pays one-off costs.
    await runOnce({ chromium, server, recorder, collector, sdk: 'baseline' })
    for (let round = 0; round < runs; round++) {
      // Rotate the order every round so slow drift (thermal, caches) spreads over everyone.
      const order = configs.map((_, i) => configs[(i + round) % configs.length])
      if (round % 2) order.reverse()
      for (const sdk of order) {
        const result = await runOnce({ chromium, server, recorder, collector, sdk })
        raw[sdk].push(result)
        log(`  main thread round ${round + 1}/${runs} ${sdk}: script ${result.scriptMs.toFixed(0)} ms, task ${result.taskMs.toFixed(0)} ms, long tasks ${result.longTasks}`)
      }
    }
  } finally {
    await chromium.browser.close()
    await server.close()
    await recorder.close()
    await collector.close()
    rmSync(work, { recursive: true, force: true })
  }
  const med = (config, key) => median(raw[config].map((entry) => entry[key]))
  // Paired: each run minus the baseline run of the same round (adjacent in time), then the median.
  const added = (config, key) => median(raw[config].map((entry, i) => entry[key] - raw.baseline[i][key]))
  const summary = configs.map((config) => {
    const version = config === 'baseline' ? null : config === 'frictionlog' ? 'workspace' : peerVersion(PEERS.find((peer) => peer.name === config).pkg)
    const entry = {
      config,
      version,
      runs: raw[config].length,
      scriptMs: round(med(config, 'scriptMs'), 1),
      taskMs: round(med(config, 'taskMs'), 1),
      scriptAddedMs: round(added(config, 'scriptMs'), 1),
      taskAddedMs: round(added(config, 'taskMs'), 1),
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
      entry.deliveryPerRun = raw[config].map((entry) => ({ emitted: entry.emitted, sent: entry.sentUnique, stored: entry.stored }))
    }
    return entry
  })
  const fl = summary.find((entry) => entry.config === 'frictionlog')
  for (const entry of summary) {
    if (entry.config === 'baseline' || entry.config === 'frictionlog') continue
    entry.ratioScript = entry.scriptAddedMs > 0 ? round(fl.scriptAddedMs / entry.scriptAddedMs, 2) : null
    entry.ratioTask = entry.taskAddedMs > 0 ? round(fl.taskAddedMs / entry.taskAddedMs, 2) : null
  }
  return { runs, chromium: chromium.version, userAgent: chromium.userAgent, peers: PEERS.map(({ name, config }) => ({ name, config })), summary, raw }
}

export const tables = (result) => {
  const headers = ['configuration', 'runs', 'script ms', '+script ms', 'fl/peer +script', 'task ms', '+task ms', 'fl/peer +task', 'long tasks', 'long task ms', '+heap MB']
  const rows = result.summary.map((entry) => [
    entry.config,
    entry.runs,
    entry.scriptMs,
    entry.config === 'baseline' ? '—' : entry.scriptAddedMs,
    entry.ratioScript ?? '—',
    entry.taskMs,
    entry.config === 'baseline' ? '—' : entry.taskAddedMs,
    entry.ratioTask ?? '—',
    entry.longTasks,
    entry.longTaskMs,
    entry.config === 'baseline' ? '—' : entry.heapAddedMB,
  ])
  const wireHeaders = ['configuration', 'requests', 'kB sent', 'events on the wire', 'requests after close', 'events after close', 'lazy-load 404s', 'SDK page errors']
  const wireRows = result.summary
    .filter((entry) => entry.config !== 'baseline')
    .map((entry) => [entry.config, entry.requests, entry.wireKB, entry.eventsOnWire, entry.requestsAfterClose, entry.eventsAfterClose, entry.lazyLoads404, entry.otherPageErrors])
  const fl = result.summary.find((entry) => entry.config === 'frictionlog')
  const deliveryHeaders = ['run', 'emitted by the SDK', 'unique ids sent', 'stored by the collector']
  const deliveryRows = fl.deliveryPerRun.map((entry, i) => [i + 1, entry.emitted, entry.sent, entry.stored])
  return {
    text: [
      textTable(`Main thread, medians of ${result.runs} runs (Chromium ${result.chromium}); + = over the no-SDK baseline`, headers, rows),
      textTable('Same sessions: requests to the local endpoint (median)', wireHeaders, wireRows),
      textTable('frictionlog, same sessions: delivered vs sent at page close', deliveryHeaders, deliveryRows),
    ].join('\n'),
    markdown: markdownTable(headers, rows),
    wireMarkdown: markdownTable(wireHeaders, wireRows),
    deliveryMarkdown: markdownTable(deliveryHeaders, deliveryRows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const runs = Number(process.argv[2] ?? 1)
  const result = await run({ runs, log: console.log })
  console.log(tables(result).text)
  if (process.argv.includes('--raw')) console.log(JSON.stringify(result.raw, null, 1))
}
