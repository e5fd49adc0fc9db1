#!/usr/bin/env node
import { runCli } from './runCli'

// The executable behind the package's `bin`: real process I/O and signals around runCli.
const controller = new AbortController()
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => controller.abort())

runCli(process.argv.slice(2), {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
  signal: controller.signal,
}).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`frictionlog: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exitCode = 1
  },
)
