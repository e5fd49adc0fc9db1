// Shared start of the single-plugin e2e pages (forms, sections, vitals, bfcache): the page's
// <html data-plugin> names the plugin the ESM build starts; plugin-boot.mjs does that part.
// Query: mode=iife|esm, endpoint, site. Batches are only sent at page exit (or by
// fl.flush()), so the test knows which flush carried what. The script tag starts every
// default plugin through frictionlog.init(); the ESM build gets this page's plugin.
;(() => {
  const query = new URLSearchParams(location.search)
  window.flOptions = {
    endpoint: query.get('endpoint'),
    site: query.get('site') || 'e2e',
    batch: { intervalMs: 3_600_000 },
  }
  window.flReady = new Promise((resolve, reject) => {
    window.flStarted = resolve
    window.flFailed = reject
  })
  if (query.get('mode') !== 'iife') return
  const script = document.createElement('script')
  script.src = '/frictionlog.global.js'
  script.async = false
  script.onload = () => {
    window.frictionlog.init(window.flOptions)
    window.fl = window.frictionlog
    window.flStarted()
  }
  script.onerror = () => window.flFailed(new Error('frictionlog.global.js failed to load'))
  document.head.appendChild(script)
})()
