import type { Sink } from '../sink'
import { connectClickhouse, type ClickhouseConnection, type ClickhouseConnectionOptions } from './clickhouseClient'
import { clickhouseDdl, DEFAULT_CLICKHOUSE_DATABASE, DEFAULT_CLICKHOUSE_TABLE } from './clickhouseDdl'
import { sqlIdentifier } from './clickhouseEscape'
import { clickhouseRow } from './clickhouseRow'

/** Options of {@link createClickhouseSink}. */
export interface ClickhouseSinkOptions extends ClickhouseConnectionOptions {
  /** @default 'frictionlog' */
  database?: string
  /** @default 'events' */
  table?: string
  /**
   * Project id stored in the `site` column of every row (the report's `--site` filter).
   * @default ''
   */
  site?: string
  /**
   * Create the database and table (`clickhouseDdl`) before the first write, as
   * `frictionlog clickhouse init` does. Off when the collector's user may not run DDL.
   * @default true
   */
  createTable?: boolean
  /**
   * How long each INSERT waits for the batches of other requests to join it. Every INSERT makes
   * a part on disk that ClickHouse merges later, so fewer, larger ones ingest several times more
   * events per second; each request is still answered only once its rows are inserted.
   * @default 20
   */
  groupDelayMs?: number
}

/** The ClickHouse sink. */
export interface ClickhouseSink extends Sink {
  readonly groupDelayMs: number
  close(): Promise<void>
}

/** Default of `groupDelayMs`: small beside an INSERT's own latency, long enough for a burst of requests to gather. */
export const DEFAULT_CLICKHOUSE_GROUP_DELAY_MS = 20

/**
 * Creates a sink that inserts events into a ClickHouse table, one JSONEachRow request per write:
 * the collector's group commit gathers the batches of concurrent requests (for `groupDelayMs`,
 * and while the previous INSERT runs) into one write, so under load one INSERT carries many
 * requests' rows. `write` rejects when ClickHouse does not confirm the insert (down, timeout, refused),
 * so the collector answers 503 and the browser sends the same events again later; the table
 * collapses rows with the same id, so N stateless collectors behind any load balancer can
 * receive the same retried batch and every id still counts once. The sink has no `has()`: a
 * round trip per event would cost more than the duplicates the table removes anyway.
 * `@clickhouse/client` (optional peer dependency) is imported on the first write.
 *
 * @example
 * const collector = createCollector({ sink: createClickhouseSink({ url: 'http://127.0.0.1:8123' }) })
 */
export function createClickhouseSink(options: ClickhouseSinkOptions): ClickhouseSink {
  const database = options.database ?? DEFAULT_CLICKHOUSE_DATABASE
  const table = options.table ?? DEFAULT_CLICKHOUSE_TABLE
  const target = `${sqlIdentifier(database)}.${sqlIdentifier(table)}`
  const site = options.site ?? ''
  let connection: Promise<ClickhouseConnection> | undefined
  let ready: Promise<void> | undefined
  let lastSeq = 0

  const connect = () => {
    connection ??= connectClickhouse(options).catch((error: unknown) => {
      connection = undefined
      throw error
    })
    return connection
  }

  const ensureTable = (ch: ClickhouseConnection): Promise<void> => {
    if (options.createTable === false) return Promise.resolve()
    ready ??= (async () => {
      for (const statement of clickhouseDdl(database, table)) await ch.command(statement)
    })().catch((error: unknown) => {
      // ClickHouse may be down at startup: try again with the next batch.
      ready = undefined
      throw error
    })
    return ready
  }

  return {
    groupDelayMs: options.groupDelayMs ?? DEFAULT_CLICKHOUSE_GROUP_DELAY_MS,
    async write(events) {
      if (events.length === 0) return
      const ch = await connect()
      await ensureTable(ch)
      // Arrival order, microseconds since the epoch and strictly increasing in this process:
      // the report breaks ties between equal counts by first arrival, as the NDJSON report does.
      const rows = events.map((event) => {
        lastSeq = Math.max(lastSeq + 1, Date.now() * 1000)
        return clickhouseRow(event, site, lastSeq)
      })
      await ch.insert(target, rows)
    },
    async close() {
      const open = connection
      connection = undefined
      if (open) await (await open.catch(() => undefined))?.close()
    },
  }
}
