import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { hidePage, MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Friction signals": scrollDepth() and errors() in real Chromium, delivered to the real
// collector (every stored event validated by the schema), with the SDK as a script tag and ESM.
const suite = useSuite()
const PAGE = 'friction-scroll-errors'

const scrollsOf = (events: FrictionEvent[], run: string) =>
  events.filter((event): event is EventOf<'scroll'> => event.type === 'scroll' && event.url.includes(run))
const errorsOf = (events: FrictionEvent[], run: string) =>
  events.filter((event): event is EventOf<'error'> => event.type === 'error' && event.url.includes(run))

const flush = (page: Page) => page.evaluate(() => window.fl.flush())

for (const mode of MODES) {
  describe(`scroll depth and errors (${mode})`, () => {
    test('reports every scroll milestone once, in order, when a long page is scrolled to the bottom', async () => {
      const run = newRun('scroll-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.mouse.move(600, 400)
      // Wheel steps until the bottom, then back up and down again: nothing may repeat.
      for (let i = 0; i < 40; i++) {
        await page.mouse.wheel(0, 300)
        await page.waitForTimeout(30)
      }
      await page.waitForFunction(() => scrollY + innerHeight >= document.documentElement.scrollHeight - 1)
      await page.mouse.wheel(0, -3000)
      await page.mouse.wheel(0, 3000)
      await page.waitForTimeout(100)
      await flush(page)
      await suite.collector.waitForEvents((stored) => scrollsOf(stored, run).length >= 5)
      await new Promise((done) => setTimeout(done, 300))
      const scrolls = scrollsOf(await suite.collector.readEvents(), run)
      expect(scrolls.map((event) => event.depthPct)).toEqual([25, 50, 75, 90, 100])
      expect(scrolls.every((event) => event.pageHeight >= 6000)).toBe(true)
    })

    test('reports a thrown error with frames and afterClick, a rejection and a missing image', async () => {
      const run = newRun('errors-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.click('#checkout')
      await page.click('#pay')
      await page.evaluate(() => {
        const img = document.createElement('img')
        document.body.append(img)
        img.src = '/missing.png'
      })
      await page.waitForTimeout(300)
      await flush(page)
      await suite.collector.waitForEvents((stored) => errorsOf(stored, run).length >= 3)
      const stored = errorsOf(await suite.collector.readEvents(), run)
      const thrown = stored.find((event) => event.source === 'onerror')
      expect(thrown).toMatchObject({
        errorType: 'TypeError',
        message: expect.stringContaining('total'),
        afterClick: '#checkout',
        count: 1,
        fingerprint: expect.any(String),
      })
      expect(thrown!.stack[0]).toMatchObject({
        fn: expect.stringContaining('checkout'),
        file: expect.stringContaining(`${PAGE}.html`),
        line: expect.any(Number),
        col: expect.any(Number),
      })
      // The page URL carries the collector endpoint and site in its query; nothing secret leaks.
      expect(thrown!.stack[0].file).not.toMatch(/token|password/)
      expect(stored.find((event) => event.source === 'unhandledrejection')).toMatchObject({
        errorType: 'Error',
        message: 'payment declined',
        afterClick: '#pay',
        count: 1,
      })
      expect(stored.find((event) => event.source === 'resource')).toMatchObject({
        errorType: 'img',
        message: expect.stringMatching(/^img failed: http:\/\/127\.0\.0\.1:\d+\/missing\.png$/),
        stack: [],
        count: 1,
      })
    })

    test("folds a loop of 1,000 identical throws into at most the bucket's events, counts sum to 1,000", async () => {
      const run = newRun('storm-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await page.click('#render')
      await page.waitForTimeout(200) // the 1,000 timers have fired
      // Hidden: the folded repeats are sent at once rather than after the 10 s refill.
      await hidePage(page)
      const matches = (events: FrictionEvent[]) =>
        errorsOf(events, run).filter((event) => event.message === 'row index out of range')
      await suite.collector.waitForEvents(
        (stored) => matches(stored).reduce((sum, event) => sum + event.count, 0) >= 1000,
      )
      await new Promise((done) => setTimeout(done, 300))
      const storm = matches(await suite.collector.readEvents())
      expect(storm.reduce((sum, event) => sum + event.count, 0)).toBe(1000)
      // The burst of 10, then one event carrying every folded repeat.
      expect(storm.length).toBeLessThanOrEqual(11)
      expect(new Set(storm.map((event) => event.fingerprint)).size).toBe(1)
      expect(storm[0]).toMatchObject({ source: 'onerror', errorType: 'RangeError', afterClick: '#render' })
      expect(storm[0].stack[0].fn).toContain('renderRow')
    })
  })
}
