import { describe, expect, test } from 'vitest'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { hidePage, MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Performance, forms, attention and funnels": sections() in real Chromium against the
// real collector, script tag and ESM: attention per section, in the order the visitor saw them.
const suite = useSuite()

const sectionsOf = (events: FrictionEvent[], run: string) =>
  events.filter((event): event is EventOf<'section'> => event.type === 'section' && event.url.includes(run))

for (const mode of MODES) {
  describe(`sections (${mode})`, () => {
    test('three sections scrolled through in order: three section events, order 1, 2, 3', async () => {
      const run = newRun('sections-' + mode)
      const page = await suite.open(mode, run, {}, 'sections')
      // The hero is on screen at load; then each section in turn, past the 1 s minimum.
      await page.waitForTimeout(1300)
      for (const selector of ['#features', '[data-fl-section=pricing]']) {
        await page.evaluate((selector) => document.querySelector(selector)!.scrollIntoView(), selector)
        await page.waitForTimeout(1300)
      }
      await hidePage(page)
      await suite.collector.waitForEvents((events) => sectionsOf(events, run).length >= 3, 10_000)
      await new Promise((done) => setTimeout(done, 300))
      const sections = sectionsOf(await suite.collector.readEvents(), run)
      expect(sections.map((event) => [event.section, event.order])).toEqual([
        ['hero', 1],
        ['features', 2],
        ['pricing', 3],
      ])
      for (const event of sections) {
        expect(event.visibleMs).toBeGreaterThanOrEqual(1000)
        expect(event.visibleMs).toBeLessThan(5000)
      }
    })
  })
}
