import { describe, expect, test } from 'vitest'
import { closePage, MODES, tracked } from './support/page'
import { expectExactlyOnce, newRun, postsOf, useSuite } from './support/suite'

// Issue #15 "Delivery at instant close": 30 track() calls of ~3 KB, then the tab closed at
// once. 90 KB of JSON does not fit the 64 KiB a closing page may keep in flight; the exit
// flush gzips synchronously (?enc=gzip), so every event arrives from the closing page alone:
// no next visit is opened. The collector stores only events that pass frictionlog/schema
// (readEvents re-validates each one with eventSchema).
const suite = useSuite()
const WORDS = ['checkout', 'pricing', 'plan', 'monthly', 'annual', 'coupon', 'cart', 'shipping', 'address', 'total']

/** ~3 KB of product-like JSON: repeated keys, words from a small vocabulary, varying numbers. */
const productsPad = (seed: number): Array<Record<string, unknown>> =>
  Array.from({ length: 52 }, (_, i) => ({
    sku: 'SKU-' + ((seed * 7919 + i * 104_729) % 1_000_000),
    title: WORDS[(seed + i) % WORDS.length] + ' ' + WORDS[(seed * 3 + i * 7) % WORDS.length],
    price: ((seed * 31 + i * 17) % 10_000) / 100,
  }))

for (const mode of MODES) {
  describe(`instant close (${mode})`, () => {
    for (const [label, makeProps] of [
      ['3 KB of one repeated letter', () => ({ pad: 'x'.repeat(3000) })],
      ['3 KB of product-like JSON', (i: number) => ({ products: productsPad(i) })],
    ] as const) {
      test(`delivers 30 events of ${label} when the tab is closed right after tracking them`, async () => {
        const run = newRun('instant-' + mode)
        const page = await suite.open(mode, run)
        const props = Array.from({ length: 30 }, (_, i) => ({ run, i, ...makeProps(i) }))
        const rawBytes = await page.evaluate((list) => {
          for (const item of list) window.fl.track('big', item)
          return JSON.stringify(list).length
        }, props)
        expect(rawBytes).toBeGreaterThan(90_000)
        await closePage(page)
        await expectExactlyOnce(suite.collector, run, 30, 10_000)
        expect(new Set(tracked(await suite.collector.readEvents(), run).map((event) => event.id)).size).toBe(30)
        const posts = postsOf(suite.collector, run)
        const wire = posts.reduce((sum, post) => sum + post.bytes, 0)
        const decoded = posts.reduce((sum, post) => sum + post.decodedBytes, 0)
        const kinds = posts.map((post) =>
          post.path.includes('enc=gzip') ? 'beacon-gzip' : (post.contentEncoding ?? 'plain'),
        )
        console.log(
          `[numbers] ${mode} instant close, ${label}: ${posts.length} requests, ${wire} B on the wire for ` +
            `${decoded} B of JSON (${kinds.join(', ')})`,
        )
        expect(wire).toBeLessThan(64 * 1024)
        expect(posts.some((post) => post.path.includes('enc=gzip'))).toBe(true)
      })
    }
  })
}
