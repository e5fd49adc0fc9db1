import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { EventOf, FrictionEvent } from '../../dist/schema/index.js'
import { closePage, MODES, pageUrl, type Mode } from './support/page'
import { newRun, useSuite } from './support/suite'

// Issue "Performance, forms, attention and funnels": funnels and experiments in real Chromium
// against the real collector, script tag and ESM. The funnel's progress lives in the session
// (localStorage), so a checkout spread over real page loads must still count each step once,
// with its index in the funnel and the time since the previous step.
const suite = useSuite()

declare global {
  interface Window {
    frictionlog: any
    stepDone: string | null
    STEPS: string[]
  }
}

const WAIT_MS = 300
const ofRun = (events: FrictionEvent[], run: string) => events.filter((event) => event.url.includes(run))
const stepsOf = (events: FrictionEvent[], run: string) =>
  ofRun(events, run).filter((event): event is EventOf<'funnel_step'> => event.type === 'funnel_step')
const pagesOf = (events: FrictionEvent[], run: string) =>
  ofRun(events, run).filter((event): event is EventOf<'page'> => event.type === 'page')
const byTs = <T extends FrictionEvent>(events: T[]) => [...events].sort((a, b) => a.ts - b.ts)

/**
 * A new session: the test browser's profile (and its localStorage) is shared by every test of
 * the file, so the previous test's session, funnel progress and experiments are cleared first
 * from a page of the same origin that starts no tracker.
 */
const freshSession = async () => {
  const page = await suite.browser.newPage()
  await page.goto(`${suite.server.origin}/checkout.html`)
  await page.evaluate(() => localStorage.clear())
  await page.close()
}

/** A tab that collects page errors; `go` navigates it (a real navigation) to the checkout page. */
const checkoutTab = async (mode: Mode, run: string) => {
  const page = await suite.browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  const go = async (query: Record<string, string> = {}) => {
    await page.goto(
      pageUrl(suite.server.origin, mode, 'checkout', { endpoint: suite.collector.endpoint, site: run, ...query }),
    )
    await ready(page, query.step)
  }
  return { page, errors, go }
}

/** Waits for the tracker, and for the page's own step call when it has one. */
const ready = async (page: Page, step?: string) => {
  await page.evaluate(() => window.flReady)
  if (step) await page.waitForFunction((step) => window.stepDone === step, step)
}

const waitFor = (what: string, run: string, predicate: (events: FrictionEvent[]) => boolean) =>
  suite.collector.waitForEvents(predicate, 10_000).catch(async (error: Error) => {
    const events = ofRun(await suite.collector.readEvents(), run)
    const seen = events.map((event: any) => [event.type, event.step ?? event.name ?? event.navigation ?? ''])
    throw new Error(`${what}: ${error.message}: ${JSON.stringify(seen)}`)
  })

for (const mode of MODES) {
  describe(`funnels (${mode})`, () => {
    test('a checkout over four page loads: steps 0–3 once each, times since the previous, one session', async () => {
      const run = newRun('funnel-' + mode)
      await freshSession()
      const { page, errors, go } = await checkoutTab(mode, run)
      await go({ step: 'cart' })
      await page.waitForTimeout(WAIT_MS)
      await go({ step: 'shipping' })
      await page.waitForTimeout(WAIT_MS)
      // The visitor reloads the shipping page: the page records 'shipping' again, and so does
      // a second explicit call; neither is a new step.
      await page.reload()
      await ready(page, 'shipping')
      await page.evaluate(
        (mode) =>
          (mode === 'iife' ? window.frictionlog : (window.fl as any)).funnel('checkout', window.STEPS).step('shipping'),
        mode,
      )
      await page.waitForTimeout(WAIT_MS)
      await go({ step: 'payment' })
      await page.waitForTimeout(WAIT_MS)
      if (mode === 'iife') {
        // The script tag binds data-fl-funnel="checkout:done": the click records the step, and the
        // link's navigation to the thank-you page sends it in the exit flush.
        await page.click('#place-order')
      } else {
        // The ESM build has no declarative bindings: the site calls the API, then the visitor leaves.
        await page.evaluate(() => (window.fl as any).funnel('checkout', window.STEPS).step('done', { from: 'api' }))
        await page.click('#place-order')
      }
      await page.waitForURL(/thanks=1/)
      await ready(page)
      await closePage(page)
      expect(errors).toEqual([])

      // Five page loads: cart, shipping, shipping (reload), payment, thank-you.
      await waitFor('checkout', run, (events) => stepsOf(events, run).length >= 4 && pagesOf(events, run).length >= 5)
      await new Promise((done) => setTimeout(done, 500)) // a late repeated step would land now
      const events = ofRun(await suite.collector.readEvents(), run)
      const steps = byTs(stepsOf(events, run))
      expect(steps.map((step) => [step.funnel, step.step, step.stepIndex])).toEqual([
        ['checkout', 'cart', 0],
        ['checkout', 'shipping', 1],
        ['checkout', 'payment', 2],
        ['checkout', 'done', 3],
      ])
      const [cart, shipping, payment, done] = steps
      expect(cart.msSincePrevious).toBeNull()
      expect(shipping.msSincePrevious).toBeGreaterThanOrEqual(WAIT_MS)
      // Since the first time shipping was reached: the wait, the reload and the second wait.
      expect(payment.msSincePrevious).toBeGreaterThanOrEqual(2 * WAIT_MS)
      expect(done.msSincePrevious).toBeGreaterThanOrEqual(WAIT_MS)
      for (const [later, earlier] of [
        [shipping, cart],
        [payment, shipping],
        [done, payment],
      ]) {
        // The SDK's own clock against the events' timestamps: within a few ms of each other.
        expect(Math.abs(later.msSincePrevious! - (later.ts - earlier.ts))).toBeLessThanOrEqual(5)
        expect(later.msSincePrevious).toBeLessThan(10_000)
      }
      expect(cart.props).toEqual({ from: 'page' })
      expect(done.props).toEqual(mode === 'iife' ? {} : { from: 'api' })

      const pages = byTs(pagesOf(events, run))
      expect(pages.map((view) => view.navigation)).toEqual(['load', 'load', 'reload', 'load', 'load'])
      // Each step on the page view it happened on (done: the payment page, before it left);
      // every event of the run in one session.
      expect(steps.map((step) => step.pageId)).toEqual([
        pages[0].pageId,
        pages[1].pageId,
        pages[3].pageId,
        pages[3].pageId,
      ])
      expect(new Set(pages.map((view) => view.pageId)).size).toBe(5)
      expect(new Set(events.map((event) => event.sessionId))).toEqual(new Set([cart.sessionId]))
    })

    test('steps out of order keep their real index; a repeated or unknown step is not recorded', async () => {
      const run = newRun('funnel-order-' + mode)
      await freshSession()
      const { page, errors, go } = await checkoutTab(mode, run)
      // A visitor who lands on shipping (a saved link), goes back to the cart, then pays.
      await go({ step: 'shipping' })
      await page.waitForTimeout(WAIT_MS)
      await go({ step: 'cart' })
      await page.waitForTimeout(WAIT_MS)
      await go({ step: 'payment' })
      await page.evaluate((mode) => {
        const funnel = (mode === 'iife' ? window.frictionlog : (window.fl as any)).funnel('checkout', window.STEPS)
        funnel.step('payment')
        funnel.step('gift-wrap')
        funnel.step('cart')
      }, mode)
      await page.evaluate(() => window.fl.track('left', {}))
      await closePage(page)
      expect(errors).toEqual([])

      await waitFor('out of order', run, (events) => ofRun(events, run).some((event) => event.type === 'track'))
      await new Promise((done) => setTimeout(done, 500))
      const events = ofRun(await suite.collector.readEvents(), run)
      const steps = byTs(stepsOf(events, run))
      expect(steps.map((step) => [step.step, step.stepIndex])).toEqual([
        ['shipping', 1],
        ['cart', 0],
        ['payment', 2],
      ])
      expect(steps[0].msSincePrevious).toBeNull()
      expect(steps[1].msSincePrevious).toBeGreaterThanOrEqual(WAIT_MS)
      expect(steps[2].msSincePrevious).toBeGreaterThanOrEqual(WAIT_MS)
      expect(new Set(events.map((event) => event.sessionId)).size).toBe(1)
    })

    test('an experiment exposure once per session, its variant on later events and page loads; feedback', async () => {
      const run = newRun('experiment-' + mode)
      await freshSession()
      const { page, errors, go } = await checkoutTab(mode, run)
      await go()
      await page.evaluate(() => {
        const fl = window.fl as any
        fl.track('landing', {})
        fl.experiment('hero-copy', 'B')
        // The site calls it on every render: one exposure per experiment and variant per session.
        fl.experiment('hero-copy', 'B')
        fl.track('signup', { plan: 'pro' })
        fl.feedback('What almost stopped you?', 'price unclear')
      })
      await page.waitForTimeout(100)
      // A later page load of the same session: the site assigns the variant again, converts again.
      await go({ thanks: '1' })
      await page.evaluate(() => {
        const fl = window.fl as any
        fl.experiment('hero-copy', 'B')
        fl.track('signup', { plan: 'pro' })
      })
      await closePage(page)
      expect(errors).toEqual([])

      await waitFor(
        'experiment',
        run,
        (events) => ofRun(events, run).filter((event) => event.type === 'track').length >= 3,
      )
      await new Promise((done) => setTimeout(done, 500))
      const events = ofRun(await suite.collector.readEvents(), run)
      const exposures = events.filter((event): event is EventOf<'experiment'> => event.type === 'experiment')
      expect(exposures.map((event) => [event.experiment, event.variant])).toEqual([['hero-copy', 'B']])
      const tracks = byTs(events.filter((event): event is EventOf<'track'> => event.type === 'track'))
      expect(tracks.map((event) => [event.name, event.props, event.context.experiments])).toEqual([
        ['landing', {}, {}],
        ['signup', { plan: 'pro' }, { 'hero-copy': 'B' }],
        ['signup', { plan: 'pro' }, { 'hero-copy': 'B' }],
      ])
      // The two conversions on two page loads of the one session the exposure began.
      expect(tracks[1].pageId).toBe(exposures[0].pageId)
      expect(tracks[2].pageId).not.toBe(exposures[0].pageId)
      expect(new Set(events.map((event) => event.sessionId)).size).toBe(1)
      expect(exposures[0].ts).toBeLessThanOrEqual(tracks[1].ts)

      const feedback = events.filter((event): event is EventOf<'feedback'> => event.type === 'feedback')
      expect(feedback.map((event) => [event.question, event.answer, event.context.experiments])).toEqual([
        ['What almost stopped you?', 'price unclear', { 'hero-copy': 'B' }],
      ])
    })
  })
}
