// `buildReport` (the NDJSON report model, dist/report) over one folder in a process of its own,
// so its heap and CPU time are its own: bench/clickhouse.mjs runs it beside the ClickHouse
// report. Usage: node bench/reportChild.mjs DIR. Prints one JSON line: seconds, CPU seconds,
// peak RSS and the counts the ClickHouse report must agree with.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { ROOT } from './lib.mjs'

const { buildReport } = await import(pathToFileURL(join(ROOT, 'dist/report/index.js')).href)
const cpu = process.cpuUsage()
const started = process.hrtime.bigint()
const report = await buildReport(process.argv[2])
const seconds = Number(process.hrtime.bigint() - started) / 1e9
const { user, system } = process.cpuUsage(cpu)
console.log(
  JSON.stringify({
    seconds,
    cpuSeconds: (user + system) / 1e6,
    peakRssMB: process.resourceUsage().maxRSS / 1024,
    counts: countsOf(report),
  }),
)

/** The figures both stores must agree on exactly (quantiles may differ: the NDJSON path samples). */
function countsOf(model) {
  return {
    totals: model.totals,
    funnels: model.funnels.map((funnel) => funnel.steps.map((step) => step.sessions)),
    experiments: model.experiments.map((experiment) => experiment.variants.map((v) => [v.exposed, v.conversions])),
  }
}
