import { existsSync } from 'node:fs'
import { assertChromium } from './browser'

const REQUIRED = ['dist/index.js', 'dist/frictionlog.global.js', 'dist/collector/index.js', 'dist/schema/index.js']

/** Fails the run (never skips it) when the build or the browser is missing. */
export default function setup(): void {
  const missing = REQUIRED.filter((file) => !existsSync(file))
  if (missing.length)
    throw new Error(`e2e needs the build: run \`npm run build\` first (missing ${missing.join(', ')})`)
  assertChromium()
}
