// @ts-check
/* global window, document, location, history, sessionStorage, URLSearchParams, HTMLAnchorElement, HTMLFormElement */
// A single-page app on frictionlog's ESM build: client-side routing with pushState (the tracker
// records a `page` event with navigation 'spa' on every route change by itself), typed custom
// events (checked by TypeScript through the JSDoc below: `npx tsc --allowJs --checkJs --noEmit
// --module esnext --moduleResolution bundler --target es2022 --skipLibCheck examples/spa/app.js`
// rejects a misspelt event name or a wrong prop), the built-in plugins and one custom plugin.
//
// ?endpoint=<collector URL> (default http://127.0.0.1:8787/e) is read on the first load.
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

/**
 * The custom events of this app: `fl.track()` accepts these names with these props only.
 * @typedef {{
 *   cta_click: { position: string },
 *   plan_selected: { plan: 'free' | 'pro' },
 *   signup: { plan: 'free' | 'pro' },
 *   outbound_click: { href: string },
 * }} Events
 */

/**
 * A custom plugin: a `track` event `outbound_click` for links that leave the site. Plugins
 * listen through `ctx.listen` (passive, removed by `shutdown()`) and emit through `ctx.emit`.
 * @returns {import('frictionlog').Plugin}
 */
const outboundLinks = () => ({
  name: 'outboundLinks',
  setup(ctx) {
    ctx.listen(
      document,
      'click',
      (event) => {
        const link = event.target instanceof window.Element ? event.target.closest('a[href]') : null
        if (!(link instanceof HTMLAnchorElement) || link.origin === location.origin) return
        ctx.emit('track', { name: 'outbound_click', props: { href: link.origin + link.pathname } })
      },
      true,
    )
  },
})

const query = new URLSearchParams(location.search)
const endpoint = query.get('endpoint') || sessionStorage.getItem('spa:endpoint') || 'http://127.0.0.1:8787/e'
sessionStorage.setItem('spa:endpoint', endpoint)

/** @type {import('frictionlog').Tracker<Events>} */
const fl = createTracker({
  endpoint,
  site: 'spa',
  plugins: [
    scrollDepth(),
    clicks(),
    errors(),
    webVitals(),
    forms(),
    sections(),
    quickBack(),
    excessiveScroll(),
    outboundLinks(),
  ],
})
const signupFunnel = fl.funnel('signup', /** @type {const} */ (['pricing', 'form', 'done']))
Object.assign(window, { fl }) // for the console and the demo's simulated visitors

/** The views, by path under /spa/. */
const VIEWS = {
  '': () => `
    <section data-fl-section="hero">
      <h1>Forms your buyers finish</h1>
      <p>A single-page app: every link below changes the route with pushState.</p>
      <a class="cta" href="/spa/pricing" data-link id="hero-cta">See pricing</a>
    </section>
    <section data-fl-section="features"><h2>Features</h2><p>Scroll depth, rage clicks, form friction.</p></section>
    <section data-fl-section="testimonials"><h2>Customers</h2><p>"It paid for itself in a week."</p></section>`,
  pricing: () => `
    <section data-fl-section="plans">
      <h1>Pricing</h1>
      <p>Free: 1 form. Pro: unlimited forms, $20 a month.</p>
      <button id="choose-free" data-plan="free">Choose Free</button>
      <button id="choose-pro" data-plan="pro">Choose Pro</button>
    </section>
    <section data-fl-section="compare"><h2>Compare plans</h2><p>Everything in Free, plus exports.</p></section>`,
  signup: () => `
    <section data-fl-section="signup">
      <h1>Create your account</h1>
      <form id="signup-form">
        <label>Email <input name="email" type="email" required></label>
        <label>Password <input name="password" type="password" required minlength="8"></label>
        <label>Plan <select name="plan"><option value="pro">Pro</option><option value="free">Free</option></select></label>
        <button type="submit" id="create-account">Create account</button>
      </form>
    </section>`,
  welcome: () =>
    `<section data-fl-section="welcome"><h1>Welcome aboard</h1><a href="/spa/" data-link>Home</a></section>`,
}

const routeOf = (/** @type {string} */ pathname) => {
  const route = pathname.replace(/^\/spa\/?/, '').replace(/\/$/, '')
  return route in VIEWS ? /** @type {keyof typeof VIEWS} */ (route) : ''
}

const render = () => {
  const route = routeOf(location.pathname)
  const view = /** @type {HTMLElement} */ (document.getElementById('view'))
  view.innerHTML = VIEWS[route]()
  document.title = `Acme Forms — ${route || 'home'}`
  if (route === 'pricing') signupFunnel.step('pricing')
  if (route === 'signup') signupFunnel.step('form')
  window.scrollTo(0, 0)
}

/** Client-side navigation: the tracker sees the pushState and records the page view. */
const navigate = (/** @type {string} */ path) => {
  history.pushState(null, '', path)
  render()
}

document.addEventListener('click', (event) => {
  const target = /** @type {Element} */ (event.target)
  const link = target.closest('a[data-link]')
  if (link instanceof HTMLAnchorElement) {
    event.preventDefault()
    if (link.id === 'hero-cta') fl.track('cta_click', { position: 'hero' })
    navigate(link.pathname)
    return
  }
  const plan = target.closest('[data-plan]')?.getAttribute('data-plan')
  if (plan === 'free' || plan === 'pro') {
    fl.track('plan_selected', { plan })
    navigate('/spa/signup')
  }
})

document.addEventListener('submit', (event) => {
  const form = event.target
  if (!(form instanceof HTMLFormElement) || form.id !== 'signup-form') return
  event.preventDefault()
  const select = /** @type {HTMLSelectElement} */ (form.elements.namedItem('plan'))
  const plan = select.value === 'free' ? 'free' : 'pro'
  fl.identify(`user-${Math.random().toString(36).slice(2, 8)}`, { plan })
  fl.track('signup', { plan })
  signupFunnel.step('done', { plan })
  navigate('/spa/welcome')
})

window.addEventListener('popstate', render)
render()
