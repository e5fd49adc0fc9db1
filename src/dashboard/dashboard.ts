import type { Report, ReportOptions } from '../report/types'
import { createAuth, SESSION_COOKIE, type DashboardAuth } from './auth'
import { clickhouseSource, type ClickhouseSourceOptions } from './clickhouseSource'
import { ndjsonSource, type DashboardSource } from './dashboardSource'
import { securityHeaders } from './headers'
import { loginPage, shellPage } from './pages'
import { isPageReachable } from './pageReachable'
import { BREAKPOINTS, type Breakpoint } from './storeData'

/** Options of {@link createDashboard}: where the events are (`dir` or `clickhouse`), and who may see them. */
export interface DashboardOptions {
  /** The NDJSON folder the collector writes to. */
  dir?: string
  /** Read the events a ClickHouse sink stored instead (the same server, database, table and site). */
  clickhouse?: ClickhouseSourceOptions
  /**
   * When set, every dashboard route needs it: a `Authorization: Bearer <token>` header or
   * the cookie set by the login form. Required by `frictionlog collect` off loopback.
   */
  token?: string
  /** Folder of the built client files (`app.js`, `app.css`); default: `dist/dashboard/` of the package. */
  assetsDir?: string
  /** Funnel or goal that counts as the conversion, as for `frictionlog report`. */
  report?: ReportOptions
}

/** A dashboard: a handler that answers its own routes and returns undefined for the rest. */
export interface Dashboard {
  /**
   * Answers GET and HEAD of `/`, `/assets/*` and `/api/*`, and `/login`; undefined for any
   * other request, which is the collector's (a batch POSTed to `/` still goes to ingest).
   */
  handle(request: Request): Promise<Response | undefined>
  /** Closes what the dashboard holds open (its ClickHouse connection); the collector's close does not. */
  close(): Promise<void>
}

/** Largest login form body read. */
const MAX_LOGIN_BYTES = 4096
const ASSET_NAME = /^[\w-]+(\.[\w-]+)*\.(js|css|map)$/
const ASSET_TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  map: 'application/json; charset=utf-8',
}

/**
 * The built client sits in `dist/dashboard/`. This file is bundled into `dist/cli/`,
 * `dist/collector/` or a shared chunk at `dist/` itself, so both neighbours are tried.
 */
const defaultAssetsDir = async (): Promise<string> => {
  const { fileURLToPath } = await import('node:url')
  const { existsSync } = await import('node:fs')
  const candidates = ['./dashboard/', '../dashboard/', '../../dist/dashboard/'].map((relative) =>
    fileURLToPath(new URL(relative, import.meta.url)),
  )
  return candidates.find((dir) => existsSync(`${dir}app.js`)) ?? candidates[1]
}

const json = (value: unknown, status = 200) =>
  new Response(JSON.stringify(value), { status, headers: securityHeaders('application/json; charset=utf-8') })
const html = (body: string, status = 200, extra: Record<string, string> = {}) =>
  new Response(body, { status, headers: { ...securityHeaders('text/html; charset=utf-8'), ...extra } })

/** The source of `dir` or `clickhouse`: exactly one of them. */
function sourceOf(options: DashboardOptions): DashboardSource {
  if ((options.dir === undefined) === (options.clickhouse === undefined)) {
    throw new TypeError('createDashboard: give either `dir` (NDJSON) or `clickhouse`, not both or neither')
  }
  return options.clickhouse ? clickhouseSource(options.clickhouse) : ndjsonSource(options.dir!)
}

/**
 * Creates the dashboard served beside the collector: the report as live pages, heatmaps and
 * the replay player. Data routes read the store on demand (the NDJSON folder, or ClickHouse);
 * the report is rebuilt only when the store changed (see `DashboardSource.version`), and one
 * build at a time.
 *
 * @example
 * const dashboard = createDashboard({ dir: './.frictionlog' })
 * await collector.listen({ port: 8787, handlers: [dashboard.handle] })
 */
export function createDashboard(options: DashboardOptions): Dashboard {
  const source = sourceOf(options)
  const auth: DashboardAuth | undefined = options.token ? createAuth(options.token) : undefined
  let assetsDir: Promise<string> | undefined
  let cached: { version: string; report: Promise<Report> } | undefined

  let building: Promise<unknown> | undefined
  const report = async (): Promise<{ version: string; report: Report }> => {
    // One build at a time: while one runs, callers get its result (with its older version, so
    // the client's next poll asks again) instead of starting a second scan of the store.
    if (building) await building.catch(() => {})
    const version = await source.version()
    if (!cached || cached.version !== version) {
      const next = source.report(options.report)
      cached = { version, report: next }
      building = next.finally(() => {
        building = undefined
      })
      next.catch(() => {
        if (cached?.report === next) cached = undefined
      })
    }
    const current = cached
    return { version: current.version, report: await current.report }
  }

  const asset = async (name: string): Promise<Response> => {
    const extension = name.slice(name.lastIndexOf('.') + 1)
    if (!ASSET_NAME.test(name)) return json({ error: 'not found' }, 404)
    const fs = await import('node:fs/promises')
    assetsDir ??= options.assetsDir ? Promise.resolve(options.assetsDir) : defaultAssetsDir()
    try {
      const body = await fs.readFile(`${(await assetsDir).replace(/[\\/]+$/, '')}/${name}`)
      return new Response(body, {
        headers: { ...securityHeaders(ASSET_TYPES[extension]), 'cache-control': 'no-cache' },
      })
    } catch {
      return json({ error: 'not found' }, 404)
    }
  }

  const login = async (request: Request): Promise<Response> => {
    if (!auth) return new Response(null, { status: 303, headers: { location: '/' } })
    if (request.method !== 'POST') return html(loginPage(false), auth.isAllowed(request) ? 200 : 401)
    const body = await readLimited(request, MAX_LOGIN_BYTES)
    const token = body === undefined ? '' : (new URLSearchParams(body).get('token') ?? '')
    if (!auth.isToken(token)) return html(loginPage(true), 401)
    // SameSite=Strict: no other site can make the browser send it (no CSRF on the data routes).
    const cookie = `${SESSION_COOKIE}=${auth.cookieValue}; Path=/; HttpOnly; SameSite=Strict`
    return new Response(null, {
      status: 303,
      headers: { ...securityHeaders('text/plain'), location: '/', 'set-cookie': cookie },
    })
  }

  const api = async (route: string, url: URL): Promise<Response> => {
    switch (route) {
      case 'version':
        return json({ version: await source.version() })
      case 'report': {
        const { version, report: value } = await report()
        return json({ version, report: value })
      }
      case 'heatmap': {
        const bp = url.searchParams.get('bp') ?? 'desktop'
        const breakpoint: Breakpoint = (BREAKPOINTS as readonly string[]).includes(bp) ? (bp as Breakpoint) : 'desktop'
        const data = await source.heatmap((url.searchParams.get('path') ?? '/').slice(0, 2000), breakpoint)
        // Never the dashboard itself: an event can claim any URL.
        const isOwn = data.pageUrl !== null && URL.canParse(data.pageUrl) && new URL(data.pageUrl).origin === url.origin
        return json({ ...data, isPageReachable: !isOwn && (await isPageReachable(data.pageUrl)) })
      }
      case 'replays': {
        const { report: value } = await report()
        const friction = await source.sessionFriction(value.replays.list.map((session) => session.sessionId))
        return json({ sessions: value.replays.sessions, list: value.replays.list, friction })
      }
      case 'replay': {
        const session = url.searchParams.get('session')
        if (!session || session.length > 200) return json({ error: 'session expected' }, 400)
        return json(await source.replay(session))
      }
      default:
        return json({ error: 'not found' }, 404)
    }
  }

  return {
    close: () => source.close(),
    async handle(request) {
      const url = new URL(request.url)
      const path = url.pathname
      // Browsers ask for it on every dashboard tab: no icon, and no 405 from the collector.
      if (path === '/favicon.ico') return new Response(null, { status: 204, headers: securityHeaders('image/x-icon') })
      const isRead = request.method === 'GET' || request.method === 'HEAD'
      // Reads only: the collector takes batches POSTed to any path, `/` included, as before.
      const isOurs =
        path === '/login' || (isRead && (path === '/' || path.startsWith('/assets/') || path.startsWith('/api/')))
      if (!isOurs) return undefined
      try {
        if (path === '/login') return await login(request)
        // The client's code is the package's public code, no data: the login page needs its CSS.
        if (path.startsWith('/assets/')) return await asset(path.slice('/assets/'.length))
        if (auth && !auth.isAllowed(request)) {
          return path.startsWith('/api/') ? json({ error: 'unauthorized' }, 401) : html(loginPage(false), 401)
        }
        if (path === '/') return html(shellPage())
        return await api(path.slice('/api/'.length), url)
      } catch {
        return json({ error: 'internal error' }, 500)
      }
    },
  }
}

/** Reads a small body as text; undefined when it is larger than `limit` bytes. */
async function readLimited(request: Request, limit: number): Promise<string | undefined> {
  if (!request.body) return ''
  const reader = request.body.getReader()
  const parts: Uint8Array[] = []
  let size = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    size += value.byteLength
    if (size > limit) {
      await reader.cancel().catch(() => {})
      return undefined
    }
    parts.push(value)
  }
  return Buffer.concat(parts).toString('utf8')
}
