import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './support/browser'
import { closePage, MODES, pageUrl, type Mode } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Performance, forms, attention and funnels": a page restored from the back-forward
// cache is a new page view (`navigation: 'bfcache'`) and its vitals are measured afresh
// (`navigationType: 'back-forward-cache'`), script tag and ESM, real Chromium, real collector.
//
// Playwright launches Chromium with --disable-back-forward-cache (so that page.goBack always
// makes a request it can intercept): with the suite's browser, Back always loads a fresh
// document. This file therefore also starts a second Chromium, same binary and switches, with
// only that default removed, where Back really restores the page from the cache.
const suite = useSuite()

declare global {
  interface Window {
    pageshows: Array<{ persisted: boolean; at: number }>
    navigationInfo(): { type: string; notRestoredReasons: unknown }
  }
}

let cached: { context: BrowserContext; profile: string }
beforeAll(async () => {
  const profile = mkdtempSync(join(tmpdir(), 'fl-e2e-bfcache-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    ignoreDefaultArgs: ['--disable-back-forward-cache'],
    viewport: { width: 1200, height: 800 },
  })
  cached = { context, profile }
})
afterAll(async () => {
  await cached?.context.close().catch(() => {})
  if (cached) rmSync(cached.profile, { recursive: true, force: true })
})

const ofRun = (events: FrictionEvent[], run: string) => events.filter((event) => event.url.includes(run))
const byTs = <T extends FrictionEvent>(events: T[]) => [...events].sort((a, b) => a.ts - b.ts)

/**
 * Loads the pricing page, follows its link to another same-origin page (a real navigation, no
 * tracker there), goes Back, and returns what the page itself observed about that Back.
 */
const visitLeaveAndGoBack = async (context: BrowserContext, mode: Mode, run: string) => {
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(pageUrl(suite.server.origin, mode, 'bfcache', { endpoint: suite.collector.endpoint, site: run }))
  await page.evaluate(() => window.flReady)
  await page.waitForTimeout(300)
  await page.click('#next')
  await page.waitForURL(/away=1/)
  await page.waitForTimeout(300)
  // A restore from the cache fires no load event: wait for the commit, then for the page.
  await page.goBack({ waitUntil: 'commit' })
  await page.waitForFunction(() => Array.isArray(window.pageshows) && window.pageshows.length > 0 && !!window.fl)
  await page.evaluate(() => window.flReady)
  // web-vitals reports a restored page's FCP and LCP after the next two frames.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))))
  await page.waitForTimeout(300)
  const observed = await page.evaluate(() => ({
    url: location.href,
    pageshows: window.pageshows,
    ...window.navigationInfo(),
  }))
  expect(observed.url).toContain(run)
  return { page, errors, observed, restored: observed.pageshows.some((show) => show.persisted) }
}

/** Closes the tab (its exit flush) and reads the run's page and vital events once they are in. */
const collect = async (page: Page, run: string) => {
  await closePage(page)
  await suite.collector
    .waitForEvents((events) => ofRun(events, run).filter((event) => event.type === 'page_leave').length >= 2, 10_000)
    .catch(async (error: Error) => {
      const events = ofRun(await suite.collector.readEvents(), run)
      const seen = events.map((event: any) => [
        event.type,
        event.navigation ?? event.name ?? '',
        event.navigationType ?? '',
      ])
      throw new Error(`${error.message}: ${JSON.stringify(seen)}`)
    })
  await new Promise((done) => setTimeout(done, 300))
  const events = ofRun(await suite.collector.readEvents(), run)
  const pages = byTs(events.filter((event): event is EventOf<'page'> => event.type === 'page'))
  const vitals = events.filter((event): event is EventOf<'vital'> => event.type === 'vital')
  const leaves = byTs(events.filter((event): event is EventOf<'page_leave'> => event.type === 'page_leave'))
  return { events, pages, vitals, leaves }
}

const vitalsOfView = (vitals: EventOf<'vital'>[], pageId: string) =>
  Object.fromEntries(
    vitals.filter((vital) => vital.pageId === pageId).map((vital) => [vital.name, vital.navigationType]),
  )

for (const mode of MODES) {
  describe(`back-forward cache (${mode})`, () => {
    test('Back restores the page from the cache: a bfcache view, vitals as back-forward-cache', async () => {
      const run = newRun('bfcache-' + mode)
      const { page, errors, observed, restored } = await visitLeaveAndGoBack(cached.context, mode, run)
      // The page saw it: the same document, shown again with pageshow.persisted.
      expect(restored, `not restored from the cache: ${JSON.stringify(observed)}`).toBe(true)
      expect(observed.pageshows.map((show) => show.persisted)).toEqual([false, true])
      expect(observed.type).toBe('navigate')
      const { events, pages, vitals, leaves } = await collect(page, run)
      expect(errors).toEqual([])

      expect(pages.map((view) => view.navigation)).toEqual(['load', 'bfcache'])
      const [first, back] = pages
      expect(back.pageId).not.toBe(first.pageId)
      expect(back.path).toBe(first.path)
      expect(new Set(events.map((event) => event.sessionId)).size).toBe(1)
      // Each view ended once: at the pagehide that put the page in the cache, and at the close.
      expect(leaves.map((leave) => leave.pageId)).toEqual([first.pageId, back.pageId])

      // Before the restore, vitals of the navigation; after it, fresh ones for the restored view.
      const before = vitalsOfView(vitals, first.pageId)
      const after = vitalsOfView(vitals, back.pageId)
      expect(Object.keys(before)).toEqual(expect.arrayContaining(['TTFB', 'FCP', 'LCP', 'CLS']))
      expect(new Set(Object.values(before))).toEqual(new Set(['navigate']))
      expect(Object.keys(after)).toEqual(expect.arrayContaining(['TTFB', 'FCP', 'LCP']))
      expect(new Set(Object.values(after))).toEqual(new Set(['back-forward-cache']))
      // Every vital belongs to one of the two views, each metric at most once per view.
      expect(vitals.length).toBe(Object.keys(before).length + Object.keys(after).length)
      const restoredAt = observed.pageshows[1].at
      for (const vital of vitals.filter((vital) => vital.pageId === back.pageId))
        expect(vital.ts).toBeGreaterThanOrEqual(restoredAt)
    })

    test("Back with the cache disabled (Playwright's default): a back_forward view of a new document", async () => {
      const run = newRun('history-' + mode)
      const { page, errors, observed, restored } = await visitLeaveAndGoBack(suite.browser.context, mode, run)
      const { events, pages, vitals } = await collect(page, run)
      expect(errors).toEqual([])
      // What the tracker reported must match what the page observed, whichever it was.
      expect(pages.map((view) => view.navigation)).toEqual(restored ? ['load', 'bfcache'] : ['load', 'back_forward'])
      expect(observed.pageshows.map((show) => show.persisted)).toEqual(restored ? [false, true] : [false])
      expect(observed.type).toBe(restored ? 'navigate' : 'back_forward')
      const [first, back] = pages
      expect(new Set(events.map((event) => event.sessionId)).size).toBe(1)
      expect(new Set(Object.values(vitalsOfView(vitals, first.pageId)))).toEqual(new Set(['navigate']))
      const after = vitalsOfView(vitals, back.pageId)
      expect(Object.keys(after)).toEqual(expect.arrayContaining(['TTFB', 'FCP', 'LCP']))
      expect(new Set(Object.values(after))).toEqual(new Set([restored ? 'back-forward-cache' : 'back-forward']))
    })
  })
}
