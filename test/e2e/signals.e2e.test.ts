import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { EventOf, EventType, FrictionEvent } from '../../dist/schema/index.js'
import { MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue #11 "Signals still missing" and #16 item 4 in real Chromium against the real collector
// (every stored event validated by the schema), with the SDK as a script tag and as ESM:
// quick back, excessive scrolling, field hesitation, downloads that are not dead clicks, and
// hash links that keep the page view.
const suite = useSuite()
const PAGE = 'signals'
// The dead-click delay (2500 ms) and a margin.
const AFTER_DEAD_MS = 3000

const ofType = <T extends EventType>(events: FrictionEvent[], type: T, run: string) =>
  events.filter((event): event is EventOf<T> => event.type === type && event.url.includes(run))

/** Sends a marker and returns this run's stored events once it arrived. */
const settle = async (page: Page, run: string) => {
  await page.evaluate((run) => {
    window.fl.track('settled', { run })
    return window.fl.flush()
  }, run)
  return suite.collector.waitForEvents((events) =>
    events.some((event) => event.type === 'track' && event.name === 'settled' && event.props.run === run),
  )
}

for (const mode of MODES) {
  describe(`hesitation signals (${mode})`, () => {
    test('an in-page #signup link keeps the page view: no page_leave, no second page, no milestone twice', async () => {
      const run = newRun('hash-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.click('#to-signup')
      await page.waitForFunction(() => location.hash === '#signup' && scrollY > 1000)
      await page.evaluate(() => scrollTo(0, 0))
      await page.click('#to-signup')
      await page.waitForTimeout(300)
      const events = await settle(page, run)
      const pages = ofType(events, 'page', run)
      expect(pages).toHaveLength(1)
      expect(ofType(events, 'page_leave', run)).toEqual([])
      // The contract fix: the pathname only; the query (mode, endpoint, site) stays in `url`.
      expect(pages[0]).toMatchObject({ path: '/signals.html', navigation: 'load' })
      expect(pages[0].url).toContain('?mode=' + mode)
      const depths = ofType(events, 'scroll', run).map((event) => event.depthPct)
      expect(depths.length).toBeGreaterThan(0)
      expect(new Set(depths).size).toBe(depths.length)
      // The anchor moved the page: the click was not dead.
      await page.waitForTimeout(AFTER_DEAD_MS)
      expect(ofType(await settle(page, run), 'dead_click', run)).toEqual([])
    })

    test('with hashRouting a hash route is a page view, the route in page.path', async () => {
      const run = newRun('hashroute-' + mode)
      const page = await suite.open(mode, run, { hashRouting: 'true' }, PAGE)
      await page.click('#route-plans')
      await page.waitForFunction(() => location.hash === '#/plans')
      const events = await settle(page, run)
      expect(ofType(events, 'page', run).map((event) => [event.path, event.navigation])).toEqual([
        ['/signals.html', 'load'],
        ['/signals.html#/plans', 'spa'],
      ])
      expect(ofType(events, 'page_leave', run)).toHaveLength(1)
    })

    test('reports a quick back on the page returned to, with the page left, once', async () => {
      const run = newRun('quickback-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await Promise.all([page.waitForURL(/signals-next\.html/), page.click('#pricing')])
      await page.evaluate(() => window.flReady)
      await page.waitForTimeout(500)
      await page.goBack()
      await page.waitForURL(/signals\.html/)
      await page.evaluate(() => window.flReady)
      const events = await settle(page, run)
      const quickBacks = ofType(events, 'quick_back', run)
      expect(quickBacks).toEqual([
        expect.objectContaining({ leftPath: '/signals-next.html', durationMs: expect.any(Number) }),
      ])
      expect(quickBacks[0].durationMs).toBeGreaterThanOrEqual(400)
      expect(quickBacks[0].durationMs).toBeLessThan(10_000)
      // It belongs to the page view returned to.
      const pages = ofType(events, 'page', run)
      expect(pages.map((event) => event.path)).toEqual(['/signals.html', '/signals-next.html', '/signals.html'])
      expect(quickBacks[0].pageId).toBe(pages[2].pageId)
    })

    test('reports excessive scrolling once for scrolling back and forth, not for reading down', async () => {
      const run = newRun('scroll-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.mouse.move(600, 400)
      // Reading down to the form: one direction, no signal.
      for (let i = 0; i < 10; i++) {
        await page.mouse.wheel(0, 300)
        await page.waitForTimeout(40)
      }
      await page.waitForTimeout(200)
      expect(ofType(await settle(page, run), 'excessive_scroll', run)).toEqual([])
      // Five legs of 1,500 px, up and down: four reversals, then more that must not repeat it.
      for (let leg = 0; leg < 8; leg++) {
        for (let step = 0; step < 5; step++) {
          await page.mouse.wheel(0, leg % 2 === 0 ? -300 : 300)
          await page.waitForTimeout(30)
        }
        await page.waitForTimeout(100)
      }
      const events = await settle(page, run)
      const signals = ofType(events, 'excessive_scroll', run)
      expect(signals).toEqual([
        expect.objectContaining({ reversals: 4, windowMs: expect.any(Number), distancePx: expect.any(Number) }),
      ])
      expect(signals[0].distancePx).toBeGreaterThan(4 * 1000)
    })

    test('sends each field’s focus time, returns and corrections on form_submit, never what was typed', async () => {
      const run = newRun('hesitation-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.click('#email')
      await page.keyboard.type('jane@exampel.com', { delay: 20 })
      // A typo fixed: five Backspaces (one correction), then typing again.
      for (let i = 0; i < 5; i++) await page.keyboard.press('Backspace')
      await page.keyboard.type('le.com', { delay: 20 })
      await page.keyboard.press('Tab')
      await page.keyboard.type('Acme', { delay: 20 })
      await page.click('#email') // back to the email field
      await page.waitForTimeout(200)
      await page.click('#send')
      const events = await settle(page, run)
      const [submit] = ofType(events, 'form_submit', run)
      expect(submit).toMatchObject({ form: 'join', fields: ['email', 'company'] })
      expect(submit.hesitation).toEqual([
        { field: 'email', focusMs: expect.any(Number), returns: 1, corrections: 1 },
        { field: 'company', focusMs: expect.any(Number), returns: 0, corrections: 0 },
      ])
      expect(submit.hesitation![0].focusMs).toBeGreaterThan(200)
      expect(submit.hesitation![1].focusMs).toBeGreaterThan(0)
      expect(JSON.stringify(events.filter((event) => event.url.includes(run)))).not.toMatch(/jane|Acme/)
    })

    test('never counts a link to a PDF as a dead click; a button that does nothing still is one', async () => {
      const run = newRun('download-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      // One after the other: focus moving to the second control would be a reaction to the first.
      await page.click('#terms')
      await page.waitForTimeout(AFTER_DEAD_MS)
      await page.click('#broken')
      await page.waitForTimeout(AFTER_DEAD_MS)
      const events = await settle(page, run)
      // The page stayed (the file was downloaded, not shown), so no navigation explains the silence.
      expect(page.url()).toContain('/signals.html')
      expect(ofType(events, 'dead_click', run).map((event) => event.selector)).toEqual(['#broken'])
    })
  })
}
