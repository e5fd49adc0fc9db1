// The repository's one seeded PRNG for the .mjs tooling: src/lib/mulberry32.ts, bundled on
// the fly by esbuild (already a devDependency) so scripts and benches share its exact bits.
import { build } from 'esbuild'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')
const { outputFiles } = await build({
  entryPoints: [join(ROOT, 'src/lib/mulberry32.ts')],
  bundle: true,
  format: 'esm',
  write: false,
  platform: 'neutral',
})
/** @type {(seed: number) => () => number} */
export const { mulberry32 } = await import(
  'data:text/javascript;base64,' + Buffer.from(outputFiles[0].text).toString('base64')
)
