import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { serveStatic } from '../../../scripts/staticServer.mjs'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
// URL prefix → folder; the ESM build's bare imports (web-vitals, rrweb) resolve through the
// pages' import map to the packages below. `/frictionlog.global.js` sits at the root as a CDN would serve it.
const MOUNTS: Array<[string, string]> = [
  ['/dist/', join(ROOT, 'dist')],
  ['/node_modules/nanoid/', join(ROOT, 'node_modules/nanoid')],
  ['/node_modules/web-vitals/', join(ROOT, 'node_modules/web-vitals')],
  ['/node_modules/rrweb/', join(ROOT, 'node_modules/rrweb')],
  ['/', join(ROOT, 'test/e2e/pages')],
]

export interface StaticServer {
  /** Origin of the pages, e.g. `http://127.0.0.1:41234`. */
  origin: string
  close(): Promise<void>
}

/** Serves the built SDK, the e2e pages and the ESM build's dependencies on 127.0.0.1 (a free port). */
export const startStaticServer = async (): Promise<StaticServer> => {
  const { url, close } = await serveStatic(Object.fromEntries(MOUNTS), {
    port: 0,
    files: { '/frictionlog.global.js': join(ROOT, 'dist/frictionlog.global.js') },
  })
  return { origin: url, close }
}
