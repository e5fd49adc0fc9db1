import { createReadStream, statSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { dirname, extname, join, normalize, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..')
const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
}

// URL prefix → folder; the ESM build's bare imports (nanoid, web-vitals) resolve through the
// pages' import map to the packages below. `/frictionlog.global.js` sits at the root as a CDN would serve it.
const MOUNTS: Array<[string, string]> = [
  ['/dist/', join(ROOT, 'dist')],
  ['/node_modules/nanoid/', join(ROOT, 'node_modules/nanoid')],
  ['/node_modules/web-vitals/', join(ROOT, 'node_modules/web-vitals')],
  ['/node_modules/rrweb/', join(ROOT, 'node_modules/rrweb')],
  ['/', join(ROOT, 'test/e2e/pages')],
]

const resolvePath = (pathname: string): string | undefined => {
  if (pathname === '/frictionlog.global.js') return join(ROOT, 'dist/frictionlog.global.js')
  for (const [prefix, dir] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue
    const file = normalize(join(dir, decodeURIComponent(pathname.slice(prefix.length))))
    return file.startsWith(dir) ? file : undefined
  }
  return undefined
}

export interface StaticServer {
  /** Origin of the pages, e.g. `http://127.0.0.1:41234`. */
  origin: string
  close(): Promise<void>
}

/** Serves the built SDK, the e2e pages and nanoid on 127.0.0.1 (a free port). */
export const startStaticServer = async (): Promise<StaticServer> => {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const file = resolvePath(url.pathname)
    let isFile = false
    try {
      isFile = !!file && statSync(file).isFile()
    } catch {
      isFile = false
    }
    if (!file || !isFile) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
      return
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream', 'cache-control': 'no-store' })
    createReadStream(file).pipe(res)
  })
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done))
  const { port } = server.address() as AddressInfo
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((done) => {
        server.close(() => done())
        server.closeAllConnections()
      }),
  }
}
