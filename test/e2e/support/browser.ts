import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../../scripts/chromium.mjs'

export { CHROMIUM_ARGS, CHROMIUM_PATH }

/** Fails (never skips) when Chromium is missing: a skipped e2e suite would hide a regression. */
export const assertChromium = (): void => {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set FL_CHROMIUM. ` +
        'The e2e suite fails rather than skips without a browser.',
    )
  }
}

export interface Browser {
  context: BrowserContext
  /** Opens a fresh tab. */
  newPage(): Promise<Page>
  close(): Promise<void>
}

/** Launches Chromium with a fresh profile (its own localStorage), one per test file. */
export const launchBrowser = async (): Promise<Browser> => {
  assertChromium()
  const profile = mkdtempSync(join(tmpdir(), 'fl-e2e-profile-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1200, height: 800 },
  })
  // The persistent context opens with one blank tab; tests open their own.
  return {
    context,
    newPage: () => context.newPage(),
    async close() {
      await context.close().catch(() => {})
      rmSync(profile, { recursive: true, force: true })
    },
  }
}
