// Shared by the e2e pages that start the script-tag build as a site writes it (the endpoint is
// per test, so the tag is built here): data-endpoint and data-site from the query, plus the
// page's own data-* options; window.fl is the global once it has loaded. Pages create
// window.flReady (with flStarted/flFailed) before calling it.
window.loadScriptTag = (query, data = {}, src = '/frictionlog.global.js') => {
  const script = document.createElement('script')
  script.src = src
  script.async = false
  Object.assign(script.dataset, { endpoint: query.get('endpoint'), site: query.get('site') || 'e2e' }, data)
  script.onload = () => {
    window.fl = window.frictionlog
    window.flStarted()
  }
  script.onerror = () => window.flFailed(new Error(src + ' failed to load'))
  document.head.appendChild(script)
}
