/** Where a command writes, and the signal that asks a long-running command to stop. */
export interface CliIo {
  stdout(line: string): void
  stderr(line: string): void
  /** Aborted on SIGINT/SIGTERM by `bin.ts`; tests abort it themselves. */
  signal: AbortSignal
  /** Environment variables; `process.env` when absent (tests pass their own). */
  env?: Record<string, string | undefined>
}

/** One `frictionlog <name>` command. */
export interface CliCommand {
  /** One line for the command list. */
  summary: string
  /** Its own usage text, printed on `frictionlog <name> --help` and on bad arguments. */
  usage: string
  /** Runs with the arguments after the name; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>
}
