import { createReadStream, readFileSync, statSync } from 'node:fs'
import { createServer } from 'node:http'
import { extname, join, normalize, resolve } from 'node:path'

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css',
  '.json': 'application/json',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.svg': 'image/svg+xml',
  '.map': 'application/json',
  '.ico': 'image/x-icon',
}

/**
 * The one static file server of the repository (demo, examples, bench, e2e): `mounts` maps URL prefixes to
 * folders ({ '/': 'examples', '/dist/': 'dist' }); a folder URL serves its index.html.
 * `fallbacks` maps URL prefixes to the file served for a missing path under them (a
 * single-page app's deep links: { '/spa/': 'examples/spa/index.html' }). `files` maps exact
 * paths to files ({ '/frictionlog.global.js': 'dist/frictionlog.global.js' }, as a CDN serves
 * it); `html(text, url)` may rewrite every HTML page served (the bench inserts its SDK tag).
 * Port 0 picks a free port. Only for loopback use: no caching, no ranges.
 *
 * @returns `{ server, url, close() }`
 */
export const serveStatic = (mounts, { port = 8080, host = '127.0.0.1', fallbacks = {}, files = {}, html } = {}) =>
  new Promise((resolvePromise, reject) => {
    const roots = Object.entries(mounts).sort((a, b) => b[0].length - a[0].length)
    const server = createServer((request, response) => {
      const url = new URL(request.url, 'http://x')
      const pathname = decodeURIComponent(url.pathname)
      const mount = roots.find(([prefix]) => pathname.startsWith(prefix))
      if (!mount && !files[pathname]) return response.writeHead(404).end('not found')
      const root = files[pathname] ? '' : resolve(mount[1])
      let file = files[pathname] ? resolve(files[pathname]) : normalize(join(root, pathname.slice(mount[0].length)))
      if (!file.startsWith(root)) return response.writeHead(403).end('forbidden')
      try {
        if (statSync(file).isDirectory()) file = join(file, 'index.html')
        statSync(file)
      } catch {
        const fallback = Object.entries(fallbacks).find(([prefix]) => pathname.startsWith(prefix))
        if (!fallback || extname(pathname)) return response.writeHead(404).end('not found')
        file = resolve(fallback[1])
      }
      response.writeHead(200, {
        'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
        'Cache-Control': 'no-store',
      })
      if (html && extname(file) === '.html') return response.end(html(readFileSync(file, 'utf8'), url))
      createReadStream(file)
        .pipe(response)
        .on('error', () => response.destroy())
    })
    server.once('error', reject)
    const close = () =>
      new Promise((done) => {
        server.close(() => done())
        server.closeAllConnections()
      })
    server.listen(port, host, () => resolvePromise({ server, url: `http://${host}:${server.address().port}`, close }))
  })
