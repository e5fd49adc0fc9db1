// Simulated visitors for `npm run demo -- --simulate N`: headless Chromium (the e2e suite's
// flags: offline but for loopback, no background traffic) walks N scripted journeys over the
// examples, at most `concurrency` at a time, each in a fresh browser context (its own storage,
// so its own session). The journeys are drawn from a seeded generator, so a run is repeatable
// up to browser timing:
//
// - every visitor reaches the checkout cart and is exposed to the `hero-copy` experiment,
//   variants alternating A, B, A… (so the groups stay equal); B's copy converts better;
// - about 30 % first browse the single-page app (home → pricing → signup form, some sign up,
//   some leave the form half-filled or with a too-short password);
// - every third visitor lands from a newsletter link (utm_source=newsletter), so the report's
//   traffic-source segments have two rows (by index, not drawn, to keep the journeys' draws);
// - 10 % get a slow cart (its hero image, the page's LCP element, shown 2.6 s late: an LCP that
//   "needs improvement" blamed on that image) and convert less;
// - on shipping, some give up with a half-filled form, some first hit a ZIP validation error;
// - on payment, some rage-click the broken "Apply coupon" button, some click the button that
//   throws a TypeError, and both convert less; a few click the coupon once and stare at it
//   (a dead click);
// - hesitation (issue #11): 15 % of cart visitors scroll down and up the cart again and again
//   (excessive scrolling); 20 % of those who go on to shipping come straight back to the cart
//   and then go again (a quick back from shipping); 30 % of shipping visitors type a ZIP, delete
//   part of it, leave for another field and come back (field corrections and returns); the
//   first two convert a little less;
// - every page is scrolled to a drawn depth; on the cart, 60 % of visitors read (about a second
//   and a half per screen, so its sections pass the sections plugin's 1 s minVisibleMs), the
//   others skim;
// - 30 % add one or two seats (the total, the pay button and the purchase follow);
// - whoever reaches the thank-you page answers its two feedback questions (a drawn reason and a
//   1–5 score, B's visitors scoring a little higher).
/* global window, document -- inside page.evaluate callbacks, which run in the page */
import { existsSync } from 'node:fs'

import { CHROMIUM_ARGS, CHROMIUM_PATH } from './chromium.mjs'

export { CHROMIUM_PATH }

/**
 * Chance to go on to the next checkout step, per variant: A ≈ 18 % end to end, B ≈ 54 %, less
 * the friction below (a 40-visitor run and a 200-visitor run showed ~24 % and ~37 % with milder
 * odds, p 0.04: too close to call reliably with 100 visitors per variant).
 */
const CONTINUE = {
  A: { cart: 0.6, shipping: 0.55, payment: 0.55 },
  B: { cart: 0.85, shipping: 0.8, payment: 0.8 },
}

const SLOW_SHARE = 0.1
const SLOW_MS = 2600
const SPA_SHARE = 0.3

/** Share of visitors who read the cart rather than skim it, and how long a screen is read. */
const READER_SHARE = 0.6
const READ_MS = [1200, 1800]

/**
 * Hesitation (issue #11): shares of cart visitors scrolling back and forth, of shipping visitors
 * coming straight back to the cart, and of shipping visitors correcting the ZIP; the first two
 * multiply the visitor's continuation odds by HESITANT_ODDS. Drawn from a second generator, so
 * the journeys' other draws (and the experiment's calibrated odds) stay as they were.
 */
const EXCESSIVE_SCROLL_SHARE = 0.15
const QUICK_BACK_SHARE = 0.2
const CORRECTING_SHARE = 0.3
const HESITANT_ODDS = 0.85

/** mulberry32: a small seeded generator, one per visitor so parallel order does not matter. */
const rng = (seed) => () => {
  seed = (seed + 0x6d2b79f5) | 0
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed)
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}

/** Module scripts run before DOMContentLoaded: no need to wait for `load`. */
const LOADED = { waitUntil: 'domcontentloaded' }

const sleep = (ms) => new Promise((done) => setTimeout(done, ms))

/** Thrown when Chromium is missing, so the caller can say so and exit 1. */
export class ChromiumMissingError extends Error {}

/**
 * Runs `visitors` journeys against the examples at `pagesUrl`, sending to `endpoint`.
 * `onProgress(done, total)` is called after each visitor. Resolves to `{ visitors, ms, variants }`.
 */
export async function simulate({ visitors, pagesUrl, endpoint, concurrency = 2, seed = 1, onProgress = () => {} }) {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new ChromiumMissingError(
      `Chromium not found at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set FL_CHROMIUM.`,
    )
  }
  const { chromium } = await import('playwright-core')
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: CHROMIUM_ARGS })
  const started = Date.now()
  const variants = { A: 0, B: 0 }
  const failures = []
  let next = 0
  let done = 0
  const retries = []
  const retried = new Set()
  const origin = new URL(pagesUrl).origin
  const worker = async () => {
    // One browser context per worker, its storage wiped before each visitor: a new visitor and
    // session (anonymous id, session, outbox, funnel progress and variant all live in storage)
    // at a fraction of the cost of a new context. The context outlives each visitor's last page,
    // so the exit beacon of that page is never cut off by a torn-down network context.
    const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
    try {
      while (next < visitors || retries.length) {
        const index = retries.length ? retries.shift() : next++
        const variant = index % 2 === 0 ? 'A' : 'B'
        variants[variant] += 1
        const page = await context.newPage()
        try {
          const cdp = await context.newCDPSession(page)
          await cdp.send('Storage.clearDataForOrigin', { origin, storageTypes: 'all' })
          await cdp.detach()
          const utm = index % 3 === 2 ? '&utm_source=newsletter' : ''
          await journey(page, {
            pagesUrl,
            endpoint,
            variant,
            utm,
            random: rng(seed * 100_003 + index),
            hesitate: rng(seed * 100_003 + index + 0x5bd1e995),
          })
        } catch (error) {
          // A journey that timed out on an overloaded machine runs once more (same variant), so
          // each variant keeps the exposures the report needs before it concludes.
          failures.push(`visitor ${index}: ${error.message.split('\n')[0]}`)
          if (!retried.has(index)) {
            retried.add(index)
            retries.push(index)
            variants[variant] -= 1
            continue
          }
        } finally {
          // Closing the tab as a visitor does (pagehide → the exit beacon), and waiting until it
          // is closed, so its last storage writes come before the next visitor's wipe.
          const closed = new Promise((resolve) => page.once('close', resolve))
          await page.close({ runBeforeUnload: true }).catch(() => {})
          await closed
        }
        onProgress(++done, visitors)
      }
    } finally {
      await sleep(200) // the last exit beacon
      await context.close().catch(() => {})
    }
  }
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, visitors)) }, worker))
  } finally {
    await browser.close().catch(() => {})
  }
  return { visitors, ms: Date.now() - started, variants, failures }
}

/** Waits until the page's module has created its tracker (`window.fl`). */
const ready = (page) => page.waitForFunction(() => 'fl' in window, null, { timeout: 30_000 })

/**
 * Scrolls down in a few steps to `fraction` of the page. A skimmer pauses 40–100 ms per step; a
 * reader (`readMs` set) stays on each screen that long, the first one included, so the sections
 * on screen pass the 1 s `minVisibleMs` of the sections plugin.
 */
/**
 * Scrolls between the top and the bottom of the page `legs` times, in three steps per leg:
 * legs of the full scrollable height (over the excessiveScroll plugin's 400 px), each change of
 * direction a reversal. False when the page is too short for such legs.
 */
const scrollBackAndForth = async (page, legs) => {
  const max = await page.evaluate(() => document.documentElement.scrollHeight - window.innerHeight)
  if (max < 450) return false
  for (let leg = 0; leg < legs; leg++) {
    for (let step = 1; step <= 3; step++) {
      const y = leg % 2 === 0 ? (max * step) / 3 : max - (max * step) / 3
      await page.evaluate((top) => window.scrollTo(0, top), y)
      await sleep(60)
    }
  }
  return true
}

const scrollTo = async (page, fraction, random, readMs = 0) => {
  const steps = 1 + Math.floor(random() * 3)
  if (readMs) await sleep(readMs)
  for (let i = 1; i <= steps; i++) {
    await page.evaluate(
      (f) => window.scrollTo(0, f * (document.documentElement.scrollHeight - window.innerHeight)),
      (fraction * i) / steps,
    )
    await sleep(readMs || 40 + random() * 60)
  }
}

async function journey(page, { pagesUrl, endpoint, variant, utm = '', random, hesitate }) {
  if (process.env.FL_SIM_TRACE) traceCalls(page)
  const q = encodeURIComponent(endpoint)
  let odds = 1 // multiplied into every continuation chance: friction makes visitors leave
  let landed = false // the UTM tags go on the landing page only, as a campaign link would

  if (random() < SPA_SHARE) {
    landed = true
    await page.goto(`${pagesUrl}/spa/?endpoint=${q}${utm}`, LOADED)
    await ready(page)
    await scrollTo(page, random(), random)
    await page.click('#hero-cta')
    await scrollTo(page, random() * 0.8, random)
    if (random() < 0.6) {
      await page.click(random() < 0.7 ? '#choose-pro' : '#choose-free')
      await page.fill('input[name=email]', 'visitor@example.com')
      const roll = random()
      if (roll < 0.25) {
        // A password under 8 characters: the browser refuses the submit (field_error tooShort).
        await page.fill('input[name=password]', 'short')
        await page.click('#create-account')
      } else if (roll < 0.75) {
        await page.fill('input[name=password]', 'correct-horse-battery')
        await page.click('#create-account')
      } // else: leaves the form half-filled (form_abandon)
    }
  }

  // Cart: the experiment's exposure, and the page that may be slow.
  const slow = random() < SLOW_SHARE
  if (slow) odds *= 0.6
  const query = `endpoint=${q}&variant=${variant}${slow ? `&slow=${SLOW_MS}` : ''}${landed ? '' : utm}`
  const cartUrl = `${pagesUrl}/checkout/?${query}`
  await page.goto(cartUrl, LOADED)
  await ready(page)
  if (slow) await page.waitForSelector('#add-seat', { timeout: 10_000 })
  const readMs = random() < READER_SHARE ? READ_MS[0] + random() * (READ_MS[1] - READ_MS[0]) : 0
  await scrollTo(page, 0.2 + random() * 0.8, random, readMs)
  // Searching the cart for something (the delivery date?): down and up, five legs, 4 reversals.
  if (hesitate() < EXCESSIVE_SCROLL_SHARE && (await scrollBackAndForth(page, 5))) odds *= HESITANT_ODDS
  if (random() < 0.3) {
    await page.click('#add-seat')
    if (random() < 0.3) await page.click('#add-seat')
  }
  if (random() >= CONTINUE[variant].cart * odds) return
  await page.click(random() < 0.5 ? '#to-shipping' : '#to-shipping-bottom')

  // Shipping: a form some give up on, some only after a validation error.
  await page.waitForURL(/shipping\.html/, LOADED)
  await ready(page)
  if (hesitate() < QUICK_BACK_SHARE) {
    // Back to the cart within a second or two (a full load, as the Back button does without the
    // bfcache), then on to shipping again: the cart's page view carries a quick_back from shipping.
    await sleep(500 + hesitate() * 1500)
    await page.goto(cartUrl, LOADED)
    await ready(page)
    if (slow) await page.waitForSelector('#add-seat', { timeout: 10_000 })
    odds *= HESITANT_ODDS
    await page.click('#to-shipping')
    await page.waitForURL(/shipping\.html/, LOADED)
    await ready(page)
  }
  await page.fill('input[name=name]', 'Ada Lovelace')
  if (hesitate() < CORRECTING_SHARE) {
    // Types a ZIP, deletes two digits, goes to another field and comes back to it.
    await page.click('input[name=zip]')
    await page.keyboard.type('9410', { delay: 30 })
    await page.keyboard.press('Backspace')
    await page.keyboard.press('Backspace')
    await page.click('input[name=name]')
    await page.click('input[name=zip]')
  }
  const goOn = random() < CONTINUE[variant].shipping * odds
  if (!goOn) {
    if (random() < 0.5) await page.fill('input[name=email]', 'ada@example')
    if (random() < 0.4) {
      await page.fill('input[name=zip]', 'abc')
      await page.click('#to-payment') // patternMismatch, and then they leave
    }
    return
  }
  await page.fill('input[name=email]', 'ada@example.com')
  if (random() < 0.3) {
    await page.fill('input[name=zip]', '123')
    await page.click('#to-payment') // patternMismatch first
  }
  await page.fill('input[name=zip]', '94107')
  await page.click('#to-payment')

  // Payment: the broken coupon button and the button that throws.
  await page.waitForURL(/payment\.html/, LOADED)
  await ready(page)
  await page.fill('input[name=card]', '4242 4242 4242 4242')
  if (random() < 0.3) {
    odds *= 0.7
    for (let i = 0; i < 5; i++) await page.click('#apply-coupon', { delay: 0 })
  }
  if (random() < 0.2) {
    odds *= 0.7
    await page.click('#delivery-estimate')
  }
  if (random() >= CONTINUE[variant].payment * odds) {
    if (random() < 0.15) {
      // Clicks the dead button once and waits for something to happen (a dead click).
      await page.click('#apply-coupon')
      await sleep(2700)
    }
    return
  }
  await page.fill('input[name=expiry]', '12/29')
  await page.click('#pay')
  await page.waitForURL(/done\.html/, LOADED)
  await ready(page)
  // The two feedback questions of the thank-you page, answered with the visitor's own draw.
  const reason = ['price', 'nothing', 'trust'][Math.floor(random() * 3)]
  await page.click(`[data-answer="${reason}"]`)
  const score = Math.min(5, Math.max(1, Math.round(3 + random() * 2 + (variant === 'B' ? 0.5 : -0.5))))
  await page.click(`[data-score="${score}"]`)
}

/** FL_SIM_TRACE=1: logs how long each page call of a journey takes. */
function traceCalls(page) {
  for (const name of ['goto', 'click', 'fill', 'waitForURL', 'waitForFunction', 'evaluate', 'waitForSelector']) {
    const original = page[name].bind(page)
    page[name] = async (...args) => {
      const start = Date.now()
      try {
        return await original(...args)
      } finally {
        console.log(`    ${name}(${String(args[0]).slice(0, 40)}) ${Date.now() - start} ms`)
      }
    }
  }
}
