// `npm run demo`: the reference collector on 127.0.0.1:8787 storing NDJSON under ./.frictionlog/,
// the example pages on 127.0.0.1:8080, and one readable line per arriving event.
import { createCollector, createNdjsonSink, formatEvent } from '../dist/collector/index.js'
import { serveStatic } from './staticServer.mjs'

const COLLECTOR_PORT = 8787
const PAGES_PORT = 8080
const DIR = './.frictionlog'

const counts = new Map()
const collector = createCollector({
  sink: createNdjsonSink({ dir: DIR }),
  onEvents(events) {
    for (const event of events) {
      counts.set(event.type, (counts.get(event.type) ?? 0) + 1)
      console.log(formatEvent(event))
    }
  },
})
const listening = await collector.listen({ port: COLLECTOR_PORT, host: '127.0.0.1' })
const pages = await serveStatic({ '/': 'examples', '/dist/': 'dist' }, { port: PAGES_PORT })

console.log(`collector  ${listening.url}/e  (events stored in ${DIR}/)`)
console.log(`examples   ${pages.url}/landing/`)
console.log('Open the example, scroll, click, leave: events appear below. Ctrl-C prints a summary.\n')

const stop = async () => {
  const stats = collector.stats()
  console.log('\nSummary')
  for (const [type, count] of [...counts].sort((a, b) => b[1] - a[1])) console.log(`  ${type.padEnd(14)} ${count}`)
  console.log(`  accepted ${stats.accepted}, duplicates ${stats.duplicates}, rejected ${JSON.stringify(stats.rejected)}`)
  pages.server.close()
  await listening.close()
  process.exit(0)
}
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
