import { describe, expect, test } from 'vitest'
import { closePage, MODES, until } from './support/page'
import { expectExactlyOnce, newRun, postsOf, useSuite } from './support/suite'

// Issue "Delivery that loses nothing", collector outages: aborted connections, 500 and 429,
// backlog handed from a closed page to the next one, two tabs sharing one outbox.
const suite = useSuite()

/** Runs in the page: tracks `count` events numbered from `start`, then asks for a flush. */
const trackMany = ([run, start, count]: [string, number, number]) => {
  for (let i = start; i < start + count; i++) window.fl.track('outage', { run, i })
  return window.fl.flush()
}

for (const mode of MODES) {
  describe(`collector outage (${mode})`, () => {
    test('keeps events through an unreachable collector and sends them once it is back, on the same page', async () => {
      const run = newRun('down-' + mode)
      suite.collector.setFault({ mode: 'abort' })
      const page = await suite.open(mode, run)
      await page.evaluate(trackMany, [run, 0, 10] as [string, number, number])
      await until(
        () => postsOf(suite.collector, run).filter((r) => r.outcome === 'aborted').length >= 2,
        15_000,
        'two failed attempts',
      )
      suite.collector.setFault(null)
      await expectExactlyOnce(suite.collector, run, 10, 30_000)
      await page.close()
    })

    test('keeps the backlog of a page closed while the collector is down and sends it from the next page', async () => {
      const run = newRun('backlog-' + mode)
      suite.collector.setFault({ mode: 'abort' })
      const page = await suite.open(mode, run)
      await page.evaluate(trackMany, [run, 0, 10] as [string, number, number])
      await until(() => postsOf(suite.collector, run).some((r) => r.outcome === 'aborted'), 10_000, 'a failed attempt')
      await closePage(page)
      await new Promise((done) => setTimeout(done, 300))
      expect((await suite.collector.readEvents()).filter((e) => e.url.includes(run))).toEqual([])
      suite.collector.setFault(null)
      const next = await suite.open(mode, run)
      await expectExactlyOnce(suite.collector, run, 10)
      await next.close()
    })

    test('retries after 500, honours Retry-After of a 429, then delivers once', async () => {
      const run = newRun('status-' + mode)
      const page = await suite.open(mode, run)
      suite.collector.setFault([
        { mode: 'status', status: 500, times: 1 },
        { mode: 'status', status: 429, retryAfter: 1, times: 1 },
      ])
      await page.evaluate(trackMany, [run, 0, 5] as [string, number, number])
      await expectExactlyOnce(suite.collector, run, 5, 30_000)
      const posts = postsOf(suite.collector, run)
      const outcomes = posts.map((r) => r.outcome)
      expect(outcomes.slice(0, 3)).toEqual([500, 429, 200])
      // Retry-After: 1 → the next attempt waits at least a second.
      expect(posts[2].at - posts[1].at).toBeGreaterThanOrEqual(950)
      await page.close()
    })

    test('two tabs of a site, collector down then up: every event once, no duplicates', async () => {
      const run = newRun('tabs-' + mode)
      suite.collector.setFault({ mode: 'abort' })
      const before = suite.collector.stats().duplicates
      const first = await suite.open(mode, run)
      const second = await suite.open(mode, run)
      await first.evaluate(trackMany, [run, 0, 10] as [string, number, number])
      await second.evaluate(trackMany, [run, 10, 10] as [string, number, number])
      // A third page of the site claims the shared outbox while the collector is still down.
      const third = await suite.open(mode, run)
      await until(
        () => postsOf(suite.collector, run).filter((r) => r.outcome === 'aborted').length >= 3,
        15_000,
        'failed attempts',
      )
      suite.collector.setFault(null)
      // The page holding a batch may be deep in its backoff when the collector comes back: the
      // failures of three pages while it was down can take a page's next retry up to the 60 s
      // cap (queue.ts, RETRY_MAX_MS; a CI run on a loaded 2-core box waited out 30 s of it).
      await expectExactlyOnce(suite.collector, run, 20, 65_000)
      console.log(
        `[numbers] ${mode} two tabs: duplicates received and dropped by the collector: ` +
          `${suite.collector.stats().duplicates - before}`,
      )
      for (const page of [first, second, third]) await page.close()
    }, 120_000)
  })
}
