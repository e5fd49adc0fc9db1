// @ts-check
/* global window, document, location, sessionStorage, URLSearchParams */
// Shared by the four checkout pages: one tracker per page load (the session, its funnel
// progress and its experiment variant live in browser storage, so they span the pages).
//
// Query parameters (read on any page, remembered for the tab in sessionStorage):
//   ?endpoint=<collector URL>   default http://127.0.0.1:8787/e (the demo's collector)
//   ?variant=A|B                the `hero-copy` variant; otherwise drawn at random once (variant.js)
//   ?slow=<ms>                  this page shows its main content <ms> late (a slow LCP; on the cart,
//                               the hero image, its LCP element in both variants)
import {
  createTracker,
  scrollDepth,
  clicks,
  errors,
  webVitals,
  forms,
  sections,
  quickBack,
  excessiveScroll,
} from 'frictionlog'

export const DEFAULT_ENDPOINT = 'http://127.0.0.1:8787/e'
export const STEPS = /** @type {const} */ (['cart', 'shipping', 'payment', 'done'])

/**
 * @typedef {{
 *   add_to_cart: { sku: string, price: number },
 *   coupon_applied: { code: string },
 *   purchase: { total: number, items: number },
 * }} CheckoutEvents
 */

const query = new URLSearchParams(location.search)

/** The query value, else the one remembered for this tab; remembers what it returns. */
const remembered = (/** @type {string} */ key, /** @type {string | null} */ value) => {
  if (value) sessionStorage.setItem(`checkout:${key}`, value)
  return value || sessionStorage.getItem(`checkout:${key}`)
}

export const endpoint = remembered('endpoint', query.get('endpoint')) || DEFAULT_ENDPOINT

/** The `hero-copy` variant variant.js picked before the first paint (?variant=A|B, else random). */
export const variant = document.documentElement.dataset.variant || 'A'

/** @type {import('frictionlog').Tracker<CheckoutEvents>} */
export const fl = createTracker({
  endpoint,
  site: 'checkout',
  // heatmap: every click is sent too, for the dashboard's heatmaps.
  plugins: [
    scrollDepth(),
    clicks({ heatmap: true }),
    errors(),
    webVitals(),
    forms(),
    sections(),
    quickBack(),
    excessiveScroll(),
  ],
})
fl.experiment('hero-copy', variant) // one exposure per session; later events carry it
export const checkout = fl.funnel('checkout', STEPS)

// For the console and the demo's simulated visitors.
Object.assign(window, { fl, checkout, variant })

/**
 * With ?slow=<ms>, shows the `[data-slow]` content (kept invisible by the page's `loading`
 * class) that late: the page's LCP is late by that much, without a layout shift.
 */
export const revealMain = () => {
  const delay = Number(query.get('slow')) || 0
  if (delay > 0) window.setTimeout(() => document.documentElement.classList.remove('loading'), delay)
}

/** The yearly plan with one seat, and each seat added on the cart (US dollars). */
export const PLAN_PRICE = 240
export const SEAT_PRICE = 60

/** Seats in the cart, remembered for the tab (the cart's "Add a seat" raises it). */
export const seats = () => Math.max(1, Number(sessionStorage.getItem('checkout:seats')) || 1)

/** Sets the seats of the cart; returns the new count. */
export const setSeats = (/** @type {number} */ count) => {
  sessionStorage.setItem('checkout:seats', String(count))
  return count
}

/** The order total for `count` seats. */
export const total = (count = seats()) => PLAN_PRICE + SEAT_PRICE * (count - 1)

/**
 * Shows a note under `button` when a click on it throws (the page's deliberate bug): the
 * `error` event has gone to the collector, with `afterClick` naming this button. Call it before
 * adding the throwing listener: listeners run in the order they were added.
 */
export const explainThrow = (/** @type {HTMLElement} */ button, /** @type {string} */ note) => {
  let clicked = false
  button.addEventListener('click', () => {
    clicked = true
    window.setTimeout(() => (clicked = false), 0)
  })
  window.addEventListener('error', () => {
    if (!clicked || document.getElementById(`${button.id}-note`)) return
    const p = document.createElement('p')
    p.id = `${button.id}-note`
    p.className = 'note'
    p.setAttribute('role', 'status')
    p.textContent = note
    button.insertAdjacentElement('afterend', p)
  })
}

/** Goes to the next page of the checkout (the tab keeps ?endpoint and ?variant). */
export const go = (/** @type {string} */ page) => {
  location.href = page
}
