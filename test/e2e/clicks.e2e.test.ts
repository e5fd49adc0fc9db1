import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { MODES } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Friction signals": clicks() in real Chromium with real mouse input, delivered to the
// real collector (every stored event validated by the schema), as a script tag and as ESM.
const suite = useSuite()
const PAGE = 'friction-clicks'
// The dead-click delay (2500 ms) and a margin.
const AFTER_DEAD_MS = 3200

type ClickType = 'rage_click' | 'dead_click' | 'click'
const ofType = <T extends ClickType>(events: FrictionEvent[], type: T, run: string) =>
  events.filter((event): event is EventOf<T> => event.type === type && event.url.includes(run))

/** Center of an element, in viewport coordinates. */
const centerOf = async (page: Page, selector: string) => {
  const box = (await page.locator(selector).boundingBox())!
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 }
}

/** `times` real mouse clicks on `selector`, `gapMs` apart. */
const clickTimes = async (page: Page, selector: string, times: number, gapMs: number) => {
  const { x, y } = await centerOf(page, selector)
  for (let i = 0; i < times; i++) {
    if (i) await page.waitForTimeout(gapMs)
    await page.mouse.click(x, y)
  }
}

/** Waits for the dead-click delay, sends a marker and returns this run's stored events once it arrived. */
const settle = async (page: Page, run: string) => {
  await page.waitForTimeout(AFTER_DEAD_MS)
  await page.evaluate((run) => {
    window.fl.track('settled', { run })
    return window.fl.flush()
  }, run)
  return suite.collector.waitForEvents((events) =>
    events.some((event) => event.type === 'track' && event.name === 'settled' && event.props.run === run),
  )
}

for (const mode of MODES) {
  describe(`clicks (${mode})`, () => {
    test('reports 5 clicks in 600 ms on a broken button as exactly one rage_click (and one dead_click)', async () => {
      const run = newRun('rage-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await clickTimes(page, '#broken', 5, 150)
      const events = await settle(page, run)
      const rage = ofType(events, 'rage_click', run)
      expect(rage).toEqual([expect.objectContaining({ selector: '#broken', text: 'Apply coupon', clicks: 4 })])
      expect(rage[0].windowMs).toBeGreaterThanOrEqual(300)
      expect(rage[0].windowMs).toBeLessThanOrEqual(1000)
      expect(ofType(events, 'dead_click', run)).toHaveLength(1)
    })

    test('never reports double or triple clicks on a paragraph, nor a stepper clicked 6 times humanly', async () => {
      const run = newRun('no-rage-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      const para = await centerOf(page, '#para')
      await page.mouse.dblclick(para.x, para.y)
      await page.waitForTimeout(150)
      await page.mouse.click(para.x, para.y, { clickCount: 3 })
      expect(await page.evaluate(() => getSelection()!.toString().length)).toBeGreaterThan(10)
      await page.waitForTimeout(150)
      await page.mouse.click(para.x + 20, para.y, { clickCount: 3 })
      await clickTimes(page, '#plus', 6, 300)
      expect(await page.locator('#qty').inputValue()).toBe('7')
      const events = await settle(page, run)
      expect(ofType(events, 'rage_click', run)).toEqual([])
      expect(ofType(events, 'dead_click', run)).toEqual([])
    })

    test('reports a button that does nothing as one dead_click, not a modal opener nor an anchor link', async () => {
      const run = newRun('dead-' + mode)
      const page = await suite.open(mode, run, {}, PAGE)
      await clickTimes(page, '#open', 1, 0)
      await expect.poll(() => page.locator('#modal').isVisible()).toBe(true)
      await clickTimes(page, '#close', 1, 0)
      await clickTimes(page, '#anchor', 1, 0)
      await expect.poll(() => page.evaluate(() => location.hash)).toBe('#details')
      await page.evaluate(() => scrollTo(0, 0))
      await page.waitForTimeout(100)
      await clickTimes(page, '#broken', 1, 0)
      const events = await settle(page, run)
      expect(ofType(events, 'dead_click', run)).toEqual([
        expect.objectContaining({
          selector: '#broken',
          text: 'Apply coupon',
          x: expect.any(Number),
          y: expect.any(Number),
        }),
      ])
      expect(ofType(events, 'rage_click', run)).toEqual([])
    })
  })
}

describe('clicks heatmap (esm: the script tag starts clicks() without it)', () => {
  test('sends a click event per click with page coordinates and the position within the element', async () => {
    const run = newRun('heatmap')
    const page = await suite.open('esm', run, { heatmap: 1 }, PAGE)
    const box = (await page.locator('#broken').boundingBox())!
    await page.mouse.click(box.x + box.width / 4, box.y + box.height / 2)
    await page.mouse.click(10, 10)
    const events = await settle(page, run)
    const clicks = ofType(events, 'click', run)
    expect(clicks).toHaveLength(2)
    const viewportW = await page.evaluate(() => innerWidth)
    expect(clicks[0]).toMatchObject({ selector: '#broken', viewportW })
    expect(clicks[0].relX).toBeGreaterThan(0.15)
    expect(clicks[0].relX).toBeLessThan(0.35)
    expect(clicks[0].relY).toBeGreaterThan(0.3)
    expect(clicks[0].relY).toBeLessThan(0.7)
    expect(clicks[0].x).toBe(Math.round(box.x + box.width / 4))
    for (const click of clicks) {
      expect(click.x).toBeGreaterThanOrEqual(0)
      expect(click.x).toBeLessThanOrEqual(viewportW)
      expect(click.y).toBeGreaterThanOrEqual(0)
    }
  })
})
