import type { Page } from 'playwright-core'
import type { FrictionEvent } from '../../../dist/schema/index.js'
import type { Browser } from './browser'

/** The two ways a site loads the SDK; every scenario runs in both. */
export const MODES = ['iife', 'esm'] as const
export type Mode = (typeof MODES)[number]

declare global {
  interface Window {
    fl: { track(name: string, props?: Record<string, unknown>): void; flush(): Promise<void>; shutdown(): void }
    flReady: Promise<void>
    longTasks: Array<{ start: number; duration: number }>
  }
}

/** The URL of a page in `test/e2e/pages/` with its query. */
export const pageUrl = (
  origin: string,
  mode: Mode,
  pageName: string,
  query: Record<string, string | number>,
): string => {
  const search = new URLSearchParams({
    mode,
    ...Object.fromEntries(Object.entries(query).map(([k, v]) => [k, String(v)])),
  })
  return `${origin}/${pageName}.html?${search}`
}

/** Opens a page in a new tab and waits until `window.fl` is ready. */
export const openPage = async (
  browser: Browser,
  origin: string,
  mode: Mode,
  pageName: string,
  query: Record<string, string | number>,
): Promise<Page> => {
  const page = await browser.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(String(error)))
  await page.goto(pageUrl(origin, mode, pageName, query))
  await page.evaluate(() => window.flReady)
  if (errors.length) throw new Error('page errors: ' + errors.join('\n'))
  return page
}

/**
 * Hides the tab: `document.visibilityState` becomes 'hidden' and `visibilitychange` is fired
 * at the document (it bubbles to `window`, where the tracker listens).
 *
 * Faked from the page, because headless Chromium keeps every tab visible: a second tab brought
 * to the front, a minimized window (`Browser.setWindowBounds`) and `Page.setWebLifecycleState`
 * were all tried and none changes `visibilityState` (Chromium 156, new headless). Closing and
 * navigating, the exits that matter most, are real in the other scenarios.
 */
export const hidePage = (page: Page): Promise<void> => setVisibility(page, 'hidden')

/** Shows a tab hidden by `hidePage` again (`visibilitychange` → visible). */
export const showPage = (page: Page): Promise<void> => setVisibility(page, 'visible')

const setVisibility = (page: Page, state: DocumentVisibilityState) =>
  page.evaluate((value) => {
    Object.defineProperty(document, 'visibilityState', { configurable: true, get: () => value })
    Object.defineProperty(document, 'hidden', { configurable: true, get: () => value === 'hidden' })
    document.dispatchEvent(new Event('visibilitychange', { bubbles: true }))
  }, state)

/** Closes the tab as a user does: unload runs, so `pagehide` and `visibilitychange` fire. */
export const closePage = async (page: Page): Promise<void> => {
  const closed = new Promise<void>((done) => page.once('close', () => done()))
  await page.close({ runBeforeUnload: true })
  await closed
}

/** Track events of one scenario (props.run), in stored order. */
export const tracked = (events: FrictionEvent[], run: string) =>
  events.filter(
    (event): event is Extract<FrictionEvent, { type: 'track' }> => event.type === 'track' && event.props?.run === run,
  )

/** Asserts-by-returning helper: how many times each `props.i` arrived, and which ids repeat. */
export const deliveryReport = (events: FrictionEvent[], run: string, expected: number) => {
  const mine = tracked(events, run)
  const byIndex = new Map<number, number>()
  for (const event of mine) byIndex.set(Number(event.props.i), (byIndex.get(Number(event.props.i)) ?? 0) + 1)
  const missing: number[] = []
  const repeated: number[] = []
  for (let i = 0; i < expected; i++) {
    const count = byIndex.get(i) ?? 0
    if (count === 0) missing.push(i)
    if (count > 1) repeated.push(i)
  }
  const ids = new Set(mine.map((event) => event.id))
  return { stored: mine.length, uniqueIds: ids.size, missing, repeated }
}

/** Polls with short intervals until `check` returns true. */
export const until = async (
  check: () => boolean | Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<void> => {
  const deadline = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((done) => setTimeout(done, 50))
  }
}
