// `npm run demo`: the reference collector on 127.0.0.1:8787 storing NDJSON under ./.frictionlog/,
// the example pages on 127.0.0.1:8080, and one readable line per arriving event.
//
// `npm run demo -- --simulate 200`: the same servers, then 200 simulated visitors in headless
// Chromium (scripts/simulate.mjs), then the report (`--funnel checkout`), then exit. Events go
// to a fresh folder, ./.frictionlog/simulate-<time>/, so the report is of this run only.
//
// Options: --port <collector port> (8787), --pages-port <port> (8080), --dir <folder>,
// --simulate <visitors>, --seed <n> (1), --concurrency <n> (2), --clickhouse <url> (store in and report from
// ClickHouse instead of NDJSON). Port 0 picks a free port.
import { parseArgs } from 'node:util'
import { buildClickhouseReport, buildReport, createClickhouseSink, formatEvent, renderReportText } from '../dist/collector/index.js'
import { startDemo } from './demoServer.mjs'

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8787' },
    'pages-port': { type: 'string', default: '8080' },
    dir: { type: 'string' },
    simulate: { type: 'string' },
    seed: { type: 'string', default: '1' },
    concurrency: { type: 'string', default: '2' },
    clickhouse: { type: 'string' },
  },
})
const visitors = values.simulate === undefined ? 0 : Number(values.simulate)
if (values.simulate !== undefined && !(Number.isInteger(visitors) && visitors > 0)) {
  console.error(`demo: --simulate expects a number of visitors, got "${values.simulate}"`)
  process.exit(2)
}
const DIR = values.dir ?? (visitors ? `./.frictionlog/simulate-${new Date().toISOString().replace(/[:.]/g, '-')}` : './.frictionlog')

if (visitors) {
  const { CHROMIUM_PATH } = await import('./simulate.mjs')
  const { existsSync } = await import('node:fs')
  if (!existsSync(CHROMIUM_PATH)) {
    console.error(`demo --simulate needs Chromium, not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set FL_CHROMIUM.`)
    process.exit(1)
  }
}

const counts = new Map()
const demo = await startDemo({
  port: Number(values.port),
  pagesPort: Number(values['pages-port']),
  dir: DIR,
  sink: values.clickhouse ? createClickhouseSink({ url: values.clickhouse }) : undefined,
  onEvents(events) {
    for (const event of events) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1)
      if (!visitors) console.log(formatEvent(event))
    }
  },
})

console.log(`collector  ${demo.endpoint}  (events stored in ${values.clickhouse ? `ClickHouse ${values.clickhouse}, frictionlog.events` : `${DIR}/`})`)
console.log(`examples   ${demo.pagesUrl}/landing/  ${demo.pagesUrl}/spa/  ${demo.pagesUrl}/checkout/`)

const printCounts = () => {
  const stats = demo.collector.stats()
  for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(14)} ${count}`)
  console.log(`  accepted ${stats.accepted}, duplicates ${stats.duplicates}, rejected ${JSON.stringify(stats.rejected)}`)
}

if (visitors) {
  const { simulate } = await import('./simulate.mjs')
  const concurrency = Number(values.concurrency) || 2
  console.log(`Simulating ${visitors} visitors, ${concurrency} at a time…`)
  const interrupt = async () => {
    console.log(`\nInterrupted: the events so far are in ${DIR}/ (npx frictionlog report --dir ${DIR} --funnel checkout)`)
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
    console.log(`\n${result.visitors} visitors in ${(result.ms / 1000).toFixed(1)} s (variants A ${result.variants.A}, B ${result.variants.B})`)
    if (result.failures.length) console.log(`${result.failures.length} journey attempts failed (each failed visitor is retried once):\n  ${result.failures.slice(0, 5).join('\n  ')}`)
    console.log('\nEvents received')
    printCounts()
    console.log('')
    const report = values.clickhouse
      ? await buildClickhouseReport({ url: values.clickhouse, funnel: 'checkout' })
      : await buildReport(DIR, { funnel: 'checkout' })
    console.log(renderReportText(report))
    const source = values.clickhouse ? `--clickhouse ${values.clickhouse}` : `--dir ${DIR}`
    console.log(`\nAgain, or as HTML: npx frictionlog report ${source} --funnel checkout [--html report.html]`)
  } catch (error) {
    console.error(`demo --simulate failed: ${error.message}`)
    code = 1
  }
  await demo.close()
  process.exit(code)
}

console.log('Open an example, scroll, click, leave: events appear below. Ctrl-C prints a summary.\n')

const stop = async () => {
  console.log('\nSummary')
  printCounts()
  await demo.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
