import { gunzipSync } from 'node:zlib'
import { describe, expect, test } from 'vitest'
import type { Page } from 'playwright-core'
import type { FrictionEvent } from '../../dist/schema/index.js'
import { closePage } from './support/page'
import { newRun, useSuite } from './support/suite'

// SPEC `frictionlog/replay`, cost: what recording costs a heavy page. A page of 20,000 elements
// with one element whose `style` a requestAnimationFrame loop rewrites every frame for 5 s,
// measured in real Chromium (ESM build) with and without `replay()`: the rrweb event rate of
// what reaches the collector (the style throttle at work), and the page's long tasks. And the
// other side of the snapshot cap: a page over `maxSnapshotNodes` is not recorded at all and
// says so in `sdk_health`.
const suite = useSuite()
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

const NODES = 20_000
const CHURN_MS = 5_000
// Above the page's element and text-node count, so the 20k page is recorded in the cost run…
const RECORDING_MAX_NODES = 50_000
// …and below it for the "too large" run (the reason string is the one `src/replay` drops with).
const SMALL_MAX_NODES = 5_000
const TOO_LARGE_REASON = 'replay-dom-too-large'
const CHUNK_MS = 1_000

// Budgets, from what was measured on a 2-core container (headless Chromium 56–60 fps; see the
// [numbers] line): 8.8–9.4 rrweb events/s during the churn, all of them #mover style mutations
// (60/s would be one per frame); without replay no long task at all; with replay one: the
// synchronous full snapshot rrweb takes in the consent call (222–505 ms for 20k elements).
// Preparing that snapshot (scrubbing, splitting, serializing) runs in 8 ms slices between the
// page's tasks: 0 ms of long tasks after the snapshot (it was one ~340 ms task before the
// slicing). The snapshot itself is rrweb's synchronous cost, a timing that `npm run bench`
// measures (replay section) and this test only logs (it read 1,112 ms on a loaded box). The
// churn budget fails on preparation done in one go again; the rate budgets fail at once if the
// throttle stops working.
/**
 * The 100 ms style throttle allows ~10 mutations/s per element (8.8–9.4 measured); one per frame
 * (~60/s) without it.
 */
const MAX_MOVER_STYLE_MUTATIONS_PER_S = 15
/** All rrweb events recorded per second during the churn (8.8–9.4 measured: the mover only). */
const MAX_RRWEB_EVENTS_PER_S = 20
/** Long tasks after the snapshot task, during the 5 s churn (0 ms measured; one ~340 ms task before slicing). */
const MAX_CHURN_LONG_TASK_MS_WITH_REPLAY = 200

type ReplayEvent = Extract<FrictionEvent, { type: 'replay' }>
const ofSite = (events: FrictionEvent[], site: string) =>
  events.filter((event) => new URL(event.url, 'http://x').searchParams.get('site') === site)
const replaysOf = (events: FrictionEvent[], site: string) =>
  ofSite(events, site).filter((event): event is ReplayEvent => event.type === 'replay')
const decode = (events: ReplayEvent['events']): any[] =>
  Array.isArray(events) ? events : JSON.parse(gunzipSync(Buffer.from(events as string, 'base64')).toString('utf8'))

const INCREMENTAL = 3
const FULL_SNAPSHOT = 2
const MUTATION = 0

interface Churn {
  grantAt: number
  grantedAt: number
  startedAt: number
  endedAt: number
  frames: number
  timeOrigin: number
}
interface LongTask {
  start: number
  duration: number
}

/** Opens the churn page, grants consent and churns for CHURN_MS; returns the timings and long tasks. */
const runChurn = async (page: Page) => {
  const churn = (await page.evaluate((ms) => (window as any).churn(ms), CHURN_MS)) as Churn
  // Long-task entries are delivered asynchronously: give the observer a moment.
  await sleep(300)
  const tasks = (await page.evaluate(() => window.longTasks)) as LongTask[] | null
  expect(tasks, 'PerformanceObserver longtask unsupported').not.toBeNull()
  const window_ = tasks!.filter((task) => task.start + task.duration > churn.grantAt && task.start < churn.endedAt)
  // The snapshot task: the one running while consent was granted (record() snapshots synchronously).
  const snapshot = window_.filter(
    (task) => task.start <= churn.grantedAt && task.start + task.duration >= churn.grantAt,
  )
  const during = window_.filter((task) => !snapshot.includes(task))
  const sum = (list: LongTask[]) => Math.round(list.reduce((total, task) => total + task.duration, 0))
  return {
    churn,
    grantMs: Math.round(churn.grantedAt - churn.grantAt),
    longTasks: window_.length,
    totalMs: sum(window_),
    maxMs: Math.round(Math.max(0, ...window_.map((task) => task.duration))),
    snapshotMs: sum(snapshot),
    duringMs: sum(during),
  }
}

/** Finds the rrweb id of the element with `id` in the snapshot or its split-off mutation adds. */
const findNodeId = (value: any, elementId: string): number | undefined => {
  if (!value || typeof value !== 'object') return undefined
  if (value.type === 2 && value.attributes?.id === elementId && typeof value.id === 'number') return value.id
  for (const key in value) {
    const found = findNodeId(value[key], elementId)
    if (found !== undefined) return found
  }
  return undefined
}

const waitForLeave = async (run: string) => {
  await suite.collector.waitForEvents(
    (events) => ofSite(events, run).some((event) => event.type === 'page_leave'),
    10_000,
  )
  await sleep(500)
  return ofSite(await suite.collector.readEvents(), run)
}

describe('replay cost (esm)', () => {
  test('20k-node page, JS animation: throttled event rate, bounded long tasks with or without replay', async () => {
    // Without replay first: the same page, the same churn, no recorder.
    const bareRun = newRun('replay-cost-bare')
    const barePage = await suite.open('esm', bareRun, { nodes: NODES, replay: 0 }, 'replay-churn')
    expect(await barePage.evaluate(() => document.getElementsByTagName('*').length)).toBeGreaterThanOrEqual(NODES)
    const bare = await runChurn(barePage)
    await closePage(barePage)

    const run = newRun('replay-cost')
    const page = await suite.open(
      'esm',
      run,
      { nodes: NODES, replay: 1, maxNodes: RECORDING_MAX_NODES, chunkMs: CHUNK_MS },
      'replay-churn',
    )
    const withReplay = await runChurn(page)
    await sleep(CHUNK_MS + 500)
    await closePage(page)
    const events = await waitForLeave(run)
    const replays = replaysOf(events, run).sort((a, b) => a.seq - b.seq)
    expect(replays.length).toBeGreaterThanOrEqual(2)
    const rr = replays.flatMap((event) => decode(event.events))

    // The recording is real: one full snapshot of the whole 20k page, the mover in it.
    expect(rr.filter((event) => event.type === FULL_SNAPSHOT)).toHaveLength(1)
    const moverId = findNodeId(rr, 'mover')
    expect(moverId, '#mover in the snapshot').toBeTypeOf('number')
    const snapshotText = JSON.stringify(
      rr.filter(
        (event) =>
          event.type === FULL_SNAPSHOT ||
          (event.type === INCREMENTAL && event.data?.source === MUTATION && event.data.adds?.length),
      ),
    )
    expect(snapshotText.match(/"tagName":"span"/g)?.length ?? 0).toBeGreaterThanOrEqual(NODES * 0.9 - 100)

    // Event rate during the churn (epoch ms: rrweb timestamps are Date.now()).
    const { churn } = withReplay
    const from = churn.timeOrigin + churn.startedAt
    const to = churn.timeOrigin + churn.endedAt
    const seconds = (to - from) / 1000
    const inChurn = rr.filter((event) => event.timestamp >= from && event.timestamp <= to + 150)
    const moverStyles = inChurn
      .filter((event) => event.type === INCREMENTAL && event.data?.source === MUTATION)
      .flatMap((event) => event.data.attributes as Array<{ id: number; attributes: Record<string, unknown> }>)
      .filter((item) => item.id === moverId && 'style' in item.attributes)
    const moverPerSecond = moverStyles.length / seconds
    const eventsPerSecond = inChurn.length / seconds
    // The churn really changed the style every frame, and the recording really carries it.
    expect(churn.frames / seconds).toBeGreaterThan(20)
    expect(moverStyles.length).toBeGreaterThanOrEqual(Math.floor(seconds * 5))

    const bytes = replays.reduce((total, event) => total + Buffer.byteLength(JSON.stringify(event.events)), 0)
    console.log(
      `[numbers] churn ${seconds.toFixed(2)} s, ${churn.frames} frames (${(churn.frames / seconds).toFixed(0)} fps); ` +
        `replay: ${replays.length} chunks, ${bytes} B, ${rr.length} rrweb events, ${inChurn.length} during churn = ` +
        `${eventsPerSecond.toFixed(1)}/s, ` +
        `#mover style mutations ${moverStyles.length} = ${moverPerSecond.toFixed(1)}/s; ` +
        `long tasks without replay: ${bare.longTasks} tasks, total ${bare.totalMs} ms, max ${bare.maxMs} ms, ` +
        `consent call ${bare.grantMs} ms; ` +
        `with replay: ${withReplay.longTasks} tasks, total ${withReplay.totalMs} ms, max ${withReplay.maxMs} ms, ` +
        `snapshot task ${withReplay.snapshotMs} ms (consent call ${withReplay.grantMs} ms), after snapshot ` +
        `${withReplay.duringMs} ms`,
    )

    expect(moverPerSecond).toBeLessThanOrEqual(MAX_MOVER_STYLE_MUTATIONS_PER_S)
    expect(eventsPerSecond).toBeLessThanOrEqual(MAX_RRWEB_EVENTS_PER_S)
    expect(withReplay.duringMs).toBeLessThanOrEqual(MAX_CHURN_LONG_TASK_MS_WITH_REPLAY)
  }, 90_000)

  test(`a page over maxSnapshotNodes is not recorded and reports '${TOO_LARGE_REASON}'`, async () => {
    const run = newRun('replay-cost-too-large')
    const page = await suite.open(
      'esm',
      run,
      { nodes: NODES, replay: 1, maxNodes: SMALL_MAX_NODES, chunkMs: CHUNK_MS },
      'replay-churn',
    )
    const result = await runChurn(page)
    await sleep(CHUNK_MS + 500)
    await closePage(page)
    const events = await waitForLeave(run)
    expect(replaysOf(events, run)).toEqual([])
    const health = events.filter(
      (event): event is Extract<FrictionEvent, { type: 'sdk_health' }> => event.type === 'sdk_health',
    )
    const dropped = health.reduce((total, event) => total + (event.dropped[TOO_LARGE_REASON] ?? 0), 0)
    expect(dropped).toBeGreaterThanOrEqual(1)
    // Refusing takes no snapshot (no replay event above), only an element count: its consent
    // call took 4–26 ms on an idle box (206 ms once on a box shared with other browsers, which
    // is why it is reported here, not asserted).
    console.log(
      `[numbers] over maxSnapshotNodes: ${dropped} × ${TOO_LARGE_REASON}, consent call ${result.grantMs} ms, long ` +
        `tasks ${result.totalMs} ms`,
    )
  }, 60_000)
})
