import { describe, expect, test } from 'vitest'
import { closePage, hidePage, MODES, tracked } from './support/page'
import { expectExactlyOnce, newRun, postsOf, useSuite } from './support/suite'

// Issue "Delivery that loses nothing", page exits: every event arrives exactly once, checked
// by id and by index at the real collector, with the SDK loaded as a script tag and as ESM.
const suite = useSuite()
const PAD_3KB = 'x'.repeat(3000)

for (const mode of MODES) {
  describe(`page exit (${mode})`, () => {
    test('delivers 30 events of 3 KB when the tab closes 400 ms after load (the rest by the next page)', async () => {
      const run = newRun('close400-' + mode)
      const page = await suite.open(mode, run)
      const trackedAt = await page.evaluate(
        ([run, pad]) => {
          for (let i = 0; i < 30; i++) window.fl.track('big', { run, i, pad })
          return performance.now()
        },
        [run, PAD_3KB],
      )
      await page.waitForFunction(() => performance.now() >= 400, undefined, { polling: 10 })
      await closePage(page)
      // 90 KB of JSON is more than the 64 KiB that Chromium lets a closing page keep in flight
      // (sendBeacon and fetch keepalive share it): what does not fit waits in the outbox.
      await new Promise((done) => setTimeout(done, 1000))
      const atExit = tracked(await suite.collector.readEvents(), run).length
      const next = await suite.open(mode, run)
      await expectExactlyOnce(suite.collector, run, 30)
      await next.close()
      console.log(
        `[numbers] ${mode} close400: tracked at ${Math.round(trackedAt)} ms, ${atExit}/30 stored by the ` +
          `closing page, the rest by the next page load; beacon/fetch bodies max ` +
          `${Math.max(...postsOf(suite.collector, run).map((r) => r.bytes))} B`,
      )
      expect(atExit).toBeGreaterThan(0)
      expect(postsOf(suite.collector, run).length).toBeGreaterThanOrEqual(6)
    })

    test('delivers an event tracked right before navigating to another site', async () => {
      const run = newRun('navigate-' + mode)
      const page = await suite.open(mode, run)
      await page.evaluate((run) => {
        window.fl.track('leaving', { run, i: 0 })
        // Blocked by the host resolver rules: an error page replaces this one, unloading it.
        location.href = 'http://example.invalid/'
      }, run)
      await page.waitForURL('http://example.invalid/**').catch(() => {})
      await expectExactlyOnce(suite.collector, run, 1)
    })

    test('delivers an event tracked right before the tab is closed', async () => {
      const run = newRun('closetab-' + mode)
      const page = await suite.open(mode, run)
      await page.evaluate((run) => window.fl.track('closing', { run, i: 0 }), run)
      await closePage(page)
      await expectExactlyOnce(suite.collector, run, 1)
    })

    test('delivers an event tracked right before the tab is hidden, without waiting for the timer', async () => {
      const run = newRun('hide-' + mode)
      const page = await suite.open(mode, run)
      const start = Date.now()
      await page.evaluate((run) => window.fl.track('hiding', { run, i: 0 }), run)
      await hidePage(page)
      // intervalMs is 5000: arriving well before it means the hidden flush sent it.
      await expectExactlyOnce(suite.collector, run, 1, 3000)
      expect(Date.now() - start).toBeLessThan(4000)
      const [stored] = (await suite.collector.readEvents()).filter(
        (event) => event.type === 'page_leave' && event.url.includes(run),
      )
      expect(stored, 'page_leave is sent at pagehide, not at hidden').toBeUndefined()
    })
  })
}
