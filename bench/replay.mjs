// Session replay: what recording costs the page, against rrweb's own defaults, and how many
// bytes a minute of recording makes.
// 1. Main thread: the main table's scripted visit of bench/pages/landing.html (mainThread.mjs
//    `session`), with frictionlog's script tag alone (the baseline), with `data-replay="1"`
//    (the replay plugin, our defaults) and with plain rrweb `record()` (rrweb's defaults) next
//    to the script tag (the main table has frictionlog over a page without SDK). CDP thread-time
//    metrics read before the close, long tasks from a PerformanceObserver, configurations
//    alternating within rounds.
// 2. Bytes: one longer scripted session (scrolling, clicking, typing) per recorder, both at
//    once in two contexts, extrapolated per minute. Run first: they also warm the browser up.
/* global window -- inside page callbacks, which run in the page */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import {
  closePage,
  closeRig,
  ensureTmp,
  launchChromium,
  markdownTable,
  median,
  round,
  sleep,
  startCollector,
  startRecorder,
  startStaticServer,
  textTable,
} from './lib.mjs'
import { INSTRUMENT, requestsSettled, runOnce, sdkTag as mainSdkTag } from './mainThread.mjs'
import { BUNDLE_OPTIONS, peerVersion } from './peers.mjs'
import { parseArgs } from 'node:util'

/** The configurations, by the `sdk` value of the page's query string. */
export const CONFIGS = {
  fl: 'frictionlog (no replay)',
  'fl-replay': 'frictionlog + replay()',
  'fl-rrweb': 'frictionlog + rrweb record()',
}
const BASELINE = 'fl'
const RECORDERS = ['fl-replay', 'fl-rrweb']
// Long enough for several 10 s chunks, short enough for the time budget (~2.5 min at 5 rounds).
const BYTES_SESSION_MS = 30_000
const FL_TAG = '<script defer src="/frictionlog.global.js">'

// ---------------------------------------------------------------------------- pages

/**
 * rrweb's `record` alone (not the UMD file, which also carries the replayer: 282 kB against
 * 195 kB), bundled from rrweb's ESM build like the peers, at bench/.tmp/fl/rrweb-record.js.
 * rrweb's defaults; events kept in an array, nothing serialized nor sent during the visit, so
 * this is the recorder's cost only. The time of the `record()` call is the synchronous full
 * snapshot. It runs in a task of its own, as replay's runs in its script's onload: in both
 * rows the script's evaluation and the snapshot are then separate tasks, so the long-task
 * columns compare the same things.
 */
const buildRrwebScript = async () => {
  const entry = join(ensureTmp('fl/src'), 'rrweb-record.js')
  writeFileSync(
    entry,
    `import { record } from 'rrweb'
window.__rrweb = []
setTimeout(function () {
  var started = (window.__recordAt = performance.now())
  record({ emit: function (event) { window.__rrweb.push(event) } })
  window.__recordMs = performance.now() - started
}, 0)
`,
  )
  await build({
    ...BUNDLE_OPTIONS,
    entryPoints: [entry],
    format: 'iife',
    outfile: join(ensureTmp('fl'), 'rrweb-record.js'),
  })
}

/**
 * The main table's frictionlog tag (snippet `init` with the script tag's defaults), so the
 * baseline is that table's frictionlog row; replay adds `data-replay="1"` (every session
 * recorded; the default consent is 'granted' with no `replay: false` scope, so it records at
 * once and `frictionlog.replay.js` is fetched right after init); rrweb comes after the tag.
 */
export const sdkTag = ({ sdk, endpoint }) => {
  const fl = mainSdkTag({ sdk: 'frictionlog', endpoint })
  if (!fl.includes(FL_TAG))
    throw new Error(`bench/replay.mjs: the frictionlog tag of mainThread.mjs changed (no ${FL_TAG})`)
  if (sdk === 'fl-replay') return fl.replace(FL_TAG, FL_TAG.replace('>', ' data-replay="1">'))
  if (sdk === 'fl-rrweb') return `${fl}\n<script defer src="/fl/rrweb-record.js"></script>`
  return fl
}

// ---------------------------------------------------------------------------- main thread

const visitSummary = (raw) => {
  const med = (sdk, key) => median(raw[sdk].map((entry) => entry[key]))
  // Paired: each run minus the baseline run of the same round (adjacent in time), then the median.
  const over = (sdk, key) => median(raw[sdk].map((entry, i) => entry[key] - raw[BASELINE][i][key]))
  return Object.keys(raw).map((sdk) => ({
    sdk,
    config: CONFIGS[sdk],
    runs: raw[sdk].length,
    scriptMs: round(med(sdk, 'scriptMs'), 1),
    taskMs: round(med(sdk, 'taskMs'), 1),
    scriptAddedMs: round(over(sdk, 'scriptMs'), 1),
    taskAddedMs: round(over(sdk, 'taskMs'), 1),
    longTasks: med(sdk, 'longTasks'),
    longTaskMs: round(med(sdk, 'longTaskMs'), 0),
    longestTaskMs: round(med(sdk, 'longestTaskMs'), 0),
    recordMs: RECORDERS.includes(sdk) ? round(med(sdk, 'recordMs'), 1) : null,
    recordTaskMs: RECORDERS.includes(sdk) ? round(med(sdk, 'recordTaskMs'), 0) : null,
  }))
}

// ---------------------------------------------------------------------------- bytes

/**
 * The longer session: load, then rounds of reading (wheel-scrolling down with the mouse
 * moving, then back up), tabs, carousel, FAQ and billing clicks, and typing into the form
 * (never submitted, so the form stays), until `ms` have passed.
 */
const activity = async (page, ms) => {
  const until = Date.now() + ms
  const click = async (selector) => {
    await page.locator(selector).scrollIntoViewIfNeeded()
    await page.click(selector)
    await sleep(150)
  }
  const type = async (selector, text) => {
    await page.fill(selector, '')
    await page.locator(selector).pressSequentially(text, { delay: 60 })
  }
  for (let lap = 0; Date.now() < until; lap++) {
    await page.mouse.move(200, 300)
    for (let i = 0; i < 12 && Date.now() < until; i++) {
      await page.mouse.move(200 + ((i * 80) % 800), 300 + ((i * 37) % 300), { steps: 8 })
      await page.mouse.wheel(0, 350)
      await sleep(200)
    }
    for (let i = 0; i < 6 && Date.now() < until; i++) await click(`#tab-${(i + lap) % 6}`)
    for (const id of ['#slide-next', '#slide-next', '#slide-prev']) if (Date.now() < until) await click(id)
    for (const id of ['#billing-yearly', '#billing-monthly', '#faq-1 summary', '#faq-3 summary'])
      if (Date.now() < until) await click(id)
    if (Date.now() < until) await type('#company', `Dana Bakes ${lap}`)
    if (Date.now() < until) await type('#about', 'Cakes and catering for weddings and birthdays')
    for (let i = 0; i < 8 && Date.now() < until; i++) {
      await page.mouse.wheel(0, -700)
      await sleep(150)
    }
  }
}

/** rrweb events of a `replay` event: a base64 gzip string, or a JSON array sent at page exit. */
const decodeReplay = (events) =>
  Array.isArray(events) ? events : JSON.parse(gunzipSync(Buffer.from(events, 'base64')).toString('utf8'))

/**
 * JSON bytes of the full snapshot: the type-2 event, plus for replay the mutations it was
 * split into to fit the per-event limit (same timestamp).
 */
const snapshotBytes = (events) => {
  const snapshot = events.find((event) => event.type === 2)
  if (!snapshot) return 0
  const parts = events.filter(
    (event) =>
      event === snapshot || (event.type === 3 && event.data?.source === 0 && event.timestamp === snapshot.timestamp),
  )
  return parts.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0)
}

/** One bytes session; its own recorder in front of the collector, so the two at once stay apart. */
const bytesOnce = async ({ chromium, server, collector, sdk, ms }) => {
  const recorder = await startRecorder({ upstream: collector })
  const context = await chromium.newContext()
  await context.addInitScript(INSTRUMENT)
  const page = await context.newPage()
  try {
    await page.goto(`${server.origin}/landing.html?sdk=${sdk}&endpoint=${encodeURIComponent(recorder.origin)}`, {
      waitUntil: 'load',
    })
    const started = Date.now()
    await activity(page, ms)
    // rrweb's array is read before the close (serialized here, after the activity: not in any cost).
    const rrwebJson = sdk === 'fl-rrweb' ? await page.evaluate(() => JSON.stringify(window.__rrweb)) : null
    const sessionMs = Date.now() - started
    await closePage(page)
    // The replay chunks of the exit flush go by beacon: wait until they landed and were stored.
    await requestsSettled(recorder)
    const posts = recorder.requests.filter((request) => request.method === 'POST')
    const result = { sdk, sessionMs, wireBytes: posts.reduce((sum, request) => sum + request.bytes, 0) }
    if (rrwebJson) return { ...result, ...rrwebBytes(JSON.parse(rrwebJson), rrwebJson) }
    const ids = new Set(posts.flatMap((request) => request.ids ?? []))
    const replays = (await collector.readEvents())
      .filter((event) => ids.has(event.id) && event.type === 'replay')
      .sort((a, b) => a.seq - b.seq)
    return { ...result, ...replayBytes(replays) }
  } finally {
    await context.close()
    await recorder.close()
  }
}

/** rrweb's defaults: the JSON as recorded, and gzip of the whole (one stream, Node's default level). */
const rrwebBytes = (events, json) => ({
  rrwebEvents: events.length,
  jsonBytes: Buffer.byteLength(json),
  gzipBytes: gzipSync(json).length,
  snapshotBytes: snapshotBytes(events),
  chunks: null,
  sentBytes: null,
})

/** Replay: what the collector stored (`events` as sent: base64 gzip chunks), decoded for the JSON size. */
const replayBytes = (replays) => {
  const events = replays.flatMap((event) => decodeReplay(event.events))
  const json = JSON.stringify(events)
  return {
    rrwebEvents: events.length,
    jsonBytes: Buffer.byteLength(json),
    gzipBytes: gzipSync(json).length,
    snapshotBytes: snapshotBytes(events),
    chunks: replays.length,
    uncompressedChunks: replays.filter((event) => Array.isArray(event.events)).length,
    // The `events` fields as they crossed the wire inside the batch JSON, and the whole events with their envelope.
    payloadBytes: replays.reduce(
      (sum, event) =>
        sum + Buffer.byteLength(typeof event.events === 'string' ? event.events : JSON.stringify(event.events)),
      0,
    ),
    sentBytes: replays.reduce((sum, event) => sum + Buffer.byteLength(JSON.stringify(event)), 0),
  }
}

const bytesSummary = (runs) => {
  const rrweb = runs.find((entry) => entry.sdk === 'fl-rrweb')
  const perMinute = (entry, bytes) => round((bytes / 1024) * (60_000 / entry.sessionMs), 1)
  return runs.map((entry) => ({
    sdk: entry.sdk,
    config: CONFIGS[entry.sdk],
    sessionS: round(entry.sessionMs / 1000, 1),
    rrwebEvents: entry.rrwebEvents,
    snapshotKB: round(entry.snapshotBytes / 1024, 1),
    jsonKBPerMin: perMinute(entry, entry.jsonBytes),
    jsonAfterSnapshotKBPerMin: perMinute(entry, entry.jsonBytes - entry.snapshotBytes),
    gzipKBPerMin: perMinute(entry, entry.gzipBytes),
    chunks: entry.chunks,
    uncompressedChunks: entry.uncompressedChunks ?? null,
    payloadKBPerMin: entry.payloadBytes === undefined ? null : perMinute(entry, entry.payloadBytes),
    sentKBPerMin: entry.sentBytes === null ? null : perMinute(entry, entry.sentBytes),
    // Both sessions ran frictionlog's default plugins through the same activity: the difference
    // of their requests is what replay added on the wire (after the transport's gzip).
    wireAddedKBPerMin: entry.sdk === 'fl-replay' ? perMinute(entry, entry.wireBytes - rrweb.wireBytes) : null,
  }))
}

// ---------------------------------------------------------------------------- run

/** The bytes sessions: both recorders at once (two contexts), since the byte counts hardly depend on the CPU. */
const bytesPhase = async ({ chromium, server, collector, log, ms = BYTES_SESSION_MS }) => {
  const bytes = await Promise.all(RECORDERS.map((sdk) => bytesOnce({ chromium, server, collector, sdk, ms })))
  for (const entry of bytes)
    log(
      `  bytes ${CONFIGS[entry.sdk]}: ${(entry.sessionMs / 1000).toFixed(1)} s, ${entry.rrwebEvents} rrweb events, ` +
        `${(entry.jsonBytes / 1024).toFixed(1)} kB JSON`,
    )
  return bytes
}

/**
 * What bench/mainThread.mjs needs to run replay's recorder visits in its own rounds, so that
 * replay's baseline (the script tag without replay) is the main table's frictionlog visit of the
 * same round instead of a third visit per round here.
 */
export const inMainRounds = { configs: RECORDERS, sdkTag, prepare: () => buildRrwebScript(), bytes: bytesPhase }

const summarize = ({ runs, chromium, raw, bytes }) => {
  const summary = visitSummary(raw)
  // A recorder that never started would make its row look free.
  for (const sdk of RECORDERS)
    if (raw[sdk].some((entry) => entry.recordMs === null))
      throw new Error(`${CONFIGS[sdk]}: the recorder did not start`)
  const [ours, theirs] = RECORDERS.map((sdk) => summary.find((entry) => entry.sdk === sdk))
  return {
    runs,
    chromium,
    rrweb: peerVersion('rrweb'),
    summary,
    // Replay's + over rrweb's (below 1: replay added less).
    ratioScript: theirs.scriptAddedMs > 0 ? round(ours.scriptAddedMs / theirs.scriptAddedMs, 2) : null,
    ratioTask: theirs.taskAddedMs > 0 ? round(ours.taskAddedMs / theirs.taskAddedMs, 2) : null,
    bytes: bytesSummary(bytes),
    raw,
    bytesRaw: bytes,
  }
}

/**
 * The section. `shared`: the main section's `replayShare` (its rounds ran replay's visits and the
 * bytes sessions); without it, this runs its own browser: bytes sessions first (they are also the
 * warm-up), then rounds of the three configurations.
 */
export const run = async ({ runs = 3, log = () => {}, bytesMs = BYTES_SESSION_MS, shared } = {}) => {
  if (shared) return { ...summarize({ runs, chromium: shared.chromium, raw: shared.raw, bytes: shared.bytes }) }
  await buildRrwebScript()
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-replay-'))
  const collector = await startCollector(join(work, 'store'))
  const recorder = await startRecorder({ upstream: collector })
  const server = await startStaticServer({
    sdkTag: ({ sdk, endpoint }) => sdkTag({ sdk, endpoint: endpoint ?? recorder.origin }),
  })
  const chromium = await launchChromium()
  const configs = Object.keys(CONFIGS)
  const raw = Object.fromEntries(configs.map((sdk) => [sdk, []]))
  let bytes
  try {
    bytes = await bytesPhase({ chromium, server, collector, log, ms: bytesMs })
    for (let r = 0; r < runs; r++) {
      // Rotated every round, reversed every other one, so drift spreads over everyone.
      const order = configs.map((_, i) => configs[(i + r) % configs.length])
      if (r % 2) order.reverse()
      for (const sdk of order) {
        const result = await runOnce({ chromium, server, recorder, collector, sdk })
        raw[sdk].push(result)
        log(
          `  replay round ${r + 1}/${runs} ${CONFIGS[sdk]}: script ${result.scriptMs.toFixed(0)} ms, ` +
            `long tasks ${result.longTasks} (longest ${result.longestTaskMs.toFixed(0)} ms)` +
            (result.recordMs === null ? '' : `, record() ${result.recordMs.toFixed(1)} ms`),
        )
      }
    }
  } finally {
    await closeRig({ chromium, server, recorder, collector, work })
  }
  return summarize({ runs, chromium: chromium.version, raw, bytes })
}

export const tables = (result) => {
  const dash = (value, sdk) => (sdk === BASELINE ? '—' : value)
  const headers = [
    'configuration',
    'runs',
    'script ms',
    '+script ms',
    'task ms',
    '+task ms',
    'long tasks',
    'long task ms',
    'longest task ms',
    'record() ms',
    'its task ms',
  ]
  const rows = result.summary.map((entry) => [
    entry.config,
    entry.runs,
    entry.scriptMs,
    dash(entry.scriptAddedMs, entry.sdk),
    entry.taskMs,
    dash(entry.taskAddedMs, entry.sdk),
    entry.longTasks,
    entry.longTaskMs,
    entry.longestTaskMs,
    entry.recordMs ?? '—',
    entry.recordTaskMs ?? '—',
  ])
  const bytesHeaders = [
    'recorder',
    'session s',
    'rrweb events',
    'snapshot kB',
    'JSON kB/min',
    'JSON kB/min after snapshot',
    'gzip kB/min',
    'sent kB/min',
    'wire kB/min added',
  ]
  const bytesRows = result.bytes.map((entry) => [
    entry.config,
    entry.sessionS,
    entry.rrwebEvents,
    entry.snapshotKB,
    entry.jsonKBPerMin,
    entry.jsonAfterSnapshotKBPerMin,
    entry.gzipKBPerMin,
    entry.sentKBPerMin ?? '—',
    entry.wireAddedKBPerMin ?? '—',
  ])
  return {
    text: [
      textTable(
        `Replay, main thread, medians of ${result.runs} runs (Chromium ${result.chromium}, rrweb ` +
          `${result.rrweb}); + = over frictionlog without replay; replay/rrweb +script ` +
          `${result.ratioScript ?? 'n/a'}, +task ${result.ratioTask ?? 'n/a'}`,
        headers,
        rows,
      ),
      textTable('Replay, bytes per minute of recording (one session each, both at once)', bytesHeaders, bytesRows),
    ].join('\n'),
    markdown: markdownTable(headers, rows),
    bytesMarkdown: markdownTable(bytesHeaders, bytesRows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { positionals } = parseArgs({ allowPositionals: true })
  const runs = Number(positionals[0] ?? 1)
  const result = await run({ runs, log: console.log })
  console.log(tables(result).text)
}
