import { createCollector } from '../../collector/collector'
import { formatEvent } from '../../report/formatEvent'
import { DEFAULT_HOST, DEFAULT_PORT } from '../../collector/listen'
import type { CliCommand } from '../types'
import { usageError } from '../usageError'
import { optionLines, parseOptions, storeOptions, type OptionSpec } from '../parseOptions'
import { createNdjsonSink } from '../../collector/sinks/ndjson'
import { isLoopbackHost } from '../../dashboard/auth'
import { createDashboard } from '../../dashboard/dashboard'
import { createClickhouseSink } from '../../collector/sinks/clickhouse'

/** Env var read when `--dashboard-token` is not given (keeps the token out of `ps` output). */
export const DASHBOARD_TOKEN_ENV = 'FRICTIONLOG_DASHBOARD_TOKEN'

const MAX_PORT = 65_535

const OPTIONS = {
  port: {
    type: 'string',
    default: String(DEFAULT_PORT),
    arg: 'n',
    help: `port to listen on, 0 for any free port (default ${DEFAULT_PORT})`,
  },
  host: {
    type: 'string',
    default: DEFAULT_HOST,
    arg: 'host',
    help: `interface to bind (default ${DEFAULT_HOST}; 0.0.0.0 for every interface)`,
  },
  ...storeOptions('store in ClickHouse (table frictionlog.events, created if missing) instead of --dir'),
  origin: {
    type: 'string',
    multiple: true,
    arg: 'o',
    help: 'allowed browser origin, repeatable (default: any origin)',
  },
  quiet: { type: 'boolean', default: false, help: 'do not print a line per event' },
  'dashboard-token': {
    type: 'string',
    arg: 't',
    help: [
      `token the dashboard at / asks for (or env ${DASHBOARD_TOKEN_ENV});`,
      'required when --host is not a loopback address',
    ],
  },
  'no-dashboard': { type: 'boolean', default: false, help: 'serve ingest only, no dashboard at /' },
} as const satisfies Record<string, OptionSpec>

/** `frictionlog collect`: serve the collector with the NDJSON sink until SIGINT/SIGTERM. */
export const collectCommand: CliCommand = {
  summary: 'receive events over HTTP and store them as NDJSON files',
  usage: ['Usage: frictionlog collect [options]', '', 'Options:', optionLines(OPTIONS)].join('\n'),

  async run(args, io) {
    const values = parseOptions(args, OPTIONS)
    const port = Number(values.port)
    if (!/^\d+$/.test(values.port) || port > MAX_PORT) throw usageError(`invalid --port "${values.port}"`)
    if (values.host === '') throw usageError('empty --host')
    const token = values['dashboard-token'] ?? (io.env ?? process.env)[DASHBOARD_TOKEN_ENV] ?? ''
    const hasDashboard = !values['no-dashboard']
    if (hasDashboard && token === '' && !isLoopbackHost(values.host)) {
      io.stderr(
        `frictionlog collect: --host ${values.host} exposes the dashboard to the network: ` +
          `give it a token (--dashboard-token or ${DASHBOARD_TOKEN_ENV}), or pass --no-dashboard`,
      )
      return 2
    }
    const url = values.clickhouse
    if (url !== undefined && !URL.canParse(url)) throw usageError(`invalid --clickhouse "${url}"`)
    // The dashboard reads the store the collector writes: the folder, or the same ClickHouse table.
    const store = url !== undefined ? { clickhouse: { url } } : { dir: values.dir }
    const dashboard = hasDashboard ? createDashboard({ ...store, token: token || undefined }) : undefined
    const sink = url !== undefined ? createClickhouseSink({ url }) : createNdjsonSink({ dir: values.dir })
    const collector = createCollector({
      sink,
      allowedOrigins: values.origin && values.origin.length > 0 ? values.origin : '*',
      onEvents: values.quiet ? undefined : (events) => events.forEach((event) => io.stdout(formatEvent(event))),
    })
    let server
    try {
      server = await collector.listen({ port, host: values.host, handlers: dashboard ? [dashboard.handle] : [] })
    } catch (error) {
      io.stderr(`frictionlog collect: cannot listen on ${values.host}:${port}: ${(error as Error).message}`)
      return 1
    }
    const storeName = url !== undefined ? `ClickHouse ${new URL(url).origin}` : values.dir
    // One line, so scripts that read the URL from the first line keep working.
    const dashboardNote = dashboard ? `; dashboard ${server.url}/${token ? ' (token required)' : ''}` : ''
    io.stdout(`frictionlog collector listening on ${server.url}, storing in ${storeName}${dashboardNote}`)

    await new Promise<void>((resolve) => {
      if (io.signal.aborted) resolve()
      else io.signal.addEventListener('abort', () => resolve(), { once: true })
    })
    await server.close()
    await dashboard?.close()
    await sink.close?.()
    const { accepted, duplicates, rejected } = collector.stats()
    const rejectedCount = Object.values(rejected).reduce((sum, n) => sum + n, 0)
    io.stdout(`stopped: ${accepted} accepted, ${duplicates} duplicates, ${rejectedCount} rejected`)
    return 0
  },
}
