// The one place that says how the e2e suite, `--simulate` and the benchmarks start Chromium:
// Debian's system browser (never downloaded), offline but for loopback, no background traffic.

/** The system Chromium; `FL_CHROMIUM` points elsewhere. */
export const CHROMIUM_PATH = process.env.FL_CHROMIUM ?? '/usr/bin/chromium'

/** Flags: every host but 127.0.0.1 fails to resolve (not `page.route`, which can lose what a closing page sends). */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
]
