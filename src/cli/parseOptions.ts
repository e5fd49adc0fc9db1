import { parseArgs, type ParseArgsConfig } from 'node:util'
import { DEFAULT_DIR } from '../collector/collector'

type ParseArgsOptionsConfig = NonNullable<ParseArgsConfig['options']>

/**
 * A command's option, described once: what `parseArgs` needs, and its line in the usage text
 * (`--name <arg>  help`, a help of several lines continuing under the first), so that the help
 * and the parser cannot drift apart.
 */
export type OptionSpec = ParseArgsOptionsConfig[string] & { arg?: string; help: string | readonly string[] }

/** The options of the commands that write or read the store: the NDJSON folder, or ClickHouse. */
export const storeOptions = (clickhouseHelp: string) =>
  ({
    dir: {
      type: 'string',
      default: DEFAULT_DIR,
      arg: 'path',
      help: `folder of the events-YYYY-MM-DD.ndjson files (default ${DEFAULT_DIR})`,
    },
    clickhouse: { type: 'string', arg: 'url', help: clickhouseHelp },
  }) as const satisfies Record<string, OptionSpec>

/** The usage text's option lines: every help starts in one column, two spaces after the widest option. */
export function optionLines(options: Record<string, OptionSpec>): string {
  const entries = Object.entries(options)
  const heads = entries.map(([name, option]) => `  --${name}${option.arg ? ` <${option.arg}>` : ''}`)
  const column = Math.max(...heads.map((head) => head.length)) + 2
  return entries
    .flatMap(([, option], i) => {
      const [first, ...rest] = typeof option.help === 'string' ? [option.help] : option.help
      return [heads[i].padEnd(column) + first, ...rest.map((line) => ' '.repeat(column) + line)]
    })
    .join('\n')
}

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
export function parseOptions<const O extends Record<string, OptionSpec>>(args: string[], options: O) {
  return parseArgs<StrictConfig<O>>({ args, options, strict: true, allowPositionals: false }).values
}
