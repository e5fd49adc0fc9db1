// The peers as a site would ship them: one small entry per SDK that imports its main
// entry and calls `init`, the api host read from the script tag's `data-endpoint` (a local
// recorder in the benchmarks). The same entries are measured for size (ESM, minified) and
// loaded in the browser (IIFE, minified), so the bytes weighed are the bytes that run.
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { build } from 'esbuild'
import { ensureTmp, ROOT } from './lib.mjs'

const endpoint = "(document.currentScript && document.currentScript.dataset.endpoint) || 'http://127.0.0.1:9'"

/**
 * Each peer's options: its api host on loopback, remote config / flags / surveys calls off
 * where an option exists, default capture kept, and page views plus click autocapture turned
 * on where they are opt-in, so every SDK watches roughly what frictionlog's defaults watch.
 */
export const PEERS = [
  {
    name: 'posthog-js',
    pkg: 'posthog-js',
    config:
      "defaults: '2026-08-30' (autocapture, page views on history change, page leave); advanced_disable_flags " +
      '(no /flags nor remote config, so what remote config would switch on, e.g. recordings, stays off); ' +
      'disable_surveys',
    source: `import posthog from 'posthog-js'
posthog.init('phc_bench', {
  api_host: ${endpoint}, defaults: '2026-08-30', advanced_disable_flags: true, disable_surveys: true
})
window.posthog = posthog`,
  },
  {
    name: 'mixpanel-browser',
    pkg: 'mixpanel-browser',
    config:
      "track_pageview: 'url-with-path', autocapture: true (its default autocapture set), persistence: " +
      "'localStorage' (both capture options are off by default)",
    source: `import mixpanel from 'mixpanel-browser'
mixpanel.init('bench_token', {
  api_host: ${endpoint}, track_pageview: 'url-with-path', autocapture: true, persistence: 'localStorage'
})
window.mixpanel = mixpanel`,
  },
  {
    name: '@amplitude/analytics-browser',
    pkg: '@amplitude/analytics-browser',
    config:
      'default autocapture (attribution, page views, sessions, form interactions, file downloads) + ' +
      'elementInteractions, fetchRemoteConfig: false',
    source: `import * as amplitude from '@amplitude/analytics-browser'
amplitude.init('bench_key', {
  serverUrl: ${endpoint} + '/2/httpapi', fetchRemoteConfig: false, autocapture: { elementInteractions: true }
})
window.amplitude = amplitude`,
  },
  {
    name: '@plausible-analytics/tracker',
    pkg: '@plausible-analytics/tracker',
    config:
      'pageviews (default) + outboundLinks, fileDownloads, formSubmissions; captureOnLocalhost (the page is on ' +
      '127.0.0.1)',
    source: `import { init } from '@plausible-analytics/tracker'
init({
  domain: 'bench.test', endpoint: ${endpoint} + '/api/event', captureOnLocalhost: true,
  outboundLinks: true, fileDownloads: true, formSubmissions: true
})`,
  },
]

export const slug = (name) => name.replace(/^@/, '').replace(/[^a-z0-9]+/gi, '-')

export const peerVersion = (pkg) =>
  JSON.parse(readFileSync(join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')).version

/** Options shared by every bundle in the benchmarks: one esbuild setup for everyone. */
export const BUNDLE_OPTIONS = {
  bundle: true,
  minify: true,
  platform: 'browser',
  target: 'es2020',
  legalComments: 'none',
  define: { 'process.env.NODE_ENV': '"production"' },
  logLevel: 'error',
}

/** Writes each peer's entry to bench/.tmp/peers/src and returns their paths by name. */
export const writePeerEntries = () => {
  const dir = ensureTmp('peers/src')
  return Object.fromEntries(
    PEERS.map((peer) => {
      const file = join(dir, `${slug(peer.name)}.js`)
      writeFileSync(file, peer.source)
      return [peer.name, file]
    }),
  )
}

/** Builds every peer as a minified IIFE at bench/.tmp/peers/<slug>.js, served as /peers/<slug>.js. */
export const buildPeerScripts = async () => {
  const entries = writePeerEntries()
  const out = ensureTmp('peers')
  for (const peer of PEERS) {
    await build({
      ...BUNDLE_OPTIONS,
      entryPoints: [entries[peer.name]],
      format: 'iife',
      outfile: join(out, `${slug(peer.name)}.js`),
    })
  }
}
