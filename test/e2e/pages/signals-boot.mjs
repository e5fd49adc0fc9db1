// ESM half of the signals pages (plugin-boot.js does the script-tag half): the plugins behind
// the hesitation signals, so the ESM build is tested with the same captures the script tag has.
const query = new URLSearchParams(location.search)
if (query.get('mode') === 'esm') {
  try {
    const { createTracker, scrollDepth, clicks, forms, quickBack, excessiveScroll } = await import('frictionlog')
    window.fl = createTracker({
      ...window.flOptions,
      plugins: [scrollDepth(), clicks(), forms(), quickBack(), excessiveScroll()],
    })
    window.flStarted()
  } catch (error) {
    window.flFailed(error)
  }
}
// Links to the other signals page keep the query (mode, endpoint, site).
for (const link of document.querySelectorAll('a[data-keep-query]')) link.search = location.search
