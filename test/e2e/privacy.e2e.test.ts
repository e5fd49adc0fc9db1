import { readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { beforeEach, describe, expect, test } from 'vitest'
import type { FrictionEvent } from '../../dist/schema/index.js'
import { closePage, hidePage, MODES, pageUrl, showPage, tracked, type Mode } from './support/page'
import { newRun, useSuite } from './support/suite'

// SPEC "consent", "storage", "respectPrivacySignals" and the URL scrubber, in real Chromium
// against the real collector, script tag and ESM: what the visitor refused never leaves the
// page, and nothing of ours is left in the browser when it must not be.
const suite = useSuite()
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))
type Win = Window & { fl: any; flSeen: Array<{ id: string; ts: number; type: string; name?: string }> }

interface BrowserStorage {
  local: string[]
  session: string[]
  cookie: string
  idb: string[]
}
/** Everything a page of the test origin can see in its storage (the profile is this file's own). */
const inspect = (page: Page): Promise<BrowserStorage> =>
  page.evaluate(async () => ({
    local: Object.keys(localStorage),
    session: Object.keys(sessionStorage),
    cookie: document.cookie,
    idb: (await indexedDB.databases()).map((db) => db.name ?? '?'),
  }))
const EMPTY: BrowserStorage = { local: [], session: [], cookie: '', idb: [] }
const flKeys = (storage: BrowserStorage) => storage.local.filter((key) => key.startsWith('fl:'))

/** A tab on the pages' origin without a tracker: to look at (and reset) the origin's storage. */
const plainPage = async (): Promise<Page> => {
  const page = await suite.browser.newPage()
  await page.goto(`${suite.server.origin}/privacy.html?mode=none`)
  return page
}
const originStorage = async (): Promise<BrowserStorage> => {
  const page = await plainPage()
  const storage = await inspect(page)
  await page.close()
  return storage
}

// Tests share the profile (one per file): each starts from an origin with nothing stored.
beforeEach(async () => {
  const page = await plainPage()
  await page.evaluate(async () => {
    localStorage.clear()
    sessionStorage.clear()
    for (const db of await indexedDB.databases()) if (db.name) indexedDB.deleteDatabase(db.name)
  })
  await page.context().clearCookies()
  await page.close()
})

/** Opens privacy.html like `suite.open`, with an optional init script and URL fragment. */
const open = async (
  mode: Mode,
  site: string,
  query: Record<string, string | number> = {},
  extra: { initScript?: () => void; hash?: string; extraQuery?: string } = {},
): Promise<Page> => {
  const page = await suite.browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  if (extra.initScript) await page.addInitScript(extra.initScript)
  const url = pageUrl(suite.server.origin, mode, 'privacy', { endpoint: suite.collector.endpoint, site, ...query })
  await page.goto(url + (extra.extraQuery ?? '') + (extra.hash ?? ''))
  await page.evaluate(() => window.flReady)
  expect(errors, 'page errors').toEqual([])
  return page
}

/** Events whose page was opened as `site` (url `…&site=<site>&…`), whatever their type. */
const ofSite = (events: FrictionEvent[], site: string) =>
  events.filter((event) => new URL(event.url, 'http://x').searchParams.get('site') === site)
const postsOf = (site: string) =>
  suite.collector.requests.filter((request) => request.method === 'POST' && request.site === site)

/**
 * A positive control: a consenting page (another site) tracks a sentinel, is closed, and its
 * sentinel is awaited. Whatever the page under test might have sent at its exit went out
 * before, so it would be stored by now.
 */
const sentinel = async (mode: Mode, run: string) => {
  const site = run + '-ctl'
  const page = await open(mode, site)
  await page.evaluate((run) => (window as unknown as Win).fl.track('sentinel', { run }), site)
  await page.evaluate(() => (window as unknown as Win).fl.flush())
  await closePage(page)
  await suite.collector.waitForEvents((events) => tracked(events, site).length === 1, 10_000)
  await sleep(300)
}

const trackN = (page: Page, run: string, phase: string, count: number) =>
  page.evaluate(
    ({ run, phase, count }) => {
      for (let i = 0; i < count; i++) (window as unknown as Win).fl.track(phase, { run, phase, i })
    },
    { run, phase, count },
  )

/** Every byte the collector stored, as the NDJSON text on disk (before any schema parsing). */
const rawStore = (needle: string): string => {
  const texts: string[] = []
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('fl-e2e-store-')) continue
    const dir = join(tmpdir(), name)
    let files: string[] = []
    try {
      files = readdirSync(dir).filter((file) => file.endsWith('.ndjson'))
    } catch {
      continue
    }
    const text = files.map((file) => readFileSync(join(dir, file), 'utf8')).join('')
    if (text.includes(needle)) texts.push(text)
  }
  return texts.join('')
}

for (const mode of MODES) {
  describe(`privacy (${mode})`, () => {
    test('Global Privacy Control: nothing is sent, even at exit, and nothing is stored', async () => {
      const run = newRun('gpc-' + mode)
      const page = await open(
        mode,
        run,
        {},
        {
          initScript: () =>
            Object.defineProperty(navigator, 'globalPrivacyControl', { configurable: true, get: () => true }),
        },
      )
      expect(await page.evaluate(() => (navigator as any).globalPrivacyControl)).toBe(true)
      await trackN(page, run, 'gpc', 5)
      await page.evaluate(() => (window as unknown as Win).fl.identify('user-gpc', { plan: 'pro' }))
      await page.click('#cta')
      await page.mouse.wheel(0, 600)
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await hidePage(page)
      await sleep(200)
      expect(await inspect(page)).toEqual(EMPTY)
      await closePage(page)
      expect(await originStorage()).toEqual(EMPTY)

      await sentinel(mode, run)
      expect(postsOf(run)).toEqual([])
      expect(ofSite(await suite.collector.readEvents(), run)).toEqual([])
    })

    test("consent 'pending': held in memory only, sent with original ids and times once granted", async () => {
      const run = newRun('pending-' + mode)
      // The script tag has no data-* for beforeSend: init() gives the same options as createTracker.
      const page = await open(
        mode,
        run,
        mode === 'iife' ? { consent: 'pending', record: 1, init: 1 } : { consent: 'pending', record: 1 },
      )
      const before = Date.now()
      await trackN(page, run, 'held', 3)
      await page.click('#cta')
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      // An exit while pending: the exit flush must not write the held events anywhere either.
      await hidePage(page)
      await sleep(300)
      expect(await inspect(page)).toEqual(EMPTY)
      expect(await originStorage()).toEqual(EMPTY)
      expect(postsOf(run)).toEqual([])
      // Everything made while pending (page view, tracks, the click's events), as beforeSend saw it.
      const seen = await page.evaluate(() => (window as unknown as Win).flSeen.slice())
      expect(seen.filter((event) => event.type === 'track' && event.name === 'held')).toHaveLength(3)
      expect(seen.map((event) => event.type)).toContain('page')

      await showPage(page)
      await sleep(200)
      const grantedAt = await page.evaluate(() => {
        const at = Date.now()
        ;(window as unknown as Win).fl.consent('granted')
        return at
      })
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      const events = await suite.collector.waitForEvents((events) => tracked(events, run).length >= 3, 10_000)
      const mine = tracked(events, run)
      const seenHeld = seen.filter((event) => event.type === 'track' && event.name === 'held')
      expect(mine.map((event) => ({ id: event.id, ts: event.ts }))).toEqual(seenHeld.map(({ id, ts }) => ({ id, ts })))
      for (const event of mine) {
        expect(event.ts).toBeGreaterThanOrEqual(before - 50)
        expect(event.ts).toBeLessThan(grantedAt)
      }
      // Every other held event (page view, click signals) arrives too, unchanged: same id, type, time.
      const stored = new Map(ofSite(events, run).map((event) => [event.id, event]))
      for (const held of seen)
        expect(stored.get(held.id), `held ${held.type}`).toMatchObject({ type: held.type, ts: held.ts })
      expect(new Set(stored.keys()).size).toBe(ofSite(events, run).length)
      // Granted with storage 'local': now (and only now) identifiers reach localStorage.
      expect(flKeys(await inspect(page)).length).toBeGreaterThan(0)
    })

    test("granted, then consent('denied'): fl: keys purged, nothing sent afterwards", async () => {
      const run = newRun('revoke-' + mode)
      const page = await open(mode, run)
      await trackN(page, run, 'before', 2)
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await suite.collector.waitForEvents((events) => tracked(events, run).length === 2, 10_000)
      // Precondition: granted + storage 'local' did persist identifiers (the purge has work to do).
      const granted = flKeys(await inspect(page))
      expect(granted).toEqual(expect.arrayContaining(['fl:session', 'fl:identity']))

      const deniedAt = await page.evaluate(() => {
        const at = Date.now()
        ;(window as unknown as Win).fl.consent('denied')
        return at
      })
      expect(flKeys(await inspect(page))).toEqual([])
      await trackN(page, run, 'after', 3)
      await page.evaluate(() => (window as unknown as Win).fl.identify('user-revoked'))
      await page.click('#cta')
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await hidePage(page)
      await sleep(200)
      expect(flKeys(await inspect(page))).toEqual([])
      await closePage(page)
      expect(flKeys(await originStorage())).toEqual([])

      await sentinel(mode, run)
      const events = ofSite(await suite.collector.readEvents(), run)
      expect(tracked(events, run).map((event) => event.props.phase)).toEqual(['before', 'before'])
      expect(events.filter((event) => event.ts >= deniedAt)).toEqual([])
      expect(JSON.stringify(events)).not.toContain('user-revoked')
    })

    test("storage 'memory': across flush, hide and reload none of ours stays in the browser; events come", async () => {
      const run = newRun('memory-' + mode)
      const page = await open(mode, run, { storage: 'memory' })
      await trackN(page, run, 'first', 2)
      await page.click('#cta')
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await hidePage(page)
      await suite.collector.waitForEvents((events) => tracked(events, run).length === 2, 10_000)
      expect(await inspect(page)).toEqual(EMPTY)

      const errors: string[] = []
      page.on('pageerror', (error) => errors.push(String(error)))
      await page.reload()
      await page.evaluate(() => window.flReady)
      await trackN(page, run, 'second', 2)
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await hidePage(page)
      await suite.collector.waitForEvents((events) => tracked(events, run).length === 4, 10_000)
      await sleep(200)
      expect(await inspect(page)).toEqual(EMPTY)
      expect(await originStorage()).toEqual(EMPTY)
      expect(errors).toEqual([])

      const mine = tracked(await suite.collector.readEvents(), run)
      expect(mine.map((event) => event.props.phase)).toEqual(['first', 'first', 'second', 'second'])
      // No identifier survived the reload: cookieless means a new visitor per page load.
      expect(mine[2].anonymousId).not.toBe(mine[0].anonymousId)
      expect(mine[2].sessionId).not.toBe(mine[0].sessionId)
      expect(mine[1].anonymousId).toBe(mine[0].anonymousId)
    })

    test('secrets in the URL (query and fragment) are in no stored payload', async () => {
      const run = newRun('scrub-' + mode)
      const page = await open(mode, run, { token: 'abc123', email: 'jo@example.com' }, { hash: '#access_token=xyz' })
      expect(await page.evaluate(() => location.href)).toMatch(/token=abc123&email=jo%40example\.com#access_token=xyz$/)
      await trackN(page, run, 'scrub', 1)
      // An SPA route change that keeps the secrets, and an error: more URLs in more event types.
      await page.evaluate(() =>
        history.pushState({}, '', location.pathname + location.search + '&step=2' + location.hash),
      )
      await page.evaluate(() => (window as unknown as Win).fl.captureError(new Error('boom')))
      await page.click('#cta')
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await closePage(page)
      await suite.collector.waitForEvents(
        (events) => ofSite(events, run).some((event) => event.type === 'page_leave'),
        10_000,
      )
      await sleep(300)

      const events = ofSite(await suite.collector.readEvents(), run)
      for (const type of ['page', 'track', 'error', 'page_leave'])
        expect(events.map((event) => event.type)).toContain(type)
      expect(events.filter((event) => event.type === 'page')).toHaveLength(2)
      for (const event of events) expect(event.url).toContain('token=[redacted]')
      // Every payload stored, parsed and raw. `xyz` as a whole token: ids are nanoids, which
      // could contain those three letters by chance.
      const stored = JSON.stringify(await suite.collector.readEvents()) + '\n' + rawStore(run)
      expect(stored).toContain(run)
      for (const secret of ['abc123', 'jo@example.com', 'jo%40example.com', 'jo%2540example.com'])
        expect(stored).not.toContain(secret)
      expect(stored).not.toMatch(/(^|[^A-Za-z0-9_-])xyz($|[^A-Za-z0-9_-])/)
    })

    test("the app's own scrubUrl rule applies to every URL, after the built-in rules", async () => {
      const run = newRun('scrub-hook-' + mode)
      const query = { customer: 'cust-90210', token: 'abc123', scrub: 1, ...(mode === 'iife' ? { init: 1 } : {}) }
      const page = await open(mode, run, query)
      await trackN(page, run, 'scrub-hook', 1)
      // An uncaught error from a script whose URL holds the customer: its frame goes through the rule too.
      await page.evaluate(() => {
        const script = document.createElement('script')
        script.src = '/missing.js?customer=cust-90210'
        document.head.appendChild(script)
      })
      await page.evaluate(() => history.pushState({}, '', location.pathname + location.search + '&step=2'))
      await page.evaluate(() => (window as unknown as Win).fl.flush())
      await closePage(page)
      await suite.collector.waitForEvents(
        (events) => ofSite(events, run).some((event) => event.type === 'page_leave'),
        10_000,
      )
      await sleep(300)

      const events = ofSite(await suite.collector.readEvents(), run)
      for (const type of ['page', 'track', 'error', 'page_leave'])
        expect(events.map((event) => event.type)).toContain(type)
      for (const event of events) expect(event.url).toContain('customer=:id&token=[redacted]')
      const resourceError = events.find((event) => event.type === 'error') as FrictionEvent & { message: string }
      expect(resourceError.message).toContain('missing.js?customer=:id')
      const stored = JSON.stringify(events) + '\n' + rawStore(run)
      for (const secret of ['cust-90210', 'abc123']) expect(stored).not.toContain(secret)
    })
  })
}
