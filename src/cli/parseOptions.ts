import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULT_DIR } from '../collector/collector'

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>

/** The options of the commands that write or read the store: the NDJSON folder, or ClickHouse. */
export const STORE_OPTIONS = {
  dir: { type: 'string', default: DEFAULT_DIR },
  clickhouse: { type: 'string' },
} as const satisfies ParseArgsOptionsConfig

type StrictConfig<O extends ParseArgsOptionsConfig> = {
  args: string[]
  options: O
  strict: true
  allowPositionals: false
}

/**
 * A command's `--name value` options, strictly: an unknown option or a positional argument
 * throws a `parseArgs` error, which the CLI reports as a usage error (exit 2).
 */
export function parseOptions<const O extends ParseArgsOptionsConfig>(args: string[], options: O) {
  return parseArgs<StrictConfig<O>>({ args, options, strict: true, allowPositionals: false }).values
}
