// `npm run bench`: sizes, main-thread time against the peers, delivery, collector ingest,
// report time and session replay's cost, in one run. Prints a table per section, writes
// bench/results.json and the README's section between <!-- bench:start --> and <!-- bench:end -->.
// Usage: node bench/run.mjs [--runs 3] [--only sizes,main,delivery,ingest,report,replay,redos,clickhouse]
// [--report-events 1000000] [--scale 1m|10m] [--clickhouse-ingest-events 6000]
// `--scale 10m` adds the report on 10M events (NDJSON and ClickHouse, same events) to the ClickHouse
// section: a few minutes more, over the 8-minute target of the default run.
// Needs the build (`npx tsup`). Numbers are what this machine measured; never asserted in tests.
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, totalmem } from 'node:os'
import { join } from 'node:path'
import { CHROMIUM_PATH, ensureTmp, markdownTable, ROOT, runJsonChild, textTable } from './lib.mjs'
import * as clickhouse from './clickhouse.mjs'
import * as delivery from './delivery.mjs'
import * as ingest from './ingest.mjs'
import * as mainThread from './mainThread.mjs'
import * as redos from './redos.mjs'
import * as replay from './replay.mjs'
import { PEERS, peerVersion } from './peers.mjs'
import * as sizes from './sizes.mjs'
import { parseArgs } from 'node:util'

const ALL = ['sizes', 'ingest', 'report', 'delivery', 'main', 'replay', 'redos', 'clickhouse']
const { values: args } = parseArgs({
  options: {
    runs: { type: 'string', default: '3' },
    'report-events': { type: 'string', default: '1000000' },
    scale: { type: 'string', default: '1m' },
    'clickhouse-ingest-events': { type: 'string', default: '6000' },
    only: { type: 'string', default: ALL.join(',') },
  },
})
const RUNS = Number(args.runs)
const REPORT_EVENTS = Number(args['report-events'])
const SCALES = clickhouse.scalesOf(args.scale)
const CLICKHOUSE_INGEST_EVENTS = Number(args['clickhouse-ingest-events'])
/** What the default run must fit in on the bench machine (issue 13). */
const TARGET_SECONDS = 8 * 60
const only = args.only.split(',')
const RESULTS = join(ROOT, 'bench/results.json')
const README = join(ROOT, 'README.md')
const START = '<!-- bench:start -->'
const END = '<!-- bench:end -->'

const BUILD = ['dist/index.js', 'dist/frictionlog.global.js', 'dist/frictionlog.replay.js', 'dist/collector/index.js']
const missing = BUILD.filter((file) => !existsSync(join(ROOT, file)))
if (missing.length) {
  console.error(`bench needs the build: run \`npx tsup\` first (missing ${missing.join(', ')})`)
  process.exit(1)
}
ensureTmp()

const log = (line) => console.log(line)
const startedAt = Date.now()

/** `bench/report.mjs N --json` in its own process, so its heap is its own. */
const reportSection = async () => {
  const started = Date.now()
  const result = await runJsonChild([join(ROOT, 'bench/report.mjs'), String(REPORT_EVENTS), '--json'], { cwd: ROOT })
  // The report's own wall time gets a name of its own: `seconds` is the section's (set below).
  const { seconds: reportSeconds, ...rest } = result
  return {
    ...rest,
    reportSeconds,
    wallSeconds: Math.round((Date.now() - started) / 100) / 10,
    note: reportSeconds > 60 ? `report took ${reportSeconds} s (> 60 s) for ${REPORT_EVENTS} events` : null,
  }
}

const reportTables = (result) => {
  // The per-session columns are typed arrays, outside the heap: heap alone understates them.
  const headers = [
    'events',
    'NDJSON MB',
    'sessions',
    'report s',
    'events/s',
    'peak heap MB',
    'with ArrayBuffers MB',
    'peak RSS MB',
  ]
  const rows = [
    [
      result.events.toLocaleString('en-US'),
      result.ndjsonMB,
      result.sessions.toLocaleString('en-US'),
      result.reportSeconds,
      result.eventsPerSecond.toLocaleString('en-US'),
      result.peakHeapMB,
      result.peakHeapAndBuffersMB,
      result.peakRssMB,
    ],
  ]
  return {
    text:
      textTable(
        `frictionlog report (bench/report.mjs, one run; wall time with data generation ${result.wallSeconds} s)`,
        headers,
        rows,
      ) + (result.note ? `\nnote: ${result.note}` : ''),
    markdown: markdownTable(headers, rows),
  }
}

const chromiumVersion = () => {
  try {
    return execFileSync(CHROMIUM_PATH, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return null
  }
}

const machine = () => ({
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memoryGB: Math.round(totalmem() / 1e8) / 10,
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  chromium: chromiumVersion(),
  date: new Date().toISOString(),
  // The machine may be shared (other builds and test runs): the load says how busy it was.
  loadAverage1mAtStart: Math.round(loadavg()[0] * 100) / 100,
})

// Earlier results are kept for the sections not run this time (--only), and marked as such.
const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {}
const results = {
  machine: machine(),
  peers: Object.fromEntries(PEERS.map((peer) => [peer.name, peerVersion(peer.pkg)])),
  sections: { ...(previous.sections ?? {}) },
}

// When both run, replay's visits go into the main section's rounds (same browser; its baseline is
// the main table's frictionlog visit of each round); their seconds are moved to replay's line.
let replayShare
const runMain = async () => {
  const { replayShare: share, ...result } = await mainThread.run({
    runs: RUNS,
    log,
    replay: only.includes('replay') ? replay.inMainRounds : undefined,
  })
  replayShare = share
  return result
}

/** What each section compares frictionlog with, printed after its tables and in the README. */
const NO_HOSTED_PEER =
  'none measured: the peers ingest and report in their own hosted backends, nothing this bench can run'
const SECTIONS = {
  sizes: {
    title: 'Sizes',
    run: () => sizes.run(),
    tables: sizes.tables,
    peers: 'in the table, bundled the same way (main npm entry + init)',
  },
  ingest: { title: 'Collector ingest', run: () => ingest.run({ log }), tables: ingest.tables, peers: NO_HOSTED_PEER },
  report: { title: 'Report', run: reportSection, tables: reportTables, peers: NO_HOSTED_PEER },
  delivery: {
    title: 'Delivery',
    run: () => delivery.run({ log }),
    tables: delivery.tables,
    peers: "none here; the requests each peer made in the same visits are in the main-thread section's second table",
  },
  main: {
    title: 'Main thread',
    run: () => runMain(),
    tables: mainThread.tables,
    peers: 'in the table, same visits in the same rounds and browser',
  },
  replay: {
    title: 'Session replay',
    run: () => replay.run({ runs: RUNS, log, shared: replayShare }),
    tables: replay.tables,
    peers: "rrweb's own record() with its defaults, in the table, same rounds",
  },
  redos: {
    title: 'Pathological inputs',
    run: () => redos.run(),
    tables: redos.tables,
    peers: 'none measured (the inputs target our own scrubbers and stack parser)',
  },
  clickhouse: {
    title: 'ClickHouse',
    run: () => clickhouse.run({ log, scales: SCALES, ingestEvents: CLICKHOUSE_INGEST_EVENTS }),
    tables: clickhouse.tables,
    peers: NO_HOSTED_PEER,
  },
}

for (const name of ALL) {
  if (!only.includes(name)) continue
  const section = SECTIONS[name]
  const began = Date.now()
  log(`\n== ${section.title} ==`)
  try {
    const result = await section.run()
    let seconds = Math.round((Date.now() - began) / 1000)
    if (name === 'main' && replayShare) seconds -= replayShare.seconds
    if (name === 'replay' && replayShare) seconds += replayShare.seconds
    results.sections[name] = { ...result, measuredAt: new Date().toISOString(), seconds }
    log(section.tables(result).text)
    log(`\nPeers: ${section.peers}.`)
  } catch (error) {
    console.error(`${section.title} failed:`, error)
    results.sections[name] = { error: String(error?.stack ?? error), measuredAt: new Date().toISOString() }
    process.exitCode = 1
  }
  log(`(${Math.round((Date.now() - began) / 1000)} s)`)
}
results.totalSeconds = Math.round((Date.now() - startedAt) / 1000)
results.only = ALL.filter((name) => only.includes(name))
results.scale = args.scale
results.machine.loadAverage1mAtEnd = Math.round(loadavg()[0] * 100) / 100
writeFileSync(RESULTS, JSON.stringify(results, null, 2) + '\n')

/** Seconds per section (this run's, or the last run's for the others) and their sum against the target. */
const timing = () => {
  const rows = ALL.map((name) => {
    const data = results.sections[name]
    const earlier = data?.measuredAt ? `earlier (${data.measuredAt.slice(0, 10)})` : '—'
    const when = only.includes(name) ? 'this run' : earlier
    return [SECTIONS[name].title, data?.seconds ?? 'n/a', when]
  })
  const sum = ALL.reduce((total, name) => total + (results.sections[name]?.seconds ?? 0), 0)
  const whole = results.only.length === ALL.length
  const verdict = `${whole ? 'Whole run' : 'Sum of the sections'} ${sum} s against the ${TARGET_SECONDS} s target: ${
    sum <= TARGET_SECONDS ? 'within' : `${sum - TARGET_SECONDS} s over`
  }`
  return { rows, sum, verdict, headers: ['section', 's', 'measured'] }
}
const time = timing()
log(textTable(`Bench time (this run: ${results.totalSeconds} s, --scale ${args.scale})`, time.headers, time.rows))
log(time.verdict)

// ---------------------------------------------------------------------------- README

const section = (name, body) => {
  const data = results.sections[name]
  if (!data) return `_Not measured yet: \`npm run bench -- --only ${name}\`._`
  if (data.error) return `_Failed in the last run: ${data.error.split('\n')[0]}_`
  try {
    return `${body(data, SECTIONS[name].tables(data))}\n\n_Peers: ${SECTIONS[name].peers}._`
  } catch {
    // Kept from a run of an older bench whose results have another shape.
    return `_Measured by an older bench: \`npm run bench -- --only ${name}\`._`
  }
}

const m = results.machine
const peerList = PEERS.map((peer) => `\`${peer.name}@${peerVersion(peer.pkg)}\``).join(', ')
const markdown = [
  START,
  '',
  `_Generated by \`npm run bench\` (bench/run.mjs) on ${m.date.slice(0, 10)}: ${m.cpu}, ${m.cores} cores, Node`,
  `${m.node}, ${m.chromium ?? 'Chromium'} headless.`,
  `Numbers are what this one machine measured (1-minute load average ${m.loadAverage1mAtStart} at the start,`,
  `${m.loadAverage1mAtEnd} at the end: other`,
  `processes shared the cores), medians where several runs were made (the run counts are in the tables);`,
  `raw data in [bench/results.json](bench/results.json). Peers: ${peerList}._`,
  '',
  '### Bundle size',
  '',
  section('sizes', (data, t) =>
    [
      `Every line is bundled the same way: ${data.method}. frictionlog is imported from its build as an npm user`,
      'does; the two script-tag files are measured as shipped. Each peer is its main npm entry plus an `init` call,',
      'so tree-shaking keeps what a site ships.',
      '',
      t.markdown,
      '',
      'Not counted for the peers: what they fetch later from their CDN (posthog-js lazy-loads its recorder,',
      'surveys, toolbar and other extensions; none was fetched in these runs because remote config was off).',
      'Counted for mixpanel-browser: its ESM entry bundles the session recorder (rrweb); its CDN file',
      "`mixpanel.min.js` without recorder is smaller. frictionlog's replay is never in the script tag file:",
      '`frictionlog.replay.js` is fetched only when replay is enabled.',
    ].join('\n'),
  ),
  '',
  '### Main-thread time',
  '',
  section('main', (data, t) =>
    [
      'The same scripted visit of a long landing page (`bench/pages/landing.html`): load, wheel-scroll to the',
      'bottom, ~35 clicks (tabs, carousel, FAQ, pricing toggles) including a rage click on a broken button and a',
      'dead click, a form filled and typed into with one failed submit, an uncaught error, an SPA navigation with',
      '`history.pushState`, then the tab closed. Configurations alternate',
      `within each of ${data.runs} rounds (after a warm-up load of each configuration's page), each in a fresh`,
      'browser context; `script` and `task` are CDP `Performance.getMetrics` (`ScriptDuration`, `TaskDuration`) in',
      'renderer main-thread CPU time (`timeDomain: threadTicks`, so time when other processes had the core is not',
      'counted) read just before the close, medians; `+` is the median over rounds of (run − the baseline run of',
      "the same round), with its range over the rounds in brackets; `fl/peer` is frictionlog's `+` over the peer's",
      '(below 1: frictionlog added less). Long tasks (wall time, count and total) come from a',
      "`PerformanceObserver({ type: 'longtask', buffered: true })` injected at document start. Every SDK sends to a",
      'local endpoint (frictionlog: the real collector), everything else fails to resolve. The user agent is',
      'Chromium\'s without "Headless" and `navigator.webdriver` is false in every configuration, as some peers drop',
      'bot traffic.',
      '',
      t.markdown,
      '',
      'Requests the same sessions made (medians; events are counted from the request bodies, best effort for the',
      "peers' formats):",
      '',
      t.wireMarkdown,
      '',
      'frictionlog in the same sessions, events delivered vs sent at page close (emitted = events that passed',
      '`beforeSend`, counted in the page up to `pagehide`/`hidden`; sent = distinct ids in request bodies; stored =',
      'accepted by the collector):',
      '',
      t.deliveryMarkdown,
      '',
      ...(t.pluginsMarkdown
        ? [
            '#### Per plugin',
            '',
            'What each capture plugin adds over a page without the SDK: the same scripted visit with',
            '`createTracker` and no plugin (`frictionlog core`: session, page views, queue and delivery, no',
            'capture; no script-tag snippet nor `data-fl-*` binding) and with core + one plugin, each bundled from',
            'the ESM build (`dist/index.js`, esbuild, minified IIFE like the peers) and',
            `loaded with \`defer\`. Its own ${data.plugins.summary[0].runs} rounds and its own baseline,`,
            `configurations rotating within each round, run`,
            `${data.plugins.parallel} visits at a time (separate renderer processes; thread time, so the concurrency`,
            'mostly shows in the wall-time long tasks, which are therefore higher than in the table above). `over',
            "baseline` and `over core` are medians over rounds of (run − that round's baseline or core run). The",
            "last row adds up the rows above and is not a measurement; compare it with the script tag's `+script",
            'ms` in the first table. Differences of a few ms are within the run-to-run noise of one visit.',
            '',
            t.pluginsMarkdown,
            '',
            `scrollDepth's scroll handler: after load, ${data.scroll.dispatched.toLocaleString('en-US')} steps each`,
            '`scrollTo` a higher position then dispatch a `scroll` event at the document (it bubbles to `window`,',
            'as a real one does; one event per step, as if each step were a frame), plus the one real scroll event',
            "of the next frame. `ScriptDuration` (thread time) read before and after; the plugin's cost is the",
            'median over rounds of (core + scrollDepth − core), milestones reached on the way included. Goal: under',
            '1 ms per 100.',
            '',
            t.scrollMarkdown,
            '',
          ]
        : []),
      'Peer settings (api host on 127.0.0.1; remote config, flags and surveys off where an option exists; page',
      'views and click autocapture on where they are opt-in). frictionlog: the script tag with its default plugins',
      '(every plugin but replay).',
      '',
      ...data.peers.map((peer) => `- \`${peer.name}\`: ${peer.config}`),
    ].join('\n'),
  ),
  '',
  '### Session replay',
  '',
  section('replay', (data, t) =>
    [
      "What `frictionlog/replay` costs the page, next to rrweb's own defaults. The main-thread table's visit of the",
      'landing page',
      `(same script, same metrics, fresh context each, configurations alternating within each of ${data.runs}`,
      'rounds; when the main section runs too, these visits run in its rounds, in its browser, and the baseline is',
      'its frictionlog visit) with: `frictionlog (no replay)`, the script tag of the table above and the baseline',
      'here (`+` is the median over rounds of run − this run of the same round); `frictionlog + replay()`, the same',
      'tag with `data-replay="1"` (every session recorded; consent is \'granted\' by default, so',
      "`frictionlog.replay.js` is fetched right after init and records with the plugin's defaults: text and inputs",
      'masked, slim DOM, style throttle, gzip chunks, the first one second after the snapshot, then every 10 s);',
      `\`frictionlog + rrweb record()\`, the same tag plus rrweb ${data.rrweb}'s \`record()\` with rrweb's defaults,`,
      'bundled alone from its ESM build (its UMD file also carries the replayer), loaded by a deferred script that',
      "calls `record()` in the next task (as replay calls it in its script's `onload`, so both evaluate the",
      'recorder and snapshot in separate tasks), its events pushed into an array: nothing serialized, compressed',
      "nor sent, so that row is the recorder's cost alone while replay's includes its whole pipeline up to the",
      'metrics read (scrubbing, chunking and gzip of the first chunk). What runs at page exit comes after the read',
      '(frictionlog over a page without SDK is in the table above). `record() ms` is the wall time of the',
      "synchronous `record()` call (full snapshot and observers; for replay, the plugin's `setup`), `its task ms`",
      'the long task it ran in (0: under 50 ms). Long tasks: count, total and longest per visit, medians.',
      `Replay's \`+\` over rrweb's: script ${data.ratioScript ?? 'n/a'}, task ${data.ratioTask ?? 'n/a'} (below 1:`,
      `replay added less).`,
      '',
      t.markdown,
      '',
      `Bytes per minute of recording: one longer session per recorder (${data.bytes[0].sessionS} s; both at once in`,
      'two contexts), laps of wheel-scrolling with the mouse moving, tab, carousel, FAQ and billing clicks, and',
      'typing into two form fields, extrapolated to a minute (the snapshot included once; `after snapshot` leaves',
      "it out). `JSON`: the rrweb events as JSON (replay's decoded from what the collector stored); `gzip`: that",
      "JSON gzipped in one stream by Node, the same way for both; `sent`: replay's events as the collector stored",
      "them (base64 gzip chunks with the event envelope); `wire added`: the replay session's request bytes minus",
      "the rrweb session's (both ran frictionlog's default plugins through the same activity; after the transport's",
      'gzip).',
      '',
      t.bytesMarkdown,
    ].join('\n'),
  ),
  '',
  '### Delivery',
  '',
  section('delivery', (data, t) =>
    [
      'The script tag (defaults) against the real collector (NDJSON sink) behind a recording proxy; one run each.',
      '"JSON B/event" is the uncompressed batch JSON per event, "wire B/event" what crossed the network (gzip on',
      'the fetch path when it pays off, beacons are plain). Stored counts distinct events; duplicates are re-sent',
      'events the collector dropped by id.',
      '',
      t.markdown,
    ].join('\n'),
  ),
  '',
  '### Collector ingest',
  '',
  section('ingest', (data, t) =>
    [
      `\`createCollector({ sink }).handle(request)\` from the build, with schema validation and dedup, on one core:`,
      `${data.method}.`,
      "Wall-clock rates depend on what else the machine ran; the CPU-second rate (this process's user + system",
      'time) is the steadier one. The `floor` rows send the same requests to a bare `node:http` server that only',
      'reads, gunzips and parses each batch and stringifies its events (no validation, dedupe, CORS, limits or',
      'write): the most any Node collector storing these events as NDJSON could reach on this machine.',
      '',
      t.markdown,
    ].join('\n'),
  ),
  '',
  '### Report',
  '',
  section('report', (data, t) =>
    [
      '`node bench/report.mjs 1000000 --json`: `frictionlog report` over generated NDJSON (read, parse, aggregate,',
      'render), one run.',
      '',
      t.markdown,
      ...(data.note ? ['', `Note: ${data.note}.`] : []),
    ].join('\n'),
  ),
  '',
  '### Pathological inputs',
  '',
  section('redos', (data, t) =>
    [
      'Inputs crafted to make a scrubber or the stack parser backtrack (`bench/redos.mjs`): each through the',
      'function that meets it in the page (scrubUrl for URLs, trimText for captured text, parseStack for',
      '`error.stack`), median of 5 calls',
      `in Node ${data.node}.`,
      `Goal: under ${data.goalMs} ms each (one frame), whatever the input; worst measured: ${data.worstMs} ms. The`,
      'second table loads the script tag (every default plugin) in Chromium with a plain page URL and with the',
      'crafted one, 3 fresh contexts each.',
      '',
      t.markdown,
    ].join('\n'),
  ),
  '',
  '### ClickHouse',
  '',
  section('clickhouse', (data, t) =>
    [
      `\`node bench/clickhouse.mjs\` against clickhouse-server ${data.server} started by scripts/clickhouse.mjs.`,
      'Ingest: `frictionlog collect --clickhouse` processes (validation, dedup, one INSERT per batch), batches of',
      '50 generated events, 8 requests in flight, round-robin over the processes; every id checked in ClickHouse',
      'afterwards (FINAL).',
      '',
      t.markdown,
      '',
      `Report on ${data.report.map((r) => r.events.toLocaleString('en-US')).join(' and ')} generated events`,
      '(`bench/storeReports.mjs`): `buildReport` over the NDJSON day files (in a process of its own: CPU seconds',
      'and peak RSS are its own) and `buildClickhouseReport` (about twenty GROUP BY queries with FINAL; the',
      'server\'s CPU seconds from /proc) over the same events, after ClickHouse finished merging. "counts agree":',
      'totals, funnel sessions and experiment exposures/conversions are equal (medians and p75s may differ',
      'slightly: the NDJSON path samples beyond 10,000 values per key).',
      data.report.length > 1 ? '' : 'The 10M rows: `npm run bench -- --only clickhouse --scale 10m`.',
      '',
      t.reportMarkdown,
      '',
      'How the events got there: the first million is generated once (test/unit/report/fixtures.ts), written as',
      "NDJSON and, as each event is made, streamed as the ClickHouse sink's row (`clickhouseRow`) into one INSERT;",
      '10M is that million nine more times with fresh event, session, visitor and page ids on later days (NDJSON',
      "lines rewritten, `INSERT … SELECT` in ClickHouse). `rows per ClickHouse CPU s` is the server's",
      "parse-and-store rate; the rows carry the event's context and fields as JSON strings (about 1 kB each).",
      '',
      t.loadMarkdown,
    ].join('\n'),
  ),
  '',
  '### Bench run time',
  '',
  `Seconds per section of \`npm run bench\` (the last run of each: ${RUNS} rounds in the browser sections, --scale`,
  `${args.scale}); the target for the whole default run on this 2-core machine is ${TARGET_SECONDS / 60} minutes.`,
  `${time.verdict}.`,
  '',
  markdownTable(time.headers, time.rows),
  '',
  END,
].join('\n')

let readme = readFileSync(README, 'utf8')
if (!readme.includes(START) || !readme.includes(END)) {
  readme =
    readme.replace(/\s*$/, '\n') +
    (readme.includes('\n## Benchmarks') ? '' : '\n## Benchmarks\n') +
    `\n${START}\n${END}\n`
}
readme = readme.slice(0, readme.indexOf(START)) + markdown + readme.slice(readme.indexOf(END) + END.length)
writeFileSync(README, readme)
log(`\nwrote bench/results.json and the README's benchmark section (${results.totalSeconds} s in all)`)
