// Runs route.mjs without a framework: a minimal adapter from `node:http` to web-standard
// Request/Response handlers, the job Next.js, SvelteKit or `@hono/node-server` do for you.
//
//   node examples/route-handler/serve.mjs [--port 8788] [--dir ./.frictionlog]
//   → POST http://127.0.0.1:8788/e   (point a tracker's `endpoint` at it)
/* global Request */
import { createServer } from 'node:http'
import { Readable } from 'node:stream'
import { pathToFileURL } from 'node:url'
import { parseArgs } from 'node:util'

/**
 * Serves `handlers` ({ POST, OPTIONS, … }: (Request) => Promise<Response>) at `path`.
 * Resolves to `{ url, close() }`; port 0 picks a free port.
 */
export function serveRoute(handlers, { port = 8788, host = '127.0.0.1', path = '/e' } = {}) {
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`)
      const handler = url.pathname === path ? handlers[req.method ?? ''] : undefined
      if (!handler) return res.writeHead(url.pathname === path ? 405 : 404).end()
      const hasBody = req.method !== 'GET' && req.method !== 'HEAD'
      const request = new Request(url, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([name, value]) =>
          value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => [name, item]),
        ),
        body: hasBody ? Readable.toWeb(req) : undefined,
        duplex: 'half', // Node's fetch needs it for a streamed request body
      })
      const response = await handler(request)
      res.writeHead(response.status, Object.fromEntries(response.headers))
      if (response.body) Readable.fromWeb(response.body).pipe(res)
      else res.end()
    } catch (error) {
      console.error(error)
      if (!res.headersSent) res.writeHead(500)
      res.end()
    }
  })
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () =>
      resolve({
        url: `http://${host}:${server.address().port}${path}`,
        close: () =>
          new Promise((done) => {
            server.close(() => done())
            server.closeAllConnections()
          }),
      }),
    )
  })
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8788' }, dir: { type: 'string' } } })
  if (values.dir) process.env.FRICTIONLOG_DIR = values.dir
  const { POST, OPTIONS } = await import('./route.mjs')
  const { url } = await serveRoute({ POST, OPTIONS }, { port: Number(values.port) })
  console.log(
    `route handler listening: POST ${url} (events stored in ${process.env.FRICTIONLOG_DIR ?? './.frictionlog'}/)`,
  )
}
