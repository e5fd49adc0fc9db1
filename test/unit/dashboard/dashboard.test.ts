// @vitest-environment node
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type * as Crypto from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'

// Every comparison of a secret must go through timingSafeEqual over equal-length digests.
const compared: Array<[number, number]> = []
vi.mock('node:crypto', async (importOriginal) => {
  const crypto = await importOriginal<typeof Crypto>()
  return {
    ...crypto,
    timingSafeEqual: (a: NodeJS.ArrayBufferView, b: NodeJS.ArrayBufferView) => {
      compared.push([a.byteLength, b.byteLength])
      return crypto.timingSafeEqual(a, b)
    },
  }
})

const { createDashboard } = await import('../../../src/dashboard/dashboard')
const { isLoopbackHost, readCookie, SESSION_COOKIE } = await import('../../../src/dashboard/auth')
const { CONTENT_SECURITY_POLICY } = await import('../../../src/dashboard/headers')
const { makeEvent } = await import('../support/events')

const TOKEN = 'correct horse battery staple'
const BASE = 'http://127.0.0.1:8787'
let dir: string
let assetsDir: string

const SECRET_SELECTOR = '#secret-selector-from-events'
/** Every route that shows data (or the page that fetches it). */
const DATA_ROUTES = [
  '/',
  '/api/report',
  '/api/version',
  '/api/heatmap?path=/pricing&bp=desktop',
  '/api/replays',
  '/api/replay?session=sess-1',
  '/api/nope',
]

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fl-dashboard-'))
  assetsDir = await mkdtemp(join(tmpdir(), 'fl-dashboard-assets-'))
  await writeFile(join(assetsDir, 'app.js'), 'console.log(1)\n')
  const events = [
    makeEvent({
      type: 'rage_click',
      selector: SECRET_SELECTOR,
      text: 'Pay',
      x: 100,
      y: 200,
      clicks: 5,
      windowMs: 800,
      depthPct: undefined,
      pageHeight: undefined,
    }),
    makeEvent({
      type: 'click',
      selector: '#buy',
      x: 300,
      y: 400,
      relX: 0.5,
      relY: 0.5,
      viewportW: 390,
      depthPct: undefined,
      pageHeight: undefined,
    }),
    makeEvent({
      type: 'replay',
      seq: 0,
      events: [{ type: 4, timestamp: 1, data: {} }],
      startTs: 1,
      endTs: 2,
      depthPct: undefined,
      pageHeight: undefined,
    }),
    makeEvent({}),
  ]
  await writeFile(join(dir, 'events-2024-11-23.ndjson'), events.map((event) => JSON.stringify(event)).join('\n') + '\n')
})
afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
  await rm(assetsDir, { recursive: true, force: true })
})

const get = (path: string, headers: Record<string, string> = {}) => new Request(BASE + path, { headers })
const login = (token: string) =>
  new Request(`${BASE}/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token }),
  })

describe('createDashboard without a token (loopback)', () => {
  const dashboard = () => createDashboard({ dir, assetsDir })

  it('serves the shell page with a strict CSP and no inline script', async () => {
    const response = (await dashboard().handle(get('/')))!
    expect(response.status).toBe(200)
    const csp = response.headers.get('content-security-policy')!
    expect(csp).toBe(CONTENT_SECURITY_POLICY)
    expect(csp).toContain("script-src 'self'")
    expect(csp).not.toMatch(/unsafe-eval|script-src[^;]*unsafe-inline/)
    expect(response.headers.get('x-content-type-options')).toBe('nosniff')
    const html = await response.text()
    expect(html).toContain('<script type="module" src="/assets/app.js"></script>')
    expect(html).not.toMatch(/<script>(?!<)/)
  })

  it('serves the report, heatmap points and replay chunks as JSON', async () => {
    const handle = dashboard().handle
    const report = await (await handle(get('/api/report')))!.json()
    expect(report.report.totals.events).toBe(4)
    const heat = await (await handle(get('/api/heatmap?path=/pricing&bp=desktop')))!.json()
    expect(heat.points).toEqual([{ kind: 'rage', x: 100, y: 200, viewportW: 1280, selector: SECRET_SELECTOR }])
    expect(heat.paths[0]).toEqual({ path: '/pricing', points: 2, byBreakpoint: { mobile: 1, tablet: 0, desktop: 1 } })
    const mobile = await (await handle(get('/api/heatmap?path=/pricing&bp=mobile')))!.json()
    expect(mobile.points.map((point: { kind: string }) => point.kind)).toEqual(['click'])
    const replay = await (await handle(get('/api/replay?session=sess-1')))!.json()
    expect(replay.chunks).toHaveLength(1)
    expect(replay.markers.map((marker: { type: string }) => marker.type)).toEqual(['rage_click'])
    const list = await (await handle(get('/api/replays')))!.json()
    expect(list.friction['sess-1']).toEqual({ rage: 1, dead: 0, errors: 0, formIssues: 0 })
  })

  it('leaves every other request to the collector', async () => {
    const handle = dashboard().handle
    expect(await handle(new Request(`${BASE}/e`, { method: 'POST', body: '{}' }))).toBeUndefined()
    expect(await handle(get('/e'))).toBeUndefined()
    expect(await handle(get('/other'))).toBeUndefined()
  })

  it('serves only named files from the assets folder', async () => {
    const handle = dashboard().handle
    expect((await handle(get('/assets/app.js')))!.status).toBe(200)
    expect((await handle(get('/assets/..%2F..%2Fetc%2Fpasswd')))!.status).toBe(404)
    expect(await handle(get('/assets/../app.js'))).toBeUndefined() // normalised to /app.js by URL
    expect((await handle(get('/assets/missing.js')))!.status).toBe(404)
  })

  it('leaves writes, even to its own paths, to the collector (batches may be POSTed to /)', async () => {
    expect(await dashboard().handle(new Request(`${BASE}/`, { method: 'POST', body: 'x' }))).toBeUndefined()
    expect(await dashboard().handle(new Request(`${BASE}/api/report`, { method: 'OPTIONS' }))).toBeUndefined()
  })
})

describe('createDashboard with a token', () => {
  let dashboard: ReturnType<typeof createDashboard>
  beforeAll(() => {
    dashboard = createDashboard({ dir, assetsDir, token: TOKEN })
  })

  it.each(DATA_ROUTES)('answers 401 on %s without the token, with a wrong one, and leaks no data', async (path) => {
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${TOKEN}x` },
      { cookie: `${SESSION_COOKIE}=${TOKEN}` },
    ]
    for (const headers of attempts) {
      const response = (await dashboard.handle(get(path, headers)))!
      expect(response.status).toBe(401)
      const body = await response.text()
      expect(body).not.toContain(SECRET_SELECTOR)
      expect(body).not.toContain('sess-1')
      expect(body).not.toContain('totals')
    }
  })

  it.each(DATA_ROUTES.filter((path) => path !== '/api/nope'))('answers %s with the bearer token', async (path) => {
    expect((await dashboard.handle(get(path, { authorization: `Bearer ${TOKEN}` })))!.status).toBe(200)
  })

  it('logs in with the form: a wrong token is 401, the right one sets a cookie that is not the token', async () => {
    expect((await dashboard.handle(login('nope')))!.status).toBe(401)
    const response = (await dashboard.handle(login(TOKEN)))!
    expect(response.status).toBe(303)
    expect(response.headers.get('location')).toBe('/')
    const setCookie = response.headers.get('set-cookie')!
    expect(setCookie).toMatch(/HttpOnly/)
    expect(setCookie).toMatch(/SameSite=Strict/)
    const value = readCookie(setCookie.split(';')[0], SESSION_COOKIE)!
    expect(value).not.toContain(TOKEN)
    expect(value).toMatch(/^[0-9a-f]{64}$/)
    const report = (await dashboard.handle(get('/api/report', { cookie: `other=1; ${SESSION_COOKIE}=${value}` })))!
    expect(report.status).toBe(200)
    // The cookie value is not a bearer token.
    expect((await dashboard.handle(get('/api/report', { authorization: `Bearer ${value}` })))!.status).toBe(401)
  })

  it('refuses an oversized login body', async () => {
    const request = new Request(`${BASE}/login`, { method: 'POST', body: 'token=' + 'x'.repeat(10_000) })
    expect((await dashboard.handle(request))!.status).toBe(401)
  })

  it('compares every secret with timingSafeEqual over 32-byte digests', async () => {
    compared.length = 0
    await dashboard.handle(get('/api/version', { authorization: 'Bearer a' }))
    await dashboard.handle(get('/api/version', { authorization: `Bearer ${'long'.repeat(100)}` }))
    await dashboard.handle(get('/api/version', { cookie: `${SESSION_COOKIE}=short` }))
    await dashboard.handle(login('x'))
    expect(compared).toEqual([
      [32, 32],
      [32, 32],
      [32, 32],
      [32, 32],
    ])
  })

  it('keeps the login page and the client code reachable', async () => {
    expect((await dashboard.handle(get('/login')))!.status).toBe(401)
    expect(await (await dashboard.handle(get('/login')))!.text()).toContain('<form method="post" action="/login"')
    expect((await dashboard.handle(get('/assets/app.js')))!.status).toBe(200)
  })
})

describe('isLoopbackHost', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['localhost', true],
    ['::1', true],
    ['0.0.0.0', false],
    ['::', false],
    ['192.168.1.5', false],
    ['example.com', false],
    ['127.0.0.1.evil.com', false],
  ])('%s → %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected)
  })
})

describe('the report cache', () => {
  it('rebuilds only when the store changed, and never two builds at once', async () => {
    const { appendFile } = await import('node:fs/promises')
    const dashboard = createDashboard({ dir, assetsDir })
    const [a, b] = await Promise.all([dashboard.handle(get('/api/report')), dashboard.handle(get('/api/report'))])
    const first = await a!.json()
    const second = await b!.json()
    expect(second.version).toBe(first.version)
    expect(second.report.totals.events).toBe(first.report.totals.events)
    await appendFile(join(dir, 'events-2024-11-23.ndjson'), JSON.stringify(makeEvent({ depthPct: 75 })) + '\n')
    const third = await (await dashboard.handle(get('/api/report')))!.json()
    expect(third.version).not.toBe(first.version)
    expect(third.report.totals.events).toBe(first.report.totals.events + 1)
  })
})
