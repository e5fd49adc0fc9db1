import { clickhouseCommand } from './commands/clickhouse'
import { collectCommand } from './commands/collect'
import { reportCommand } from './commands/report'
import type { CliCommand, CliIo } from './types'
import { isUsageError } from './usageError'

/** Exit code for bad arguments, as in most Unix tools. */
export const EXIT_USAGE = 2

/** Every command, by name: a new command (e.g. `report`) is one file and one row here. */
const COMMANDS: Record<string, CliCommand> = {
  collect: collectCommand,
  report: reportCommand,
  clickhouse: clickhouseCommand,
}

const USAGE = [
  'Usage: frictionlog <command> [options]',
  '',
  'Commands:',
  ...Object.entries(COMMANDS).map(([name, command]) => `  ${name.padEnd(12)}${command.summary}`),
  '',
  'Run `frictionlog <command> --help` for its options.',
].join('\n')

/**
 * Runs the `frictionlog` CLI with `argv` (without `node` and the script path) and resolves to
 * the exit code: 0 on success and `--help`, 2 on bad arguments.
 *
 * @example
 * process.exitCode = await runCli(process.argv.slice(2), io)
 */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === '--help' || name === '-h' || name === 'help') {
    io.stdout(USAGE)
    return 0
  }
  const command = name !== undefined && Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!command) {
    io.stderr(name === undefined ? USAGE : `frictionlog: unknown command "${name}"\n\n${USAGE}`)
    return EXIT_USAGE
  }
  if (args.includes('--help') || args.includes('-h')) {
    io.stdout(command.usage)
    return 0
  }
  try {
    return await command.run(args, io)
  } catch (error) {
    if (!isUsageError(error)) throw error
    io.stderr(`frictionlog ${name}: ${(error as Error).message}\n\n${command.usage}`)
    return EXIT_USAGE
  }
}
