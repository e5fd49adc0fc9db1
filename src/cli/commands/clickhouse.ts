import { parseArgs } from 'node:util'
import { connectClickhouse } from '../../collector/sinks/clickhouseClient'
import {
  clickhouseDdl,
  DEFAULT_CLICKHOUSE_DATABASE,
  DEFAULT_CLICKHOUSE_TABLE,
} from '../../collector/sinks/clickhouseDdl'
import type { CliCommand } from '../types'
import { usageError } from '../usageError'

/** `frictionlog clickhouse init`: create the events database and table (idempotent). */
export const clickhouseCommand: CliCommand = {
  summary: 'create the ClickHouse table the clickhouse sink writes to (init), or print its DDL',
  usage: [
    'Usage: frictionlog clickhouse init --url <url> [options]',
    '',
    'Options:',
    '  --url <url>         ClickHouse HTTP URL, e.g. http://127.0.0.1:8123 (credentials may be in it)',
    `  --database <name>   database (default ${DEFAULT_CLICKHOUSE_DATABASE})`,
    `  --table <name>      table (default ${DEFAULT_CLICKHOUSE_TABLE})`,
    '  --print             print the statements instead of running them (no --url needed)',
    '',
    'Needs the optional dependency @clickhouse/client (npm install @clickhouse/client).',
  ].join('\n'),

  async run(args, io) {
    const { values, positionals } = parseArgs({
      args,
      strict: true,
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        database: { type: 'string', default: DEFAULT_CLICKHOUSE_DATABASE },
        table: { type: 'string', default: DEFAULT_CLICKHOUSE_TABLE },
        print: { type: 'boolean', default: false },
      },
    })
    if (positionals.length !== 1 || positionals[0] !== 'init') throw usageError('expected the subcommand "init"')
    let statements: string[]
    try {
      statements = clickhouseDdl(values.database, values.table)
    } catch (error) {
      throw usageError((error as Error).message)
    }
    if (values.print) {
      io.stdout(statements.map((sql) => `${sql};`).join('\n\n'))
      return 0
    }
    if (!values.url) throw usageError('missing --url')
    try {
      new URL(values.url)
    } catch {
      throw usageError(`invalid --url "${values.url}"`)
    }
    const ch = await connectClickhouse({ url: values.url })
    try {
      for (const sql of statements) await ch.command(sql)
    } catch (error) {
      io.stderr(`frictionlog clickhouse: ${(error as Error).message}`)
      return 1
    } finally {
      await ch.close()
    }
    io.stdout(`ClickHouse table ${values.database}.${values.table} ready at ${new URL(values.url).origin}`)
    return 0
  },
}
