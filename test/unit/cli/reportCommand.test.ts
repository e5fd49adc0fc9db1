// @vitest-environment node
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../../../src/cli/runCli'
import type { Report } from '../../../src/collector/index'
import { emptyTruth, generateEvents } from '../report/fixtures'
import { makeEvent } from '../support/events'

const io = () => {
  const out: string[] = []
  const err: string[] = []
  return {
    out,
    err,
    io: {
      stdout: (l: string) => out.push(l),
      stderr: (l: string) => err.push(l),
      signal: new AbortController().signal,
    },
  }
}

const dirs: string[] = []
const tempDir = async () => {
  const dir = await mkdtemp(join(tmpdir(), 'frictionlog-report-'))
  dirs.push(dir)
  return dir
}
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))))

describe('frictionlog report', () => {
  it('is listed in the commands and prints its options on --help', async () => {
    const t = io()
    expect(await runCli(['--help'], t.io)).toBe(0)
    expect(t.out.join('\n')).toMatch(/report\s+summarize stored events/)
    const h = io()
    expect(await runCli(['report', '--help'], h.io)).toBe(0)
    expect(h.out.join('\n')).toMatch(/Usage: frictionlog report[\s\S]*--funnel[\s\S]*--goal[\s\S]*--html[\s\S]*--json/)
  })

  it.each([
    [['report', '--dir', '/nonexistent/frictionlog']],
    [['report', '--top', '0']],
    [['report', '--nope']],
    [['report', 'extra']],
  ])('exits 2 with a message on bad arguments: %j', async (argv) => {
    const t = io()
    expect(await runCli(argv, t.io)).toBe(2)
    expect(t.err.join('\n')).toContain('Usage: frictionlog report')
  })

  it('names the missing folder', async () => {
    const t = io()
    expect(await runCli(['report', '--dir', '/nonexistent/frictionlog'], t.io)).toBe(2)
    expect(t.err[0]).toContain('no such folder "/nonexistent/frictionlog"')
  })

  it('says there is no data yet and exits 0 on an empty folder', async () => {
    const dir = await tempDir()
    const t = io()
    expect(await runCli(['report', '--dir', dir, '--html', join(dir, 'r.html')], t.io)).toBe(0)
    expect(t.out.join('\n')).toMatch(/No events in .* yet/)
  })

  it('reports 20 000 generated events with the exact totals, as JSON, text and HTML', async () => {
    const dir = await tempDir()
    const truth = emptyTruth()
    const lines: string[] = []
    for (const event of generateEvents(20_000, truth)) lines.push(JSON.stringify(event))
    // Two days, and a torn last line as a crash would leave: the reader skips it.
    await writeFile(join(dir, 'events-2024-11-23.ndjson'), `${lines.slice(0, 9_000).join('\n')}\n`)
    await writeFile(join(dir, 'events-2024-11-24.ndjson'), `${lines.slice(9_000).join('\n')}\n{"id":"torn`)

    const json = io()
    expect(await runCli(['report', '--dir', dir, '--json'], json.io)).toBe(0)
    const report = JSON.parse(json.out.join('\n')) as Report
    expect(report.totals).toMatchObject({
      events: 20_000,
      sessions: truth.sessions,
      visitors: truth.visitors.size,
      pageViews: truth.pageViews,
      byType: truth.byType,
    })
    expect(report.conversion).toMatchObject({ kind: 'funnel', funnel: 'checkout', step: 'done' })
    const variants = Object.fromEntries(
      report.experiments[0].variants.map((v) => [v.variant, { exposed: v.exposed, converted: v.conversions }]),
    )
    expect(variants).toEqual(truth.variants)
    expect(report.friction.errors.reduce((sum, e) => sum + e.count, 0)).toBe(truth.errorCount)
    expect(report.health?.reports).toBe(truth.byType.sdk_health)

    const html = join(dir, 'report.html')
    const text = io()
    expect(await runCli(['report', '--dir', dir, '--html', html, '--funnel', 'signup'], text.io)).toBe(0)
    expect(text.out.join('\n')).toContain('conversion: the session reached step 2 "account" of funnel "signup"')
    expect(text.out.at(-1)).toBe(`HTML report written to ${html}`)
    expect(await readFile(html, 'utf8')).toContain('<svg')
  })

  it.each([
    [['report', '--since', 'yesterday']],
    [['report', '--until', '2024-13-01']],
    [['report', '--site', '']],
    [['report', '--since', '1d', '--until', '2d']],
  ])('exits 2 on a bad filter: %j', async (argv) => {
    const t = io()
    expect(await runCli(argv, t.io)).toBe(2)
  })

  it('filters by --site, --since and --until', async () => {
    const dir = await tempDir()
    const day = Date.parse('2026-11-01T00:00:00Z')
    const lines = [
      makeEvent({ type: 'page', path: '/', title: 't', navigation: 'load', site: 'shop', ts: day }),
      makeEvent({ type: 'page', path: '/', title: 't', navigation: 'load', site: 'shop', ts: day + 86_400_000 }),
      makeEvent({ type: 'page', path: '/', title: 't', navigation: 'load', site: 'demo', ts: day + 86_400_000 }),
    ].map((e) => JSON.stringify(e))
    await writeFile(join(dir, 'events-2026-11-01.ndjson'), `${lines.join('\n')}\n`)
    const run = async (...args: string[]) => {
      const t = io()
      expect(await runCli(['report', '--dir', dir, '--json', ...args], t.io)).toBe(0)
      return (JSON.parse(t.out.join('\n')) as Report).totals
    }
    expect((await run('--site', 'shop')).events).toBe(2)
    expect((await run('--site', 'shop', '--since', '2026-11-02')).events).toBe(1)
    expect((await run('--until', '2026-11-02T00:00')).events).toBe(1)
    expect(await run('--site', 'demo', '--since', '2026-11-02T00:00Z', '--until', '2026-11-03')).toMatchObject({
      events: 1,
      filteredOut: 2,
    })
    const none = io()
    expect(await runCli(['report', '--dir', dir, '--site', 'other'], none.io)).toBe(0)
    expect(none.out.join('\n')).toContain('match the filters (3 stored events left out')
  })

  it('survives stored events the schema accepted with timestamps no Date holds, and writes the HTML', async () => {
    const dir = await tempDir()
    const lines = [
      makeEvent({ ts: 9_000_000_000_000_000 }),
      makeEvent({ type: 'replay', seq: 0, events: [], startTs: 1e300, endTs: 1e300 }),
      makeEvent({
        type: 'error',
        source: 'onerror',
        message: '\x1b]0;owned\x07\x1b[2J',
        errorType: 'E',
        stack: [],
        fingerprint: 'f',
        count: 1,
      }),
    ].map((e) => JSON.stringify(e))
    await writeFile(join(dir, 'events-2026-11-01.ndjson'), `${lines.join('\n')}\n`)
    const html = join(dir, 'r.html')
    const t = io()
    expect(await runCli(['report', '--dir', dir, '--html', html], t.io)).toBe(0)
    const out = t.out.join('\n')
    expect(out).toContain('Recorded sessions')
    expect(out).toContain('invalid time')
    expect(out).not.toContain('\x1b')
    expect(await readFile(html, 'utf8')).toContain('<h2>Recorded sessions</h2>')
  })
})
