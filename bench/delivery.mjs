// Delivery through the real collector (dist/collector, NDJSON sink in a temp dir) behind a
// recording proxy that logs every request body's size and Content-Encoding and can abort
// sockets. The page loads dist/frictionlog.global.js as a script tag with its defaults.
//   close400  30 events of ~3 KB, tab closed 400 ms after load; the next page sends the rest
//   outage    collector unreachable (sockets aborted) while 50 events are tracked, then back
//   burst     2,000 track() calls in one task
/* global window, performance -- inside page.evaluate callbacks, which run in the page */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { closePage, closeRig, markdownTable, round, sleep, startRig, textTable } from './lib.mjs'

const attr = (value) => String(value).replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`)
const sdkTag = ({ endpoint, site }) =>
  endpoint
    ? `<script src="/frictionlog.global.js" data-endpoint="${attr(endpoint)}" data-site="${attr(site)}"></script>`
    : ''

const DOWN_MS = 5000
let runs = 0
const newRun = (label) => `${label}-${Date.now().toString(36)}-${++runs}`

/** Stored track events of one scenario, and how many of its indexes arrived once or more. */
const storedOf = async (collector, run, expected) => {
  const mine = (await collector.readEvents()).filter((event) => event.type === 'track' && event.props?.run === run)
  const indexes = new Set(mine.map((event) => event.props.i))
  return { stored: mine.length, unique: indexes.size, missing: expected - indexes.size }
}

const waitStored = async (collector, run, expected, timeoutMs) => {
  const deadline = Date.now() + timeoutMs
  let last
  while (Date.now() < deadline) {
    last = await storedOf(collector, run, expected)
    if (last.missing === 0) return { ...last, at: Date.now() }
    await sleep(100)
  }
  return { ...last, at: null }
}

/** Wire statistics of a scenario's POSTs: bytes per event as sent and as JSON, gzip share. */
const wireOf = (recorder, from, to = Infinity) => {
  const posts = recorder.requests.filter(
    (request) => request.method === 'POST' && request.path.startsWith('/e') && request.at >= from && request.at <= to,
  )
  const delivered = posts.filter((request) => request.outcome !== 'aborted')
  const events = delivered.reduce((sum, request) => sum + (request.events ?? 0), 0)
  const gzip = delivered.filter((request) => request.contentEncoding === 'gzip')
  const plain = delivered.filter((request) => request.contentEncoding !== 'gzip')
  const perEvent = (list, key) => {
    const n = list.reduce((sum, request) => sum + (request.events ?? 0), 0)
    return n ? round(list.reduce((sum, request) => sum + request[key], 0) / n, 0) : null
  }
  return {
    posts: posts.length,
    aborted: posts.length - delivered.length,
    gzipPosts: gzip.length,
    plainPosts: plain.length,
    eventsInDeliveredPosts: events,
    jsonBytesPerEvent: perEvent(delivered, 'decodedBytes'),
    wireBytesPerEvent: perEvent(delivered, 'bytes'),
    gzipWireBytesPerEvent: perEvent(gzip, 'bytes'),
    gzipJsonBytesPerEvent: perEvent(gzip, 'decodedBytes'),
    plainBytesPerEvent: perEvent(plain, 'bytes'),
    maxBodyBytes: Math.max(0, ...delivered.map((request) => request.bytes)),
  }
}

const open = async (context, server, recorder, site) => {
  const page = await context.newPage()
  const query = `endpoint=${encodeURIComponent(recorder.origin + '/e')}&site=${encodeURIComponent(site)}`
  await page.goto(`${server.origin}/delivery.html?${query}`)
  await page.waitForFunction(() => typeof window.frictionlog?.track === 'function')
  return page
}

const close400 = async ({ chromium, server, recorder, collector }) => {
  const run = newRun('close400')
  const context = await chromium.newContext()
  const from = Date.now()
  const duplicatesBefore = collector.stats().duplicates
  const page = await open(context, server, recorder, run)
  await page.evaluate((run) => {
    const pad = 'x'.repeat(3000)
    for (let i = 0; i < 30; i++) window.frictionlog.track('big', { run, i, pad })
  }, run)
  await page.waitForFunction(() => performance.now() >= 400, undefined, { polling: 10 })
  const closedAt = Date.now()
  await closePage(page)
  await sleep(1500)
  const atExit = await storedOf(collector, run, 30)
  const exitWire = wireOf(recorder, closedAt)
  const next = await open(context, server, recorder, run)
  const after = await waitStored(collector, run, 30, 15_000)
  await next.close()
  await context.close()
  return {
    scenario: '30 events of ~3 KB, tab closed 400 ms after load',
    sent: 30,
    storedAtExit: atExit.unique,
    storedAfterNextPage: after.unique,
    storedTotal: after.stored,
    duplicatesDropped: collector.stats().duplicates - duplicatesBefore,
    postsAtExit: exitWire.posts,
    ...wireOf(recorder, from),
  }
}

const outage = async ({ chromium, server, recorder, collector }) => {
  const run = newRun('outage')
  const context = await chromium.newContext()
  const from = Date.now()
  const duplicatesBefore = collector.stats().duplicates
  recorder.setFault('abort')
  const page = await open(context, server, recorder, run)
  await page.evaluate((run) => {
    for (let i = 0; i < 50; i++) window.frictionlog.track('outage', { run, i, label: 'item ' + i })
    window.frictionlog.flush().catch(() => {})
  }, run)
  // Down for 5 s: the first attempt and the retries of the backoff fail.
  await sleep(DOWN_MS)
  const abortedWhileDown = recorder.requests.filter((r) => r.at >= from && r.path.startsWith('/e')).length
  recorder.setFault(null)
  const healedAt = Date.now()
  const result = await waitStored(collector, run, 50, 65_000)
  await sleep(300)
  const final = await storedOf(collector, run, 50)
  await page.close()
  await context.close()
  return {
    scenario: 'collector unreachable (sockets aborted), then back; 50 events',
    sent: 50,
    downMs: healedAt - from,
    abortedWhileDown,
    recoveredMs: result.at ? result.at - healedAt : null,
    storedTotal: final.stored,
    storedUnique: final.unique,
    duplicatesDropped: collector.stats().duplicates - duplicatesBefore,
    // When each request came, relative to the page load; the collector was back at downMs.
    attempts: recorder.requests
      .filter((r) => r.at >= from && r.path.startsWith('/e'))
      .map((r) => `${r.at - from}ms ${r.method} ${r.contentEncoding ?? 'plain'} ${r.events ?? ''} ${r.outcome}`),
    ...wireOf(recorder, from),
  }
}

const burst = async ({ chromium, server, recorder, collector }) => {
  const run = newRun('burst')
  const context = await chromium.newContext()
  const from = Date.now()
  const duplicatesBefore = collector.stats().duplicates
  const page = await open(context, server, recorder, run)
  const { loopMs, startedAt } = await page.evaluate((run) => {
    window.__longTasks.length = 0
    const startedAt = performance.now()
    for (let i = 0; i < 2000; i++) window.frictionlog.track('burst', { run, i, label: 'item ' + i })
    return { loopMs: performance.now() - startedAt, startedAt }
  }, run)
  const trackedAt = Date.now()
  const result = await waitStored(collector, run, 2000, 60_000)
  const tasks = await page.evaluate(
    (from) => window.__longTasks.filter((task) => task.start + task.duration >= from),
    startedAt,
  )
  await sleep(300)
  const final = await storedOf(collector, run, 2000)
  await page.close()
  await context.close()
  return {
    scenario: '2,000 track() calls in one task',
    sent: 2000,
    trackLoopMs: round(loopMs, 1),
    deliveredAllMs: result.at ? result.at - trackedAt : null,
    longTasks: tasks.length,
    longestLongTaskMs: round(Math.max(0, ...tasks.map((task) => task.duration)), 0),
    storedTotal: final.stored,
    storedUnique: final.unique,
    duplicatesDropped: collector.stats().duplicates - duplicatesBefore,
    ...wireOf(recorder, from),
  }
}

export const run = async ({ log = () => {} } = {}) => {
  const work = mkdtempSync(join(tmpdir(), 'fl-bench-delivery-'))
  const rig = await startRig(work, () => sdkTag)
  const { collector, recorder, server, chromium } = rig
  const scenarios = []
  try {
    for (const scenario of [close400, outage, burst]) {
      const result = await scenario({ chromium, server, recorder, collector })
      log(`  delivery ${scenario.name}: ${JSON.stringify(result)}`)
      scenarios.push(result)
    }
  } finally {
    await closeRig(rig)
  }
  return { runs: 1, scenarios }
}

export const tables = (result) => {
  const headers = [
    'scenario',
    'sent',
    'stored (unique)',
    'duplicates dropped',
    'POSTs (aborted)',
    'gzip / plain POSTs',
    'JSON B/event',
    'wire B/event',
    'gzip: wire/JSON B/event',
    'plain B/event',
    'max body B',
  ]
  const rows = result.scenarios.map((s) => [
    s.scenario,
    s.sent,
    s.storedUnique ?? s.storedAfterNextPage,
    s.duplicatesDropped,
    `${s.posts} (${s.aborted})`,
    `${s.gzipPosts} / ${s.plainPosts}`,
    s.jsonBytesPerEvent,
    s.wireBytesPerEvent,
    s.gzipWireBytesPerEvent === null ? '—' : `${s.gzipWireBytesPerEvent} / ${s.gzipJsonBytesPerEvent}`,
    s.plainBytesPerEvent ?? '—',
    s.maxBodyBytes,
  ])
  const [exit, down, many] = result.scenarios
  const notes = [
    `close400: ${exit.storedAtExit}/30 stored by the closing page (${exit.postsAtExit} requests at exit), ` +
      `${exit.storedAfterNextPage}/30 once the next page of the site loaded.`,
    `outage: down ${(down.downMs / 1000).toFixed(1)} s (${down.abortedWhileDown} requests aborted, preflights ` +
      `included), all 50 stored ` +
      `${down.recoveredMs === null ? 'NOT within 65 s' : `${(down.recoveredMs / 1000).toFixed(1)} s`} after ` +
      `the collector came back.`,
    `outage attempts (ms after load: method, encoding, events, outcome): ` +
      `${down.attempts.filter((a) => a.includes('POST')).join('; ')}. The SDK backs off exponentially (1 s base, ` +
      `×2, capped at 60 s, jittered), so the recovery time depends on where in that schedule the collector ` +
      `comes back.`,
    `burst: 2,000 track() calls took ${many.trackLoopMs} ms on the page, ${many.longTasks} long task(s) after ` +
      `them (longest ${many.longestLongTaskMs} ms), all stored ` +
      `${many.deliveredAllMs === null ? 'NOT within 60 s' : `${(many.deliveredAllMs / 1000).toFixed(1)} s`} later.`,
  ]
  return {
    text: textTable('Delivery (real collector, one run each)', headers, rows) + '\n' + notes.join('\n'),
    markdown: markdownTable(headers, rows) + '\n\n' + notes.map((note) => `- ${note}`).join('\n'),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run({ log: console.log })
  console.log(tables(result).text)
}
