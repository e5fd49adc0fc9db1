/* global document, location, sessionStorage, URLSearchParams */
// Loaded as a blocking classic script in <head>, before anything paints (what A/B tools call
// the anti-flicker snippet): picks the `hero-copy` variant and marks <html> with it, so the
// right copy is the first one drawn (no layout shift). ?variant=A|B forces it; otherwise it is
// drawn at random once per tab and remembered in sessionStorage. checkout.js reports the
// exposure. ?slow=<ms> also starts here: `loading` keeps [data-slow] content invisible.
;(function () {
  var query = new URLSearchParams(location.search)
  var forced = query.get('variant')
  var variant = forced === 'A' || forced === 'B' ? forced : sessionStorage.getItem('checkout:variant')
  if (variant !== 'A' && variant !== 'B') variant = Math.random() < 0.5 ? 'A' : 'B'
  sessionStorage.setItem('checkout:variant', variant)
  document.documentElement.setAttribute('data-variant', variant)
  if (/^\d+$/.test(query.get('slow') || '')) document.documentElement.classList.add('loading')
})()
