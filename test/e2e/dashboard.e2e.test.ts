import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { launchBrowser, type Browser } from './support/browser'
import { SCREENSHOTS_DIR, startDashboardServer, watchForInjection, type DashboardServer } from './support/dashboard'
import { closePage, openPage } from './support/page'
import { startStaticServer, type StaticServer } from './support/server'
import { makeEvent } from '../unit/support/events'

// The dashboard `frictionlog collect` serves at `/`, in real Chromium: every page with the
// data of a simulated run, the heatmap of a real rage click, the player on a real recording,
// and the live update. Screenshots of every page go to artifacts/screenshots/.
let browser: Browser
let pages: StaticServer
let server: DashboardServer
/** The #broken button of friction-clicks.html in page coordinates, as the heatmap draws it. */
let brokenBox: { x: number; y: number; width: number; height: number }
let recordedSession = ''

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

beforeAll(async () => {
  mkdirSync(SCREENSHOTS_DIR, { recursive: true })
  server = await startDashboardServer({ seedEvents: 4000 })
  pages = await startStaticServer()
  browser = await launchBrowser()

  // A real rage click, with heatmap clicks, on the checkout page of the e2e suite.
  const clicksPage = await openPage(browser, pages.origin, 'esm', 'friction-clicks', {
    endpoint: server.endpoint,
    site: 'dash-heat',
    heatmap: 1,
  })
  brokenBox = (await clicksPage.evaluate(() => {
    const box = document.getElementById('broken')!.getBoundingClientRect()
    return { x: box.x + scrollX, y: box.y + scrollY, width: box.width, height: box.height }
  }))!
  const center = { x: brokenBox.x + brokenBox.width / 2, y: brokenBox.y + brokenBox.height / 2 }
  for (let i = 0; i < 5; i++) await clicksPage.mouse.click(center.x + i, center.y, { delay: 10 })
  await clicksPage.click('#open')
  await sleep(300)
  await closePage(clicksPage)
  await server.waitForEvents((events) =>
    events.some((event) => event.type === 'rage_click' && event.selector?.includes('broken')),
  )

  // A real recording: the replay page (script tag, default plugins + replay), with a rage click.
  const replayPage = await openPage(browser, pages.origin, 'iife', 'replay', {
    endpoint: server.endpoint,
    site: 'dash-replay',
  })
  await replayPage.evaluate(() => (window as any).fl.consent('granted', { replay: true }))
  await replayPage.waitForFunction(() => typeof (window as any).frictionlogReplay === 'function', undefined, {
    timeout: 10_000,
  })
  await server.waitForEvents((events) =>
    events.some((event) => event.type === 'replay' && event.url.includes('dash-replay')),
  )
  await replayPage.click('#email')
  await replayPage.keyboard.type('someone', { delay: 30 })
  for (let i = 0; i < 5; i++) await replayPage.click('#pay-now', { delay: 5 })
  await replayPage.mouse.move(300, 200, { steps: 10 })
  await sleep(800)
  await closePage(replayPage)
  const events = await server.waitForEvents(
    (stored) =>
      stored.filter((event) => event.type === 'replay' && event.url.includes('dash-replay')).length >= 2 &&
      stored.some((event) => event.type === 'rage_click' && event.url.includes('dash-replay')),
  )
  recordedSession = events.find((event) => event.type === 'replay' && event.url.includes('dash-replay'))!.sessionId
})

afterAll(async () => {
  await browser?.close()
  await pages?.close()
  await server?.close()
})

const open = async (hash: string): Promise<{ page: Page; check: () => Promise<void> }> => {
  const page = await browser.newPage()
  await page.setViewportSize({ width: 1400, height: 900 })
  const watch = await watchForInjection(page)
  await page.goto(`${server.url}/${hash}`)
  return {
    page,
    async check() {
      expect(watch.errors, 'page errors').toEqual([])
      expect(await watch.violations(), 'CSP violations').toEqual([])
    },
  }
}

/** Page name → an element that only shows once the page is rendered with data. */
const PAGES: Record<string, string> = {
  overview: '.stats .stat-value',
  funnels: 'svg.funnel rect',
  experiments: '.verdict',
  friction: 'table tbody tr',
  forms: '.bars .bar-row',
  attention: '.bars .bar-row',
  vitals: '.stats .stat',
  errors: 'table tbody tr',
  replays: 'a.session-link',
}

describe('dashboard', () => {
  for (const [name, selector] of Object.entries(PAGES)) {
    test(`the ${name} page renders the store's data`, async () => {
      const { page, check } = await open(`#/${name}`)
      await page.waitForSelector(`main[data-page="${name}"] ${selector}`, { timeout: 15_000 })
      expect(await page.locator('main p.error').count()).toBe(0)
      expect(Number(await page.getAttribute('.live', 'data-events'))).toBeGreaterThan(4000)
      await page.screenshot({ path: join(SCREENSHOTS_DIR, `${name}.png`), fullPage: true })
      await check()
      await page.close()
    })
  }

  test('the heatmap draws the rage-clicked button hot, over the page itself', async () => {
    const { page, check } = await open(`#/heatmaps?path=${encodeURIComponent('/friction-clicks.html')}&bp=desktop`)
    await page.waitForSelector('main[data-page="heatmaps"] canvas.heat')
    // The page answers, so it is shown in a frame without scripts.
    const frame = page.locator('iframe.backdrop')
    await expect.poll(() => frame.count()).toBe(1)
    expect(await frame.getAttribute('sandbox')).toBe('')
    expect(await frame.getAttribute('src')).toContain('/friction-clicks.html')
    await page.waitForFunction(() => {
      const canvas = document.querySelector('canvas.heat') as HTMLCanvasElement
      const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data
      for (let i = 3; i < data.length; i += 4) if (data[i] > 0) return true
      return false
    })
    const sample = await page.evaluate((box) => {
      const canvas = document.querySelector('canvas.heat') as HTMLCanvasElement
      const context = canvas.getContext('2d')!
      const at = (x: number, y: number) => Array.from(context.getImageData(Math.round(x), Math.round(y), 1, 1).data)
      return {
        width: canvas.width,
        center: at(box.x + box.width / 2, box.y + box.height / 2),
        // Far from every click of the run: the bottom right of the first screen.
        far: at(box.x + 700, box.y + 500),
      }
    }, brokenBox)
    expect(sample.width).toBe(1200) // the viewport the clicks were made at
    const [red, green, blue, alpha] = sample.center
    expect(alpha).toBeGreaterThan(200)
    expect(red).toBeGreaterThan(200) // the top of the ramp: the hottest spot of the page
    expect(blue).toBeLessThan(60)
    expect(green).toBeLessThan(140)
    expect(sample.far[3]).toBe(0)
    expect(await page.locator('.layer.rage').textContent()).toMatch(/rage \([1-9]/)
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'heatmaps.png'), fullPage: true })

    // Live: a click arriving for this page shows without a reload; the frame is kept otherwise.
    const clicksBefore = Number(/\((\d+)\)/.exec((await page.locator('.layer.click').textContent())!)![1])
    const pageUrl = (await server.readEvents()).find(
      (event) => event.type === 'click' && event.url.includes('dash-heat'),
    )!.url
    const click = makeEvent({
      type: 'click',
      url: pageUrl,
      selector: '#para',
      x: 600,
      y: 500,
      relX: 0.5,
      relY: 0.5,
      viewportW: 1200,
      ts: Date.now(),
      depthPct: undefined,
      pageHeight: undefined,
    })
    expect((await server.post([click])).accepted).toBe(1)
    await page.waitForFunction(
      (count) => document.querySelector('.layer.click')!.textContent!.includes(`(${count})`),
      clicksBefore + 1,
      { timeout: 5000 },
    )
    await check()
    await page.close()
  })

  test('the player plays a recorded session to its end, with its rage click on the timeline', async () => {
    const { page, check } = await open('#/replays')
    await page.click(`a.session-link[href*="${recordedSession}"]`)
    await page.waitForSelector('.player[data-state="paused"]', { timeout: 15_000 }).catch(async (error) => {
      await check()
      throw new Error(`${error.message}\n${await page.locator('main').innerText()}`)
    })
    // The recorded page is rebuilt in rrweb's frame, sandboxed without scripts.
    const iframe = page.locator('.replay-screen iframe')
    expect(await iframe.getAttribute('sandbox')).toBe('allow-same-origin')
    expect(
      await page.evaluate(
        () =>
          (document.querySelector('.replay-screen iframe') as HTMLIFrameElement).contentDocument!.querySelectorAll(
            'input, button',
          ).length,
      ),
    ).toBeGreaterThan(0)
    expect(await page.locator('.timeline .marker.rage_click').count()).toBeGreaterThan(0)
    await page.screenshot({ path: join(SCREENSHOTS_DIR, 'replay.png'), fullPage: true })
    await page.selectOption('.controls select', '16')
    await page.click('.controls button.play')
    await page.waitForSelector('.player[data-state="playing"]')
    await page.waitForSelector('.player[data-state="finished"]', { timeout: 30_000 })
    expect(await page.evaluate(() => (document.querySelector('.timeline-progress') as HTMLElement).style.width)).toBe(
      '100%',
    )
    await check()
    await page.close()
  })

  test('a new event shows in the open dashboard within 2 s', async () => {
    const { page, check } = await open('#/overview')
    await page.waitForSelector('.live[data-events]')
    await sleep(1200) // a poll or two with nothing new
    const before = Number(await page.getAttribute('.live', 'data-events'))
    const answer = await server.post([
      makeEvent({
        type: 'track',
        name: 'live_probe',
        props: {},
        ts: Date.now(),
        depthPct: undefined,
        pageHeight: undefined,
      }),
    ])
    expect(answer.accepted).toBe(1)
    const postedAt = Date.now()
    await page.waitForFunction(
      (count) => Number(document.querySelector('.live')!.getAttribute('data-events')) > count,
      before,
      { timeout: 2000 },
    )
    expect(Date.now() - postedAt).toBeLessThan(2000)
    expect(await page.locator('.bar-label', { hasText: 'track' }).count()).toBe(1)
    await check()
    await page.close()
  })
})
