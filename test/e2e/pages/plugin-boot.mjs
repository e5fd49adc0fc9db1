// ESM half of plugin-boot.js: starts createTracker with the plugin named by <html data-plugin>.
const query = new URLSearchParams(location.search)
if (query.get('mode') === 'esm') {
  try {
    const sdk = await import('frictionlog')
    window.fl = sdk.createTracker({ ...window.flOptions, plugins: [sdk[document.documentElement.dataset.plugin]()] })
    window.flStarted()
  } catch (error) {
    window.flFailed(error)
  }
}
