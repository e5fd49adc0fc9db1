import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import { launchBrowser, type Browser } from './support/browser'
import { startDashboardServer, watchForInjection, type DashboardServer } from './support/dashboard'
import { makeEvent } from '../unit/support/events'

// Everything the dashboard shows comes from events anyone can post. Hostile events (script
// tags, attribute breakouts, `javascript:` URLs, SVG payloads, a hostile recorded DOM) are
// posted through the real ingest endpoint, then every page is opened in Chromium: none of the
// payloads runs, the CSP reports nothing to block, and the text shows as text.
const TOKEN = 'dashboard-e2e-token'
const PAYLOADS = {
  img: '<img src=x onerror="top.__pwned=\'img\'">',
  script: '<script>top.__pwned="script"</script>',
  breakout: '"><svg onload="top.__pwned=\'svg\'"><a x="',
  svg:
    '<svg><script>top.__pwned="svg-script"</script><animate onbegin="top.__pwned=\'animate\'" ' +
    'attributeName="x"/></svg>',
  iframe: '<iframe srcdoc="<script>parent.__pwned=\'srcdoc\'</script>"></iframe>',
  js: 'javascript:top.__pwned="js-url"',
}
const ALL = Object.values(PAYLOADS).join(' ')
const HOSTILE_PATH = `/x${PAYLOADS.breakout}`
/** A page URL the dashboard may frame: http, but a closed port with hostile text in the path. */
const HOSTILE_URL = `http://127.0.0.1:1${HOSTILE_PATH}?q=${encodeURIComponent(PAYLOADS.script)}`
const SESSION = 'hostile-session'

const hostileSnapshot = (ts: number) => [
  { type: 4, timestamp: ts, data: { href: PAYLOADS.js, width: 800, height: 600 } },
  {
    type: 2,
    timestamp: ts + 10,
    data: {
      initialOffset: { left: 0, top: 0 },
      node: {
        type: 0,
        id: 1,
        childNodes: [
          {
            type: 2,
            id: 2,
            tagName: 'html',
            attributes: {},
            childNodes: [
              { type: 2, id: 3, tagName: 'head', attributes: {}, childNodes: [] },
              {
                type: 2,
                id: 4,
                tagName: 'body',
                attributes: { onload: 'top.__pwned="body-onload"' },
                childNodes: [
                  // A broken image: its onerror would fire if the handler survived.
                  {
                    type: 2,
                    id: 5,
                    tagName: 'img',
                    attributes: { src: 'data:image/png;base64,AAAA', onerror: 'top.__pwned="replay-img"' },
                    childNodes: [],
                  },
                  {
                    type: 2,
                    id: 6,
                    tagName: 'script',
                    attributes: {},
                    childNodes: [{ type: 3, id: 7, textContent: 'top.__pwned="replay-script"' }],
                  },
                  {
                    type: 2,
                    id: 8,
                    tagName: 'a',
                    attributes: { href: PAYLOADS.js },
                    childNodes: [{ type: 3, id: 9, textContent: 'link' }],
                  },
                  {
                    type: 2,
                    id: 10,
                    tagName: 'iframe',
                    attributes: { srcdoc: '<script>parent.__pwned="replay-srcdoc"</script>' },
                    childNodes: [],
                  },
                  { type: 3, id: 11, textContent: ALL },
                ],
              },
            ],
          },
        ],
      },
    },
  },
  { type: 3, timestamp: ts + 2000, data: { source: 1, positions: [{ x: 10, y: 10, id: 4, timeOffset: 0 }] } },
]

let server: DashboardServer
let browser: Browser

beforeAll(async () => {
  server = await startDashboardServer({ seedEvents: 500, token: TOKEN })
  browser = await launchBrowser()
  const now = Date.now()
  const base = { url: HOSTILE_URL, sessionId: SESSION, depthPct: undefined, pageHeight: undefined, ts: now }
  const context = makeEvent().context as Record<string, unknown>
  const events = [
    { type: 'page', path: HOSTILE_PATH, title: PAYLOADS.script, navigation: 'load' },
    { type: 'page', path: '/js', title: PAYLOADS.js, navigation: 'load', url: PAYLOADS.js },
    { type: 'rage_click', selector: PAYLOADS.img, text: PAYLOADS.breakout, x: 120, y: 140, clicks: 5, windowMs: 700 },
    { type: 'dead_click', selector: PAYLOADS.svg, text: PAYLOADS.iframe, x: 300, y: 200 },
    { type: 'click', selector: PAYLOADS.js, x: 10, y: 10, relX: 0.5, relY: 0.5, viewportW: 1280 },
    {
      type: 'error',
      source: 'onerror',
      message: PAYLOADS.img,
      errorType: PAYLOADS.script,
      stack: [{ file: PAYLOADS.js, line: 1, col: 1, fn: PAYLOADS.svg }],
      fingerprint: PAYLOADS.breakout,
      count: 3,
      afterClick: PAYLOADS.iframe,
    },
    { type: 'experiment', experiment: PAYLOADS.script, variant: PAYLOADS.img },
    { type: 'experiment', experiment: PAYLOADS.script, variant: PAYLOADS.breakout, sessionId: 'hostile-2' },
    {
      type: 'funnel_step',
      funnel: PAYLOADS.svg,
      step: PAYLOADS.js,
      stepIndex: 0,
      msSincePrevious: null,
      props: { x: PAYLOADS.img },
    },
    { type: 'form_start', form: PAYLOADS.iframe, fields: [PAYLOADS.img], durationMs: 0 },
    {
      type: 'form_abandon',
      form: PAYLOADS.iframe,
      fields: [PAYLOADS.img],
      lastField: PAYLOADS.breakout,
      durationMs: 900,
    },
    { type: 'field_error', form: PAYLOADS.iframe, field: PAYLOADS.script, reason: 'valueMissing' },
    { type: 'track', name: PAYLOADS.script, props: { html: PAYLOADS.svg } },
    { type: 'feedback', question: PAYLOADS.img, answer: PAYLOADS.script },
    { type: 'section', section: PAYLOADS.svg, visibleMs: 1200, order: 1 },
    { type: 'scroll', depthPct: 50, pageHeight: 2000 },
    {
      type: 'vital',
      name: 'LCP',
      value: 5000,
      delta: 5000,
      rating: 'poor',
      navigationType: 'navigate',
      attribution: { target: PAYLOADS.img },
    },
    { type: 'replay', seq: 0, events: hostileSnapshot(now), startTs: now, endTs: now + 2000 },
  ].map((fields) =>
    makeEvent({ ...base, context: { ...context, experiments: { [PAYLOADS.script]: PAYLOADS.img } }, ...fields }),
  )
  const answer = await server.post(events)
  expect(answer.rejected ?? []).toEqual([])
  expect(answer.accepted).toBe(events.length)
})

afterAll(async () => {
  await browser?.close()
  await server?.close()
})

/** Signs in through the login form, as a person does. */
const signIn = async (page: Page) => {
  const response = await page.goto(`${server.url}/`)
  expect(response!.status()).toBe(401)
  await page.fill('input[name=token]', 'not-the-token')
  const [wrong] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/login')),
    page.click('button[type=submit]'),
  ])
  expect(wrong.status()).toBe(401)
  expect(await page.locator('.error').textContent()).toBe('Wrong token.')
  await page.fill('input[name=token]', TOKEN)
  await Promise.all([page.waitForURL(`${server.url}/`), page.click('button[type=submit]')])
  await page.waitForSelector('main[data-page="overview"]')
}

/** Nothing from the payloads ran or became markup. */
const expectInert = async (page: Page, watch: Awaited<ReturnType<typeof watchForInjection>>) => {
  const found = await page.evaluate(() => {
    const frames = [...document.querySelectorAll('iframe')]
    const docs: Document[] = [document]
    for (const frame of frames) {
      try {
        if (frame.contentDocument) docs.push(frame.contentDocument)
      } catch {
        // A cross-origin frame (the heatmap's page) is not ours to read.
      }
    }
    const handlers: string[] = []
    const jsLinks: string[] = []
    for (const doc of docs) {
      for (const element of doc.querySelectorAll('*')) {
        for (const attribute of element.attributes) {
          if (/^on/i.test(attribute.name)) handlers.push(`${element.tagName} ${attribute.name}`)
          if (/^\s*javascript:/i.test(attribute.value) && /href|src|action/i.test(attribute.name))
            jsLinks.push(`${element.tagName} ${attribute.name}`)
        }
      }
    }
    return {
      pwned:
        (window as any).__pwned ??
        frames
          .map((frame) => {
            try {
              return (frame.contentWindow as any).__pwned
            } catch {
              return undefined
            }
          })
          .find(Boolean),
      handlers,
      jsLinks,
      scripts: [...document.scripts].map((script) => script.src || 'inline'),
      srcdoc: document.querySelectorAll('iframe[srcdoc]').length,
    }
  })
  expect(found.pwned).toBeUndefined()
  expect(found.handlers).toEqual([])
  expect(found.jsLinks).toEqual([])
  expect(found.scripts.every((src) => src.startsWith(`${server.url}/assets/`))).toBe(true)
  expect(found.srcdoc).toBe(0)
  expect(watch.dialogs).toEqual([])
  expect(watch.errors).toEqual([])
  expect(await watch.violations()).toEqual([])
}

describe('dashboard security', () => {
  test('no route answers without the token, and the login form lets the owner in', async () => {
    for (const path of [
      '/',
      '/api/report',
      '/api/version',
      `/api/heatmap?path=${encodeURIComponent(HOSTILE_PATH)}`,
      '/api/replays',
      `/api/replay?session=${SESSION}`,
    ]) {
      const attempts: Array<Record<string, string>> = [
        {},
        { authorization: 'Bearer wrong' },
        { cookie: 'fl_dashboard=wrong' },
      ]
      for (const headers of attempts) {
        const response = await fetch(server.url + path, { headers })
        expect(response.status, path).toBe(401)
        const body = await response.text()
        expect(body).not.toContain('pwned')
        expect(body).not.toContain(SESSION)
      }
    }
    // Ingest stays open: browsers send without any token.
    expect((await server.post([makeEvent({ depthPct: 25 })])).accepted).toBe(1)
  })

  const ROUTES = ['overview', 'funnels', 'experiments', 'friction', 'forms', 'attention', 'vitals', 'errors', 'replays']
  test('hostile events render as text on every page, and nothing in them runs', async () => {
    const page = await browser.newPage()
    const watch = await watchForInjection(page)
    await signIn(page)
    watch.errors.length = 0 // the two 401s of the login, asserted above
    for (const route of ROUTES) {
      await page.goto(`${server.url}/#/${route}`)
      await page.waitForSelector(`main[data-page="${route}"]`)
      await page.waitForTimeout(200)
      await expectInert(page, watch)
    }
    await page.goto(`${server.url}/#/friction`)
    await page.waitForSelector('main[data-page="friction"] table')
    expect(await page.locator('main').innerText()).toContain(PAYLOADS.img)
    await page.goto(`${server.url}/#/errors`)
    await page.waitForSelector('main[data-page="errors"] table')
    expect(await page.locator('main').innerText()).toContain(PAYLOADS.img)

    // The heatmap of the hostile path: the closed port is not framed, the selectors are text.
    await page.goto(`${server.url}/#/heatmaps?${new URLSearchParams({ path: HOSTILE_PATH, bp: 'desktop' })}`)
    await page.waitForSelector('main[data-page="heatmaps"] canvas.heat')
    expect(await page.locator('iframe.backdrop').count()).toBe(0)
    expect(await page.locator('main').innerText()).toContain(PAYLOADS.svg)
    await expectInert(page, watch)

    // The hostile recording: rebuilt without its scripts or handlers, and played to the end.
    await page.goto(`${server.url}/#/replay?session=${SESSION}`)
    await page.waitForSelector('.player[data-state="paused"]')
    await page.selectOption('.controls select', '16')
    await page.click('.controls button.play')
    await page.waitForSelector('.player[data-state="finished"]', { timeout: 20_000 })
    expect(
      await page.evaluate(
        () => (document.querySelector('.replay-screen iframe') as HTMLIFrameElement).contentDocument!.body.textContent,
      ),
    ).toContain(PAYLOADS.script)
    await expectInert(page, watch)
    await page.close()
  })
})
