import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from 'playwright-core'
import { createCollector, createDashboard, readNdjson } from '../../../dist/collector/index.js'
import { createNdjsonSink } from '../../../dist/collector/index.js'
import { generateEvents } from '../../unit/report/fixtures'

/** Where the e2e suite keeps its screenshots (git-ignored; CI keeps them as artefacts). */
export const SCREENSHOTS_DIR = 'artifacts/screenshots'

export interface DashboardServer {
  /** The collector's and dashboard's origin, e.g. `http://127.0.0.1:41234`. */
  url: string
  /** Ingest endpoint of the same server. */
  endpoint: string
  dir: string
  /** Every stored event (raw, as the dashboard reads it). */
  readEvents(): Promise<any[]>
  waitForEvents(predicate: (events: any[]) => boolean, timeoutMs?: number): Promise<any[]>
  /** POSTs a batch to the ingest endpoint; resolves to the collector's JSON answer. */
  post(events: unknown[]): Promise<{ accepted: number; rejected?: unknown[] }>
  close(): Promise<void>
}

/**
 * The collector with the dashboard mounted, as `frictionlog collect` serves it, over an NDJSON
 * store seeded with `seedEvents` simulated events (the report's generator).
 */
export async function startDashboardServer(
  options: { seedEvents?: number; token?: string } = {},
): Promise<DashboardServer> {
  if (!existsSync('dist/dashboard/app.js'))
    throw new Error('dashboard e2e needs the build: run `npm run build` (dist/dashboard/app.js missing)')
  const dir = mkdtempSync(join(tmpdir(), 'fl-e2e-dashboard-'))
  if (options.seedEvents) {
    mkdirSync(dir, { recursive: true })
    const lines: string[] = []
    for (const event of generateEvents(options.seedEvents)) lines.push(JSON.stringify(event))
    // An older day: the live events of the tests land in today's file.
    writeFileSync(join(dir, 'events-2024-11-23.ndjson'), `${lines.join('\n')}\n`)
  }
  const collector = createCollector({ sink: createNdjsonSink({ dir }) })
  const dashboard = createDashboard({ dir, token: options.token })
  const listening = await collector.listen({ port: 0, host: '127.0.0.1', handlers: [dashboard.handle] })
  const readEvents = async () => {
    const events: any[] = []
    for await (const event of readNdjson(dir)) events.push(event)
    return events
  }
  return {
    url: listening.url,
    endpoint: `${listening.url}/e`,
    dir,
    readEvents,
    async waitForEvents(predicate, timeoutMs = 20_000) {
      const deadline = Date.now() + timeoutMs
      for (;;) {
        const events = await readEvents()
        if (predicate(events)) return events
        if (Date.now() > deadline)
          throw new Error(`waitForEvents: not met after ${timeoutMs} ms (${events.length} stored)`)
        await new Promise((done) => setTimeout(done, 100))
      }
    },
    async post(events) {
      // Sent right after the newest event, as a browser does: the collector refuses events far
      // older than their batch's sentAt (the fixtures' events are from a fixed past day).
      const times = events.map((event) => (event as { ts?: unknown }).ts).filter((ts) => typeof ts === 'number')
      const sentAt = times.length > 0 ? Math.max(...(times as number[])) : Date.now()
      const response = await fetch(`${listening.url}/e`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ v: 1, site: 'e2e', sentAt, events }),
      })
      return (await response.json()) as { accepted: number; rejected?: unknown[] }
    },
    async close() {
      await listening.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/**
 * Records in the page what must never happen in the dashboard: CSP violations (an injection
 * the escaping missed and the policy blocked) and dialogs. Call before the first navigation.
 */
export async function watchForInjection(
  page: Page,
): Promise<{ violations: () => Promise<string[]>; dialogs: string[]; errors: string[] }> {
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message())
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => errors.push(String(error)))
  page.on('console', (message) => {
    // The heatmap's frame of the site's page runs no scripts, by design: Chromium says so.
    if (message.type() === 'error' && !/frame is sandboxed and the 'allow-scripts'/.test(message.text())) {
      errors.push(`console: ${message.text()}`)
    }
  })
  page.on('response', (response) => {
    if (response.status() >= 400) errors.push(`HTTP ${response.status()} ${response.url()}`)
  })
  await page.addInitScript(() => {
    ;(window as any).__violations = []
    document.addEventListener('securitypolicyviolation', (event) => {
      ;(window as any).__violations.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`)
    })
  })
  return { violations: () => page.evaluate(() => (window as any).__violations as string[]), dialogs, errors }
}
