// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml, renderReportText } from '../../../src/collector/index'
import { MAX_REPLAY_SESSIONS } from '../../../src/report/replays'
import { makeEvent } from '../support/events'

const T0 = Date.UTC(2024, 10, 23, 9, 0, 0)

/** A `replay` chunk of `sessionId`/`pageId` covering [start, end] (ms after T0). */
const chunk = (
  sessionId: string,
  pageId: string,
  seq: number,
  start: number,
  end: number,
  events: unknown[] | string,
) =>
  makeEvent({ type: 'replay', sessionId, pageId, seq, events, startTs: T0 + start, endTs: T0 + end, ts: T0 + end + 5 })

// Three recorded sessions, chunks out of order, mixed compressed and JSON payloads, plus
// events that are not replays (they must not count) and a session without any recording.
const GZIPPED = 'H4sIAAAAAAAAA4uOBQApu0wNAgAAAA==' // 32 characters
const RAW = [{ type: 4, timestamp: T0, data: {} }]
const RAW_BYTES = Buffer.byteLength(JSON.stringify(RAW))
const dataset = [
  chunk('alpha', 'a-p1', 1, 1_000, 11_000, GZIPPED),
  makeEvent({ type: 'page', sessionId: 'alpha', pageId: 'a-p1', ts: T0 }),
  chunk('alpha', 'a-p1', 0, 0, 1_000, GZIPPED),
  chunk('alpha', 'a-p2', 0, 30_000, 32_500, RAW),
  chunk('beta', 'b-p1', 0, 60_000, 61_000, GZIPPED),
  chunk('gamma', 'g-p1', 0, 5_000, 5_000, RAW),
  makeEvent({ type: 'scroll', sessionId: 'delta', pageId: 'd-p1', ts: T0 + 90_000 }),
]

describe('report: recorded sessions', () => {
  it('sums chunks, bytes, pages and the recorded span per session, most recent first', async () => {
    const report = await buildReport(dataset)
    expect(report.totals.byType.replay).toBe(5)
    expect(report.replays.sessions).toBe(3)
    expect(report.replays.list).toEqual([
      {
        sessionId: 'beta',
        pages: 1,
        chunks: 1,
        bytes: 32,
        firstTs: T0 + 60_000,
        lastTs: T0 + 61_000,
        durationMs: 1_000,
      },
      {
        sessionId: 'alpha',
        pages: 2,
        chunks: 3,
        bytes: 64 + RAW_BYTES,
        firstTs: T0,
        lastTs: T0 + 32_500,
        durationMs: 32_500,
      },
      {
        sessionId: 'gamma',
        pages: 1,
        chunks: 1,
        bytes: RAW_BYTES,
        firstTs: T0 + 5_000,
        lastTs: T0 + 5_000,
        durationMs: 0,
      },
    ])
    // Plain JSON: what `--json` prints round-trips.
    expect(JSON.parse(JSON.stringify(report)).replays).toEqual(report.replays)
  })

  it('is empty without replay events, and tolerates malformed chunks', async () => {
    expect((await buildReport([makeEvent({ type: 'page' })])).replays).toEqual({ sessions: 0, list: [] })
    const odd = await buildReport([{ type: 'replay', sessionId: 's', events: 42, startTs: 'x' }])
    expect(odd.replays.list).toEqual([
      { sessionId: 's', pages: 0, chunks: 1, bytes: 0, firstTs: null, lastTs: null, durationMs: null },
    ])
  })

  it(`keeps the ${MAX_REPLAY_SESSIONS} most recent sessions`, async () => {
    const many = Array.from({ length: MAX_REPLAY_SESSIONS + 10 }, (_, i) =>
      chunk(`s${i}`, `p${i}`, 0, i * 1_000, i * 1_000 + 500, GZIPPED),
    )
    const report = await buildReport(many.reverse())
    expect(report.replays.sessions).toBe(MAX_REPLAY_SESSIONS + 10)
    expect(report.replays.list).toHaveLength(MAX_REPLAY_SESSIONS)
    expect(report.replays.list[0].sessionId).toBe(`s${MAX_REPLAY_SESSIONS + 9}`)
    expect(report.replays.list.at(-1)!.sessionId).toBe('s10')
  })

  it('renders a short table in text (top N rows) and HTML (escaped)', async () => {
    const report = await buildReport([...dataset, chunk('<b>x</b>', 'x-p1', 0, 1_000, 2_000, GZIPPED)])
    const text = renderReportText(report, { top: 2 })
    const section = text.slice(text.indexOf('Recorded sessions'))
    expect(section).toMatch(/^Recorded sessions \(4, most recent first\)/)
    expect(section).toMatch(/session\s+pages\s+chunks\s+bytes\s+first \(UTC\)\s+last \(UTC\)\s+duration/)
    expect(section).toMatch(/ {2}beta\s+1\s+1\s+32\s+2024-11-23 09:01:00\s+2024-11-23 09:01:01\s+1\.0 s/)
    expect(section).toMatch(/ {2}alpha\s+2\s+3\s+\d+\s+2024-11-23 09:00:00\s+2024-11-23 09:00:32\s+32\.5 s/)
    expect(section).not.toContain('gamma')

    const html = renderReportHtml(report)
    expect(html).toContain('<h2>Recorded sessions</h2>')
    expect(html).toContain('<code>beta</code>')
    expect(html).toContain('<code>&#60;b&#62;x&#60;/b&#62;</code>')
    expect(html).not.toContain('<b>x</b>')
    expect(html).toMatch(/<code>alpha<\/code><\/td><td class="num">2<\/td><td class="num">3<\/td>/)
  })

  it('leaves the text and HTML reports without the section when nothing was recorded', async () => {
    const report = await buildReport([makeEvent({ type: 'page' })])
    expect(renderReportText(report)).not.toContain('Recorded sessions')
    expect(renderReportHtml(report)).not.toContain('Recorded sessions')
  })
})
