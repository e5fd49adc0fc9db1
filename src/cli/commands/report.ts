import { buildReport } from '../../report/buildReport'
import { buildClickhouseReport } from '../../report/clickhouse/clickhouseReport'
import { renderReportHtml } from '../../report/html'
import { renderReportText } from '../../report/text'
import { parseTime } from '../parseTime'
import type { CliCommand } from '../types'
import { usageError } from '../usageError'
import { optionLines, parseOptions, storeOptions, type OptionSpec } from '../parseOptions'

const DEFAULT_TOP_ROWS = 10

const OPTIONS = {
  ...storeOptions('read frictionlog.events in ClickHouse instead of --dir (aggregated there, as SQL)'),
  funnel: {
    type: 'string',
    arg: 'name',
    help: 'funnel whose last step is the conversion (default: the one with the most steps)',
  },
  goal: { type: 'string', arg: 'name', help: 'track event that is the conversion (wins over --funnel)' },
  html: { type: 'string', arg: 'file', help: 'also write a self-contained HTML report to <file>' },
  json: { type: 'boolean', default: false, help: 'print the report object as JSON instead of text' },
  top: {
    type: 'string',
    default: String(DEFAULT_TOP_ROWS),
    arg: 'n',
    help: `rows per list in the text report (default ${DEFAULT_TOP_ROWS})`,
  },
  site: { type: 'string', arg: 'id', help: 'only events of this site (the `site` option of the tracker)' },
  since: {
    type: 'string',
    arg: 'time',
    help: [
      'only events at or after <time>: 24h, 7d, 30m (back from now), 2024-11-23,',
      '2024-11-23T09:40 (UTC unless an offset is given) or epoch milliseconds',
    ],
  },
  until: { type: 'string', arg: 'time', help: 'only events before <time> (same forms)' },
} as const satisfies Record<string, OptionSpec>

/** `frictionlog report`: summarize the stored events for a CRO team, as text, JSON or HTML. */
export const reportCommand: CliCommand = {
  summary: 'summarize stored events: funnels, experiments, friction, attention, vitals',
  usage: [
    'Usage: frictionlog report [options]',
    '',
    'Options:',
    optionLines(OPTIONS),
    '',
    'Experiments compare each variant with the first (control) by a two-proportion z-test;',
    'medians and p75s are exact up to 10,000 values per key and sampled beyond.',
  ].join('\n'),

  async run(args, io) {
    const values = parseOptions(args, OPTIONS)
    const top = Number(values.top)
    if (!/^\d+$/.test(values.top) || top < 1) throw usageError(`invalid --top "${values.top}"`)
    if (values.funnel === '') throw usageError('empty --funnel')
    if (values.goal === '') throw usageError('empty --goal')
    if (values.html === '') throw usageError('empty --html')
    if (values.site === '') throw usageError('empty --site')
    const now = Date.now()
    const time = (flag: 'since' | 'until') => {
      const raw = values[flag]
      if (raw === undefined) return undefined
      const ms = parseTime(raw, now)
      if (ms === undefined) throw usageError(`invalid --${flag} "${raw}" (try 24h, 7d, 2024-11-23 or 2024-11-23T09:40)`)
      return ms
    }
    const since = time('since')
    const until = time('until')
    if (since !== undefined && until !== undefined && since >= until) throw usageError('--since must be before --until')

    if (values.clickhouse !== undefined && !URL.canParse(values.clickhouse)) {
      throw usageError(`invalid --clickhouse "${values.clickhouse}"`)
    }
    const fs = await import('node:fs/promises')
    const stat = values.clickhouse === undefined ? await fs.stat(values.dir).catch(() => undefined) : undefined
    if (values.clickhouse === undefined && !stat?.isDirectory()) {
      throw usageError(`no such folder "${values.dir}" (pass --dir, where \`frictionlog collect\` stores events)`)
    }

    const options = { funnel: values.funnel, goal: values.goal, site: values.site, since, until }
    const report =
      values.clickhouse === undefined
        ? await buildReport(values.dir, options)
        : await buildClickhouseReport({ url: values.clickhouse, ...options })
    if (values.json) io.stdout(JSON.stringify(report, null, 2))
    if (report.totals.events === 0) {
      // On stderr with --json, so stdout stays one parseable document.
      const say = values.json ? io.stderr : io.stdout
      const where = values.clickhouse ?? values.dir
      say(
        report.totals.filteredOut > 0
          ? `No events in ${where} match the filters ` +
              `(${report.totals.filteredOut} stored events left out by --site/--since/--until).`
          : `No events in ${where} yet. Start a collector with \`frictionlog collect --dir ${values.dir}\` ` +
              'and send some traffic.',
      )
      return 0
    }
    if (!values.json) io.stdout(renderReportText(report, { top }))
    if (values.html !== undefined) {
      try {
        await fs.writeFile(values.html, renderReportHtml(report))
      } catch (error) {
        io.stderr(`frictionlog report: cannot write ${values.html}: ${(error as Error).message}`)
        return 1
      }
      ;(values.json ? io.stderr : io.stdout)(`HTML report written to ${values.html}`)
    }
    return 0
  },
}
