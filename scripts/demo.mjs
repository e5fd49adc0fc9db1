// `npm run demo`: builds (quietly: the build's output is shown only when it fails), starts the
// reference collector on 127.0.0.1:8787 and the example pages on 127.0.0.1:8080, prints where
// everything is, then one readable line per arriving event. The demo's events go to their own
// folder, ./.frictionlog/demo/, so they never mix with the events of your own site (the CLI's
// default folder is ./.frictionlog/).
//
// `npm run demo -- --simulate 200`: the same servers, then 200 simulated visitors in headless
// Chromium (scripts/simulate.mjs), then the report (`--funnel checkout`), then exit. Events go
// to a fresh folder, ./.frictionlog/demo/simulate-<time>/, so the report is of this run only.
//
// Every option is one entry of OPTIONS below (name, parseArgs spec, help line); add one there.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** The demo's own folder: apart from ./.frictionlog/, where `frictionlog collect` stores by default. */
const DEMO_DIR = './.frictionlog/demo'

/** Where the example pages send without ?endpoint= (examples/checkout/checkout.js, landing's tag). */
const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787/e'

/** The options: parseArgs spec plus the help line. Keep in step with README "Demo". */
const OPTIONS = {
  port: { type: 'string', default: '8787', help: 'collector port (0 = a free one)' },
  'pages-port': { type: 'string', default: '8080', help: 'examples port (0 = a free one)' },
  dir: {
    type: 'string',
    help: `folder of the stored events (default ${DEMO_DIR}/, or a fresh simulate-<time>/ in it)`,
  },
  simulate: { type: 'string', help: 'run N simulated visitors in headless Chromium, print the report, exit' },
  seed: { type: 'string', default: '1', help: 'seed of the simulated journeys' },
  concurrency: { type: 'string', default: '2', help: 'simulated visitors at a time' },
  'no-build': { type: 'boolean', default: false, help: 'skip the build (dist/ is already built)' },
  clickhouse: { type: 'string', help: 'store in ClickHouse at this URL (frictionlog.events) and report from there' },
  help: { type: 'boolean', short: 'h', default: false, help: 'this help' },
}

const { values } = parseArgs({
  options: Object.fromEntries(Object.entries(OPTIONS).map(([name, { help: _help, ...spec }]) => [name, spec])),
})

if (values.help) {
  console.log('Usage: npm run demo -- [options]\n')
  for (const [name, option] of Object.entries(OPTIONS)) {
    console.log(
      `  --${`${name}${option.type === 'string' ? ' <value>' : ''}`.padEnd(22)} ` +
        `${option.help}${option.default !== undefined && option.type === 'string' ? ` (${option.default})` : ''}`,
    )
  }
  process.exit(0)
}

const visitors = values.simulate === undefined ? 0 : Number(values.simulate)
if (values.simulate !== undefined && !(Number.isInteger(visitors) && visitors > 0)) {
  console.error(`demo: --simulate expects a number of visitors, got "${values.simulate}"`)
  process.exit(2)
}
const DIR =
  values.dir ?? (visitors ? `${DEMO_DIR}/simulate-${new Date().toISOString().replace(/[:.]/g, '-')}` : DEMO_DIR)

if (visitors) {
  const { CHROMIUM_PATH } = await import('./chromium.mjs')
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(
      `demo --simulate needs Chromium, not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or ` +
        `set FL_CHROMIUM.`,
    )
    process.exit(1)
  }
}

if (!values['no-build']) build()

const { buildClickhouseReport, buildReport, formatEvent, renderReportText } = await import('../dist/report/index.js')
const { startDemo } = await import('./demoServer.mjs')

const counts = new Map()
const demo = await startDemo({
  port: Number(values.port),
  pagesPort: Number(values['pages-port']),
  dir: DIR,
  clickhouse: values.clickhouse,
  onEvents(events) {
    for (const event of events) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1)
      if (!visitors) console.log(formatEvent(event))
    }
  },
})

const source = values.clickhouse ? `--clickhouse ${values.clickhouse}` : `--dir ${DIR}`
const reportCommand = `npx frictionlog report ${source} --funnel checkout`

/**
 * The lines that matter, printed plainly and last before the events stream. Each is
 * `[label, value]`; a service the demo also starts (a dashboard) goes first in this list.
 */
const whereLines = () => [
  ['dashboard', `${demo.dashboardUrl}   (live report, heatmaps, replays)`],
  ['collector', `${demo.endpoint}   (every example page sends here)`],
  ['examples', `${examplesUrl()}   (an index of the examples and what to try on each)`],
  ['events', `${values.clickhouse ? `ClickHouse ${values.clickhouse}` : `${DIR}/`}   (${reportCommand})`],
]

/** The examples' index; on other ports than the pages' default it tells the pages where to send. */
const examplesUrl = () =>
  demo.endpoint === DEFAULT_ENDPOINT
    ? `${demo.pagesUrl}/`
    : `${demo.pagesUrl}/?endpoint=${encodeURIComponent(demo.endpoint)}`

const printWhere = () => {
  console.log('')
  for (const [label, value] of whereLines()) console.log(`${label.padEnd(10)} ${value}`)
}

/** `none`, or the count and reasons: `3 (invalid_event 2, oversized 1)`. */
const rejectedText = (rejected) => {
  const entries = Object.entries(rejected)
  if (entries.length === 0) return 'none'
  const total = entries.reduce((sum, [, n]) => sum + n, 0)
  return `${total} (${entries.map(([reason, n]) => `${reason} ${n}`).join(', ')})`
}

const printCounts = () => {
  const stats = demo.collector.stats()
  for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(14)} ${count}`)
  console.log(
    `  accepted ${stats.accepted}, duplicates dropped ${stats.duplicates}, rejected ${rejectedText(stats.rejected)}`,
  )
}

if (visitors) {
  const { simulate } = await import('./simulate.mjs')
  const concurrency = Number(values.concurrency) || 2
  printWhere()
  console.log(`\nSimulating ${visitors} visitors, ${concurrency} at a time…`)
  const interrupt = async () => {
    console.log(`\nInterrupted: the events so far are in ${DIR}/ (${reportCommand})`)
    await demo.close()
    process.exit(130)
  }
  process.on('SIGINT', interrupt)
  process.on('SIGTERM', interrupt)
  let code = 0
  try {
    const result = await simulate({
      visitors,
      concurrency,
      seed: Number(values.seed) || 1,
      pagesUrl: demo.pagesUrl,
      endpoint: demo.endpoint,
      onProgress(done, total) {
        if (done % 20 === 0 || done === total) console.log(`  ${done}/${total} visitors`)
      },
    })
    await new Promise((done) => setTimeout(done, 500)) // the last beacons
    console.log(
      `\n${result.visitors} visitors in ${(result.ms / 1000).toFixed(1)} s (variants A ${result.variants.A}, B ` +
        `${result.variants.B})`,
    )
    if (result.failures.length)
      console.log(
        `${result.failures.length} journey attempts failed (each failed visitor is retried once):\n  ` +
          `${result.failures.slice(0, 5).join('\n  ')}`,
      )
    console.log('\nEvents received')
    printCounts()
    console.log('')
    const report = values.clickhouse
      ? await buildClickhouseReport({ url: values.clickhouse, funnel: 'checkout' })
      : await buildReport(DIR, { funnel: 'checkout' })
    console.log(renderReportText(report))
    console.log(`\nEvents stored in ${DIR}/. Again, or as HTML: ${reportCommand} [--html report.html]`)
  } catch (error) {
    console.error(`demo --simulate failed: ${error.message}`)
    code = 1
  }
  await demo.close()
  process.exit(code)
}

printWhere()
console.log('\nOpen the examples, scroll, click, leave: events appear below. Ctrl-C prints a summary.\n')

const stop = async () => {
  console.log('\nSummary')
  printCounts()
  console.log(`Events stored in ${DIR}/: ${reportCommand}`)
  await demo.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)

/** `npm run build`, its output shown only when it fails (it is ~75 lines the demo's user needs not read). */
function build() {
  const started = Date.now()
  process.stdout.write('Building dist/ (npm run build)… ')
  const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, encoding: 'utf8' })
  if (result.status !== 0) {
    console.log('failed:\n')
    console.log(`${result.stdout ?? ''}${result.stderr ?? ''}`.trim())
    console.error(
      result.error ? `\n${result.error.message}` : '\nThe build failed: run `npm ci` first on a fresh clone.',
    )
    process.exit(1)
  }
  console.log(
    `done in ${((Date.now() - started) / 1000).toFixed(1)} s ` +
      `(${relative(process.cwd(), join(ROOT, 'dist')) || 'dist'}/)`,
  )
}
