import type * as ClickhouseClientModule from '@clickhouse/client'

/** Where and how to reach ClickHouse (the HTTP interface, port 8123 by default). */
export interface ClickhouseConnectionOptions {
  /**
   * HTTP(S) URL of the server, e.g. `http://127.0.0.1:8123` or a ClickHouse Cloud endpoint;
   * may carry the credentials (`https://user:secret@host:8443`).
   */
  url: string
  /** @default 'default' */
  username?: string
  /** @default '' */
  password?: string
  /**
   * Time one request may take before it fails (the collector then answers 503 and the browser
   * retries the batch).
   * @default 10_000
   */
  requestTimeoutMs?: number
}

/** The four calls frictionlog makes to ClickHouse. */
export interface ClickhouseConnection {
  /** Runs a statement without result (DDL). */
  command(sql: string): Promise<void>
  /** Inserts rows as one JSONEachRow body into `table` (already quoted, `db`.`table`). */
  insert(table: string, rows: object[]): Promise<void>
  /** Runs a SELECT and returns its rows, 64-bit integers as numbers. */
  query<T>(sql: string): Promise<T[]>
  close(): Promise<void>
}

const DEFAULT_REQUEST_TIMEOUT_MS = 10_000

/**
 * Opens a connection with the official `@clickhouse/client`, an optional peer dependency
 * imported here, on first use only: an app that never uses ClickHouse never loads it (and an
 * SPA installing frictionlog need not download it). The client works with ClickHouse 18.16
 * (Debian's package) as long as no server-side `query_params` are used, which 18.16 lacks:
 * values are escaped with `sqlString` instead.
 *
 * @example
 * const ch = await connectClickhouse({ url: 'http://127.0.0.1:8123' })
 * await ch.query('SELECT 1 AS one')
 */
export async function connectClickhouse(options: ClickhouseConnectionOptions): Promise<ClickhouseConnection> {
  let module: typeof ClickhouseClientModule
  try {
    module = await import('@clickhouse/client')
  } catch (error) {
    throw Object.assign(
      new Error(
        'ClickHouse support needs the optional peer dependency @clickhouse/client: ' + 'npm install @clickhouse/client',
      ),
      { cause: error },
    )
  }
  // `http://user:secret@host:8123` works too: credentials move from the URL to the options.
  const url = new URL(options.url)
  const username = options.username ?? (url.username ? decodeURIComponent(url.username) : 'default')
  const password = options.password ?? decodeURIComponent(url.password)
  const client = module.createClient({
    url: url.origin,
    username,
    password,
    request_timeout: options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    // Retries are the browser's (same ids, idempotent table); the client must fail fast.
    keep_alive: { enabled: true },
    log: { level: module.ClickHouseLogLevel.OFF },
  })
  return {
    async command(sql) {
      await client.command({ query: sql })
    },
    async insert(table, rows) {
      await client.insert({
        table,
        values: rows,
        format: 'JSONEachRow',
        // A column added by a later frictionlog must not break an older table.
        clickhouse_settings: { input_format_skip_unknown_fields: 1 },
      })
    },
    async query<T>(sql: string) {
      const result = await client.query({
        query: sql,
        format: 'JSONEachRow',
        clickhouse_settings: { output_format_json_quote_64bit_integers: 0 },
      })
      return result.json<T>()
    },
    close: () => client.close(),
  }
}
