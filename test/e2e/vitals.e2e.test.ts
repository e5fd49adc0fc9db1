import { describe, expect, test } from 'vitest'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { hidePage, MODES } from './support/page'
import { newRun, postsOf, useSuite } from './support/suite'

// Issue "Performance, forms, attention and funnels": webVitals() in real Chromium, every vital
// with its attribution, delivered to the real collector by the exit flush, script tag and ESM.
const suite = useSuite()

const vitalsOf = (events: FrictionEvent[], run: string) =>
  events.filter((event): event is EventOf<'vital'> => event.type === 'vital' && event.url.includes(run))

declare global {
  interface Window {
    heroPainted: Promise<void>
    shifted: Promise<void>
  }
}

for (const mode of MODES) {
  describe(`web vitals (${mode})`, () => {
    test('reports LCP, CLS, INP, FCP and TTFB with attribution, the hidden-time ones in the exit flush', async () => {
      const run = newRun('vitals-' + mode)
      const page = await suite.open(mode, run, {}, 'vitals')
      await page.evaluate(() => window.shifted)
      await page.waitForTimeout(600) // no input within 500 ms of the shift: it counts for CLS
      await page.click('#slow')
      await page.waitForTimeout(500)
      // Batches go out only at exit (intervalMs of an hour): nothing sent so far.
      expect(postsOf(suite.collector, run)).toHaveLength(0)
      await page.evaluate((run) => window.fl.track('before_hide', { run }), run)
      await hidePage(page)
      const stored = await suite.collector
        .waitForEvents((events) => vitalsOf(events, run).length >= 5, 10_000)
        .catch(async (error) => {
          const events = (await suite.collector.readEvents()).filter((event) => event.url.includes(run))
          throw new Error(
            error.message +
              ': ' +
              JSON.stringify(
                events.map((event) =>
                  event.type === 'vital' ? [event.name, event.value, event.attribution] : event.type,
                ),
              ),
          )
        })
      const vitals = vitalsOf(stored, run)
      const byName = Object.fromEntries(vitals.map((vital) => [vital.name, vital]))
      expect(Object.keys(byName).sort()).toEqual(['CLS', 'FCP', 'INP', 'LCP', 'TTFB'])
      // Each metric once: no report lost, none doubled by a second registration.
      expect(vitals).toHaveLength(5)
      for (const vital of vitals) {
        expect(vital).toMatchObject({
          value: expect.any(Number),
          delta: expect.any(Number),
          rating: expect.any(String),
          navigationType: 'navigate',
        })
      }
      expect(byName.LCP.attribution).toEqual({
        target: '#hero',
        timeToFirstByte: expect.any(Number),
        resourceLoadDelay: expect.any(Number),
        resourceLoadDuration: expect.any(Number),
        elementRenderDelay: expect.any(Number),
      })
      expect(byName.LCP.value).toBeGreaterThan(0)
      expect(byName.CLS.value).toBeGreaterThan(0)
      expect(byName.CLS.attribution).toEqual({
        target: expect.any(String),
        largestShiftValue: expect.any(Number),
        largestShiftTime: expect.any(Number),
      })
      expect(byName.CLS.attribution.target).not.toBe('')
      expect(byName.CLS.attribution.largestShiftValue).toBeGreaterThan(0)
      expect(byName.INP.attribution).toEqual({
        target: '#slow',
        inputDelay: expect.any(Number),
        processingDuration: expect.any(Number),
        presentationDelay: expect.any(Number),
      })
      expect(byName.INP.attribution.processingDuration).toBeGreaterThanOrEqual(250)
      expect(byName.INP.value).toBeGreaterThanOrEqual(300)
      expect(byName.FCP.attribution).toEqual({
        timeToFirstByte: expect.any(Number),
        firstByteToFCP: expect.any(Number),
      })
      expect(byName.TTFB.attribution).toEqual({
        waitingDuration: expect.any(Number),
        dnsDuration: expect.any(Number),
        connectionDuration: expect.any(Number),
        requestDuration: expect.any(Number),
      })
      // INP and CLS are reported from web-vitals' capture-phase hidden listener; our flush runs
      // after it in the bubble phase: one request carried them with the page's other events.
      const posts = postsOf(suite.collector, run)
      expect(posts).toHaveLength(1)
      const exitEvents = stored.filter((event) => event.url.includes(run))
      expect(exitEvents.some((event) => event.type === 'track' && event.name === 'before_hide')).toBe(true)
      expect(posts[0].events).toBe(exitEvents.length)
    })
  })
}
