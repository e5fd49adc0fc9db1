import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import { buildReport, readNdjson } from '../../dist/collector/index.js'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { startDemo, type Demo } from '../../scripts/demoServer.mjs'
import { createRoute } from '../../examples/route-handler/route.mjs'
import { serveRoute } from '../../examples/route-handler/serve.mjs'
import { simulate } from '../../scripts/simulate.mjs'
import { assertChromium, CHROMIUM_ARGS, CHROMIUM_PATH } from './support/browser'

// Issue "The main job end to end": the examples a user copies from (examples/spa,
// examples/checkout, examples/route-handler), run as the demo runs them: the demo's static
// server and collector in-process on free ports, the pages told where to send by ?endpoint=.

let demo: Demo
let dir: string
let browser: Browser

beforeAll(async () => {
  assertChromium()
  dir = mkdtempSync(join(tmpdir(), 'fl-e2e-examples-'))
  demo = await startDemo({ port: 0, pagesPort: 0, dir })
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
})

afterAll(async () => {
  await browser?.close()
  await demo?.close()
  if (dir) rmSync(dir, { recursive: true, force: true })
})

const readAll = async (folder = dir): Promise<FrictionEvent[]> => {
  const events: FrictionEvent[] = []
  for await (const event of readNdjson(folder)) events.push(event as FrictionEvent)
  return events
}

/** Polls the stored events until `predicate` holds. */
const waitForEvents = async (
  predicate: (events: FrictionEvent[]) => boolean,
  what: string,
): Promise<FrictionEvent[]> => {
  const deadline = Date.now() + 10_000
  for (;;) {
    const events = await readAll()
    if (predicate(events)) return events
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ${events.length} events stored`)
    await new Promise((done) => setTimeout(done, 100))
  }
}

const ofType = <T extends FrictionEvent['type']>(events: FrictionEvent[], type: T) =>
  events.filter((event): event is EventOf<T> => event.type === type)

/** A fresh visitor: its own context (storage, so session), and a tab failing on page errors it did not expect. */
const visitor = async (): Promise<{ context: BrowserContext; page: Page; errors: string[] }> => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  return { context, page, errors }
}
const ready = (page: Page) => page.waitForFunction(() => 'fl' in window)
const flush = (page: Page) => page.evaluate(() => (window as any).fl.flush())

describe('examples/spa', () => {
  test('pushState routes are page views; typed events, signup funnel, forms, the custom plugin arrive', async () => {
    const { context, page, errors } = await visitor()
    const q = encodeURIComponent(demo.endpoint)
    await page.goto(`${demo.pagesUrl}/spa/?endpoint=${q}`)
    await ready(page)
    await page.click('#hero-cta')
    await page.waitForURL(/\/spa\/pricing$/)
    await page.click('#choose-pro')
    await page.waitForURL(/\/spa\/signup$/)
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=password]', 'short')
    await page.click('#create-account') // refused by the browser: field_error tooShort
    await page.fill('input[name=password]', 'correct-horse-battery')
    await page.click('#create-account')
    await page.waitForURL(/\/spa\/welcome$/)
    // The outbound link, kept from leaving (the test browser resolves no other host).
    await page.evaluate(() =>
      document.getElementById('docs')!.addEventListener('click', (event) => event.preventDefault()),
    )
    await page.click('#docs')
    await flush(page)
    expect(errors).toEqual([])

    const events = await waitForEvents(
      (all) => ofType(all, 'track').some((event) => event.name === 'outbound_click'),
      'outbound_click',
    )
    const spa = events.filter((event) => event.url.includes('/spa/'))
    expect(ofType(spa, 'page').map((event) => [new URL(event.url).pathname, event.navigation])).toEqual([
      ['/spa/', 'load'],
      ['/spa/pricing', 'spa'],
      ['/spa/signup', 'spa'],
      ['/spa/welcome', 'spa'],
    ])
    const tracks = ofType(spa, 'track').map((event) => [event.name, event.props])
    expect(tracks).toEqual(
      expect.arrayContaining([
        ['cta_click', { position: 'hero' }],
        ['plan_selected', { plan: 'pro' }],
        ['signup', { plan: 'pro' }],
        ['outbound_click', { href: 'https://example.com/docs' }],
      ]),
    )
    expect(ofType(spa, 'funnel_step').map((event) => [event.funnel, event.step, event.stepIndex])).toEqual([
      ['signup', 'pricing', 0],
      ['signup', 'form', 1],
      ['signup', 'done', 2],
    ])
    expect(ofType(spa, 'field_error').map((event) => [event.form, event.field, event.reason])).toEqual([
      ['signup-form', 'password', 'tooShort'],
    ])
    expect(ofType(spa, 'form_submit').map((event) => event.form)).toEqual(['signup-form'])
    expect(ofType(spa, 'identify')).toHaveLength(1)
    expect(new Set(spa.map((event) => event.sessionId)).size).toBe(1)

    // A deep link is served the app (the static server's fallback), which renders that route.
    await page.goto(`${demo.pagesUrl}/spa/pricing?endpoint=${q}`)
    await ready(page)
    expect(await page.locator('#choose-pro').count()).toBe(1)
    await context.close()
  })
})

describe('examples/checkout', () => {
  test('three pages and the thank-you page: one session through the funnel, exposed to B, its friction', async () => {
    const { context, page, errors } = await visitor()
    await page.goto(`${demo.pagesUrl}/checkout/?endpoint=${encodeURIComponent(demo.endpoint)}&variant=B`)
    await ready(page)
    expect(await page.locator('h1.copy-b').isVisible()).toBe(true)
    expect(await page.locator('h1.copy-a').isVisible()).toBe(false)
    await page.click('#to-shipping')
    await page.waitForURL(/shipping\.html$/)
    await ready(page)
    await page.fill('input[name=name]', 'Ada Lovelace')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=zip]', '123')
    await page.click('#to-payment') // patternMismatch
    await page.fill('input[name=zip]', '94107')
    await page.click('#to-payment')
    await page.waitForURL(/payment\.html$/)
    await ready(page)
    for (let i = 0; i < 5; i++) await page.click('#apply-coupon') // the broken button: a rage click
    await page.click('#delivery-estimate') // throws
    await page.fill('input[name=card]', '4242 4242 4242 4242')
    await page.fill('input[name=expiry]', '12/29')
    await page.click('#pay')
    await page.waitForURL(/done\.html$/)
    await ready(page)
    // Only the deliberate bug threw.
    expect(errors).toEqual([expect.stringContaining('billingDate')])
    await flush(page)

    const done = (all: FrictionEvent[]) =>
      ofType(all, 'funnel_step').some((event) => event.funnel === 'checkout' && event.step === 'done')
    const events = (await waitForEvents(done, 'checkout:done')).filter((event) => event.url.includes('/checkout/'))
    const steps = ofType(events, 'funnel_step').filter((event) => event.funnel === 'checkout')
    expect(steps.map((event) => [event.step, event.stepIndex])).toEqual([
      ['cart', 0],
      ['shipping', 1],
      ['payment', 2],
      ['done', 3],
    ])
    expect(new Set(steps.map((event) => event.sessionId)).size).toBe(1)
    expect(steps.every((event) => event.context.experiments['hero-copy'] === 'B')).toBe(true)
    expect(ofType(events, 'experiment').map((event) => [event.experiment, event.variant])).toEqual([['hero-copy', 'B']])
    expect(ofType(events, 'rage_click').map((event) => event.selector)).toContain('#apply-coupon')
    const thrown = ofType(events, 'error').find((event) => event.errorType === 'TypeError')
    expect(thrown?.afterClick).toBe('#delivery-estimate')
    expect(ofType(events, 'field_error').map((event) => [event.form, event.field, event.reason])).toEqual([
      ['shipping-form', 'zip', 'patternMismatch'],
    ])
    expect(ofType(events, 'track').map((event) => event.name)).toContain('purchase')

    // The report of this folder counts the conversion against variant B.
    const report = await buildReport(dir, { funnel: 'checkout' })
    const experiment = report.experiments.find((entry) => entry.experiment === 'hero-copy')
    expect(experiment?.variants.find((variant) => variant.variant === 'B')).toMatchObject({
      exposed: 1,
      conversions: 1,
    })
    await context.close()
  })

  test('without ?variant= a variant is drawn once and kept on the next pages of the tab', async () => {
    const { context, page, errors } = await visitor()
    await page.goto(`${demo.pagesUrl}/checkout/?endpoint=${encodeURIComponent(demo.endpoint)}`)
    await ready(page)
    const drawn = await page.evaluate(() => document.documentElement.dataset.variant)
    expect(['A', 'B']).toContain(drawn)
    await page.click('#to-shipping')
    await page.waitForURL(/shipping\.html$/)
    await ready(page)
    expect(await page.evaluate(() => [document.documentElement.dataset.variant, (window as any).variant])).toEqual([
      drawn,
      drawn,
    ])
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('the examples index and favicon', () => {
  test('/ links every example with what to try; no request of the pages answers 404', async () => {
    const { context, page, errors } = await visitor()
    const missing: string[] = []
    page.on('response', (response) => {
      if (response.status() >= 400) missing.push(`${response.status()} ${response.url()}`)
    })
    const q = encodeURIComponent(demo.endpoint)
    const index = await page.goto(`${demo.pagesUrl}/?endpoint=${q}`)
    expect(index?.status()).toBe(200)
    expect(await page.title()).toBe('frictionlog examples')
    const links = await page.$$eval('a[href^="/"]', (as) => as.map((a) => a.getAttribute('href')!))
    for (const example of ['/landing/', '/spa/', '/checkout/']) {
      // Each example is linked, passing the demo's endpoint on.
      expect(links).toContain(`${example}?endpoint=${q}`)
    }
    for (const card of ['#landing', '#spa', '#checkout']) {
      expect((await page.locator(`${card} li`).count()) >= 3, `${card} says what to try`).toBe(true)
    }
    for (const href of new Set(links)) expect((await fetch(`${demo.pagesUrl}${href}`)).status, href).toBe(200)
    expect((await fetch(`${demo.pagesUrl}/favicon.ico`)).headers.get('content-type')).toBe('image/x-icon')
    // The pages themselves, their favicon included: nothing missing.
    await page.click(`a[href="/checkout/?endpoint=${q}"]`)
    await ready(page)
    await page.goto(`${demo.pagesUrl}/landing/`)
    await page.goto(`${demo.pagesUrl}/spa/?endpoint=${q}`)
    await ready(page)
    await page.waitForTimeout(300)
    expect(missing).toEqual([])
    expect(errors).toEqual([])
    await context.close()
  })
})

describe('examples/checkout tells the truth', () => {
  test('"Add a seat" changes the total, the pay button and the purchase; the throwing button says why', async () => {
    const { context, page, errors } = await visitor()
    await page.goto(`${demo.pagesUrl}/checkout/?endpoint=${encodeURIComponent(demo.endpoint)}&variant=A`)
    await ready(page)
    expect(await page.locator('.try').textContent()).toContain('add a seat')
    await page.click('#add-seat')
    await page.click('#add-seat')
    expect(await page.locator('#total').textContent()).toBe('$360')
    expect(await page.locator('#seats').textContent()).toBe('3 seats')
    await page.click('#to-shipping')
    await page.waitForURL(/shipping\.html$/)
    await ready(page)
    await page.fill('input[name=name]', 'Ada Lovelace')
    await page.fill('input[name=email]', 'ada@example.com')
    await page.fill('input[name=zip]', '94107')
    await page.click('#to-payment')
    await page.waitForURL(/payment\.html$/)
    await ready(page)
    expect(await page.locator('#pay').textContent()).toBe('Pay $360')
    expect(await page.locator('.try').textContent()).toContain('throws a TypeError on purpose')
    await page.click('#delivery-estimate')
    await expect.poll(() => page.locator('#delivery-estimate-note').isVisible()).toBe(true)
    expect(await page.locator('#delivery-estimate-note').textContent()).toContain('on purpose')
    await page.fill('input[name=card]', '4242 4242 4242 4242')
    await page.fill('input[name=expiry]', '12/29')
    await page.click('#pay')
    await page.waitForURL(/done\.html$/)
    await ready(page)
    await page.click('[data-answer="price"]')
    await page.click('[data-score="4"]')
    expect(await page.locator('#thanks').isVisible()).toBe(true)
    await flush(page)
    expect(errors).toEqual([expect.stringContaining('billingDate')])

    const events = await waitForEvents(
      (all) =>
        ofType(all, 'feedback').filter((e) => e.question === 'How easy was checking out?').length > 0 &&
        ofType(all, 'track').some((e) => e.name === 'purchase' && (e.props as { items?: number }).items === 3),
      'purchase of 3 seats and feedback',
    )
    const purchase = ofType(events, 'track').find(
      (e) => e.name === 'purchase' && (e.props as { items?: number }).items === 3,
    )
    expect(purchase?.props).toEqual({ total: 360, items: 3 })
    expect(
      ofType(events, 'track').filter((e) => e.name === 'add_to_cart' && e.sessionId === purchase?.sessionId),
    ).toHaveLength(2)
    const answers = ofType(events, 'feedback')
      .filter((e) => e.sessionId === purchase?.sessionId)
      .map((e) => [e.question, e.answer])
    expect(answers).toEqual([
      ['What almost stopped you?', 'price'],
      ['How easy was checking out?', 4],
    ])
    await context.close()
  })

  test("variant A's slow hero is its LCP: ?slow= delays the hero image, and the LCP blames it", async () => {
    const { context, page, errors } = await visitor()
    const slowMs = 1500
    await page.goto(`${demo.pagesUrl}/checkout/?endpoint=${encodeURIComponent(demo.endpoint)}&variant=A&slow=${slowMs}`)
    await ready(page)
    await page.waitForSelector('#add-seat') // visible once revealed
    await page.waitForTimeout(200)
    await page.click('#to-shipping') // leaving reports the LCP
    await page.waitForURL(/shipping\.html$/)
    await ready(page)
    await flush(page)
    expect(errors).toEqual([])
    const events = await waitForEvents(
      (all) =>
        ofType(all, 'vital').some((e) => e.name === 'LCP' && e.value >= slowMs && e.url.includes(`slow=${slowMs}`)),
      'the slow LCP',
    )
    const lcp = ofType(events, 'vital').find(
      (e) => e.name === 'LCP' && e.value >= slowMs && e.url.includes(`slow=${slowMs}`),
    )!
    expect(lcp.context.experiments['hero-copy']).toBe('A')
    expect(lcp.attribution.target).toMatch(/img/)
    expect(lcp.attribution.target).toMatch(/hero/)
    await context.close()
  })

  test('simulated visitors who read the cart produce section events past minVisibleMs', async () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-e2e-sim-'))
    const sim = await startDemo({ port: 0, pagesPort: 0, dir: store })
    try {
      const result = await simulate({
        visitors: 4,
        concurrency: 1,
        seed: 1,
        pagesUrl: sim.pagesUrl,
        endpoint: sim.endpoint,
      })
      expect(result.visitors).toBe(4)
      await new Promise((done) => setTimeout(done, 500))
      const events: FrictionEvent[] = []
      for await (const event of readNdjson(store)) events.push(event as FrictionEvent)
      const cartSections = ofType(events, 'section').filter((e) => new URL(e.url).pathname === '/checkout/')
      expect(cartSections.length).toBeGreaterThanOrEqual(2)
      expect(cartSections.every((e) => e.visibleMs >= 1000)).toBe(true)
      expect(new Set(cartSections.map((e) => e.section)).size).toBeGreaterThanOrEqual(2)
    } finally {
      await sim.close()
      rmSync(store, { recursive: true, force: true })
    }
  }, 180_000)
})

describe('examples/route-handler', () => {
  test('route.mjs behind serve.mjs stores a batch posted with fetch, answers the preflight', async () => {
    const store = mkdtempSync(join(tmpdir(), 'fl-e2e-route-'))
    const route = createRoute({ dir: store })
    const served = await serveRoute({ POST: route.POST, OPTIONS: route.OPTIONS }, { port: 0 })
    try {
      const preflight = await fetch(served.url, {
        method: 'OPTIONS',
        headers: {
          origin: 'https://shop.example',
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-encoding',
        },
      })
      expect(preflight.status).toBe(204)
      expect(preflight.headers.get('access-control-allow-origin')).toBeTruthy()

      const event = (id: string, type: string, fields: Record<string, unknown>) => ({
        id,
        type,
        ts: Date.now(),
        sessionId: 's-route',
        anonymousId: 'a-route',
        pageId: 'p-route',
        url: 'https://shop.example/pricing',
        context: {
          userAgent: 'node',
          language: 'en',
          timezone: 'UTC',
          viewport: { w: 1280, h: 720 },
          screen: { w: 1920, h: 1080 },
          deviceType: 'desktop',
          referrer: '',
          utm: {},
          experiments: {},
          sdk: { name: 'frictionlog', version: 'test' },
        },
        ...fields,
      })
      const batch = {
        v: 1,
        site: 'route-handler',
        sentAt: Date.now(),
        events: [
          event('route-1', 'track', { name: 'cta_click', props: { position: 'hero' } }),
          event('route-2', 'scroll', { depthPct: 50, pageHeight: 3000 }),
          { id: 'route-bad', type: 'scroll' }, // rejected alone
        ],
      }
      const response = await fetch(served.url, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify(batch),
      })
      expect(response.status).toBe(200)
      expect(await response.json()).toMatchObject({ accepted: 2, duplicates: 0, rejected: [{ index: 2 }] })
      expect((await fetch(served.url, { method: 'GET' })).status).toBe(405)

      const stored = await readAll(store)
      expect(stored.map((entry) => [entry.id, entry.type])).toEqual([
        ['route-1', 'track'],
        ['route-2', 'scroll'],
      ])
    } finally {
      await served.close()
      rmSync(store, { recursive: true, force: true })
    }
  })
})
