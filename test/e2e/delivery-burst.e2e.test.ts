import { describe, expect, test } from 'vitest'
import { MODES } from './support/page'
import { expectExactlyOnce, MAX_BATCH_BYTES, newRun, postsOf, useSuite } from './support/suite'

// Issue "Delivery that loses nothing", volume: a burst of 2,000 events arrives whole, in
// batches within 16 KiB, without long tasks on the page.
const suite = useSuite()
// The SDK's deferred work runs in 8 ms slices: on an idle 2-core box no long task at all (0 in
// CI runs), but long tasks are wall time, and on a box shared with other browsers an 8 ms slice
// was seen to last 57–78 ms. Done in one task, as before the slicing, the same work was one
// 134–143 ms task on an idle box: 100 ms still fails on that regression without failing on load.
const LONG_TASK_BUDGET_MS = 100
// The burst itself is the host's own task (its loop calls track() 2,000 times). Its per-call
// cost is a timing, so it is measured by `npm run bench` (delivery section) and only logged here.

for (const mode of MODES) {
  describe(`burst (${mode})`, () => {
    test("delivers 2,000 events in batches within 16 KiB; the SDK's own work makes no long task", async () => {
      const run = newRun('burst-' + mode)
      const page = await suite.open(mode, run)
      const { loopMs, startedAt } = await page.evaluate((run) => {
        window.longTasks.length = 0
        const startedAt = performance.now()
        for (let i = 0; i < 2000; i++) window.fl.track('burst', { run, i, label: 'item ' + i })
        return { loopMs: performance.now() - startedAt, startedAt }
      }, run)
      await expectExactlyOnce(suite.collector, run, 2000, 45_000).catch((error) => {
        const posts = postsOf(suite.collector, run)
        throw new Error(
          `${String(error).slice(0, 300)}\nPOST gaps (ms): ${posts
            .slice(-8)
            .map((r) => `${r.outcome}:${r.events}:${r.contentEncoding ?? 'plain'}:${r.at - posts[0].at}`)
            .join(' ')}, total POSTs ${posts.length}, ` +
            `OPTIONS ${suite.collector.requests.filter((r) => r.method === 'OPTIONS').length}`,
        )
      })
      // The SDK's own tasks: everything after the host's burst task (serializing, batching,
      // gzip, sending), which the SDK runs deferred in slices.
      const tasks = await page.evaluate((from) => window.longTasks.filter((task) => task.start > from), startedAt)
      const longest = Math.max(0, ...tasks.map((task) => task.duration))
      const posts = postsOf(suite.collector, run)
      const plain = posts.reduce((sum, r) => sum + r.decodedBytes, 0)
      const wire = posts.reduce((sum, r) => sum + r.bytes, 0)
      const events = posts.reduce((sum, r) => sum + r.events, 0)
      console.log(
        `[numbers] ${mode} burst: 2000 track() in ${loopMs.toFixed(1)} ms, longest long task ` +
          `${longest.toFixed(0)} ms (${tasks.length} long tasks), ${posts.length} POSTs, max body ` +
          `${Math.max(...posts.map((r) => r.decodedBytes))} B decoded / ` +
          `${Math.max(...posts.map((r) => r.bytes))} B wire, ${(plain / events).toFixed(0)} B/event plain, ` +
          `${(wire / events).toFixed(0)} B/event on the wire`,
      )
      expect(Math.max(...posts.map((r) => r.decodedBytes))).toBeLessThanOrEqual(MAX_BATCH_BYTES)
      expect(longest).toBeLessThan(LONG_TASK_BUDGET_MS)
      await page.close()
    })
  })
}
