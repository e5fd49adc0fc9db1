/** An error meaning "the arguments are wrong": the CLI exits 2 with the usage, not a stack trace. */
export function usageError(message: string): Error {
  return Object.assign(new Error(message), { code: 'ERR_USAGE' })
}

/** Whether `error` came from {@link usageError} or from `node:util` `parseArgs`. */
export function isUsageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  // parseArgs throws ERR_PARSE_ARGS_UNKNOWN_OPTION, ERR_PARSE_ARGS_INVALID_OPTION_VALUE…
  return typeof code === 'string' && (code === 'ERR_USAGE' || code.startsWith('ERR_PARSE_ARGS'))
}
