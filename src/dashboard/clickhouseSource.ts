// The dashboard's data from the events a ClickHouse sink stored: the report is the SQL report,
// the heatmap aggregates in SQL (clickhouseHeatmap.ts), and a replay or the replay list's
// friction counts read only the rows of the sessions asked for, through the same gathering code
// as the NDJSON files (storeData.ts).
import {
  connectClickhouse,
  type ClickhouseConnection,
  type ClickhouseConnectionOptions,
} from '../collector/sinks/clickhouseClient'
import { clickhouseDdl, DEFAULT_CLICKHOUSE_DATABASE, DEFAULT_CLICKHOUSE_TABLE } from '../collector/sinks/clickhouseDdl'
import { sqlIdentifier, sqlString } from '../collector/sinks/clickhouseEscape'
import { eventFromRow, type StoredRow } from '../collector/sinks/clickhouseRow'
import { buildClickhouseReport } from '../report/clickhouse/clickhouseReport'
import { inList } from '../report/clickhouse/sql'
import { clickhouseHeatmap } from './clickhouseHeatmap'
import type { DashboardSource } from './dashboardSource'
import { gatherReplay, MARKER_TYPES, MAX_LISTED_SESSIONS, type SessionFriction } from './storeData'

/** Where the events are: the sink's server, database, table and `site`. */
export interface ClickhouseSourceOptions extends ClickhouseConnectionOptions {
  /** @default 'frictionlog' */
  database?: string
  /** @default 'events' */
  table?: string
  /** Only the events of this `site`; default: every site. */
  site?: string
}

/** The envelope columns `eventFromRow` rebuilds an event from. */
const ROW_COLUMNS = 'id, ts, type, sessionId, anonymousId, userId, pageId, url, context, fields'

/** The dashboard's data read from ClickHouse; the connection opens on the first read. */
export function clickhouseSource(options: ClickhouseSourceOptions): DashboardSource {
  const { database = DEFAULT_CLICKHOUSE_DATABASE, table = DEFAULT_CLICKHOUSE_TABLE, site } = options
  const target = `${sqlIdentifier(database)}.${sqlIdentifier(table)}`
  const siteIs = site === undefined ? '1' : `site = ${sqlString(site)}`
  /** `<table> FINAL WHERE <site>`, for a query to add `AND …` to. */
  const scope = `${target} FINAL WHERE ${siteIs}`
  let connection: Promise<ClickhouseConnection> | undefined
  /**
   * Connects, and creates the table if missing (idempotent, as the sink's first write does), so
   * a dashboard opened before the first event shows an empty store rather than an error. A user
   * without CREATE rights still reads an existing table: that failure is not the dashboard's.
   */
  const connect = async () => {
    const ch = await connectClickhouse(options)
    try {
      for (const statement of clickhouseDdl(database, table)) await ch.command(statement)
    } catch {
      // Read-only credentials: the queries say whether the table is there.
    }
    return ch
  }
  const open = () => {
    connection ??= connect().catch((error: unknown) => {
      connection = undefined
      throw error
    })
    return connection
  }

  return {
    async version() {
      // Without FINAL, so cheap: a new batch raises the count and `seq`; a merge changes the count too.
      const [row] = await (
        await open()
      ).query<{ n: number; last: number }>(`SELECT count() AS n, max(seq) AS last FROM ${target} WHERE ${siteIs}`)
      return row && row.n > 0 ? `${row.n}:${row.last}` : 'empty'
    },
    async report(reportOptions) {
      return buildClickhouseReport({ ...reportOptions, ...options, site, connection: await open() })
    },
    async heatmap(path, breakpoint) {
      return clickhouseHeatmap(await open(), scope, path, breakpoint)
    },
    async replay(sessionId) {
      const types = inList(['replay', ...MARKER_TYPES])
      const rows = await (
        await open()
      ).query<StoredRow>(
        `SELECT ${ROW_COLUMNS} FROM ${scope} AND sessionId = ${sqlString(sessionId)} AND type IN ${types}
        ORDER BY seq`,
      )
      return gatherReplay(rows.map(eventFromRow), sessionId)
    },
    async sessionFriction(sessionIds) {
      const ids = sessionIds.slice(0, MAX_LISTED_SESSIONS)
      const result: SessionFriction = Object.create(null) as SessionFriction
      for (const id of ids) result[id] = { rage: 0, dead: 0, errors: 0, formIssues: 0 }
      if (ids.length === 0) return result
      // An error event stands for `count` occurrences (1 when absent), as gatherSessionFriction counts.
      const rows = await (
        await open()
      ).query<{ sessionId: string } & SessionFriction[string]>(
        `SELECT sessionId, countIf(type = 'rage_click') AS rage, countIf(type = 'dead_click') AS dead,
          sumIf(if(visitParamHas(fields, 'count'), visitParamExtractFloat(fields, 'count'), 1), type = 'error')
            AS errors,
          countIf(type IN ('field_error', 'form_abandon')) AS formIssues
        FROM ${scope} AND sessionId IN ${inList(ids)}
          AND type IN ('rage_click', 'dead_click', 'error', 'field_error', 'form_abandon')
        GROUP BY sessionId`,
      )
      for (const { sessionId, ...counts } of rows) result[sessionId] = counts
      return result
    },
    async close() {
      const pending = connection
      connection = undefined
      if (pending) await (await pending.catch(() => undefined))?.close()
    },
  }
}
