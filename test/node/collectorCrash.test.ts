// The collector process under crashes, an unwritable disk, SIGTERM and a bounded soak: the real
// CLI (`node dist/cli/bin.js collect`, so run `npm run build` first) fed by Node senders that
// retry as the SDK does (same ids until a 200), checked by reading the NDJSON files back.
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readNdjson } from '../../dist/collector/index.js'
import { buildReport } from '../../dist/report/index.js'

const ROOT = resolve(__dirname, '../..')
const BIN = join(ROOT, 'dist/cli/bin.js')
/** How long the soak runs; CI keeps the default, a local run can stretch it. */
const SOAK_MS = Number(process.env.FL_SOAK_MS ?? 45_000)
const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms))

interface Collector {
  child: ChildProcess
  url: string
  stderr: string[]
  exited: Promise<number | null>
}

/** Starts `frictionlog collect` on a free port and resolves once it listens. */
async function startCollector(dir: string): Promise<Collector> {
  const child = spawn(process.execPath, [BIN, 'collect', '--port', '0', '--dir', dir, '--quiet'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stderr: string[] = []
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)))
  const url = await new Promise<string>((done, fail) => {
    let out = ''
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (http:\/\/[^,\s]+)/.exec(out)
      if (match) done(match[1])
    })
    child.once('exit', () => fail(new Error(`collector exited before listening: ${stderr.join('')}`)))
  })
  return { child, url, stderr, exited }
}

/** One POST with Node's http client (no pooling surprises); resolves the status, 0 on a network error. */
function send(url: string, body: string): Promise<number> {
  return new Promise((done) => {
    const req = request(
      `${url}/e`,
      { method: 'POST', headers: { 'content-type': 'text/plain', connection: 'close' } },
      (res) => {
        res.resume()
        res.on('end', () => done(res.statusCode ?? 0))
        res.on('error', () => done(0))
      },
    )
    req.setTimeout(15_000, () => req.destroy())
    req.on('error', () => done(0))
    req.end(body)
  })
}

const now = Date.now()
let counter = 0
/** A small valid event of the wire format with a fresh id. */
function event(sender: number): Record<string, unknown> {
  counter += 1
  return {
    id: `s${sender}-${counter}-${Math.random().toString(36).slice(2, 8)}`,
    type: 'track',
    ts: now,
    sessionId: `sess-${sender}`,
    anonymousId: `anon-${sender}`,
    pageId: `page-${sender}`,
    url: 'https://shop.example/',
    name: 'soak',
    props: { sender, n: counter },
    context: {
      userAgent: 'node',
      language: 'en',
      timezone: 'UTC',
      viewport: { w: 1, h: 1 },
      screen: { w: 1, h: 1 },
      deviceType: 'desktop',
      referrer: '',
      utm: {},
      experiments: {},
      sdk: { name: 'frictionlog', version: 'soak' },
    },
  }
}

interface Load {
  /** Ids of every event a sender got a 200 for. */
  acked: Set<string>
  /** Ids of every event sent at least once. */
  sent: Set<string>
  /** Statuses seen, for the report of the run. */
  statuses: Map<number, number>
  /** Batches deliberately sent again after their 200, to be dropped as duplicates. */
  resent: number
  /** Bodies cut off half-way on purpose. */
  cut: number
  stop(): Promise<void>
  /** Stops at once, giving up on unacknowledged batches: only for a test that already failed. */
  abort(): void
}

/**
 * Runs `senders` concurrent senders against whatever `target()` is now, each sending batches of
 * `perBatch` events and retrying a batch (same ids) until a 200, as the SDK's backoff does.
 * Faults from the senders' side: now and then a batch already acknowledged is sent again, and a
 * body is cut off half-way (the socket destroyed mid-body).
 */
function runLoad(target: () => string, senders: number, perBatch: number): Load {
  const load: Load = {
    acked: new Set(),
    sent: new Set(),
    statuses: new Map(),
    resent: 0,
    cut: 0,
    stop: async () => {},
    abort: () => {},
  }
  let isRunning = true
  let isAborted = false
  const loops = Array.from({ length: senders }, async (_, sender) => {
    let previous: string | undefined
    while (isRunning) {
      const events = Array.from({ length: perBatch }, () => event(sender))
      const body = JSON.stringify({ v: 1, site: 'soak', sentAt: Date.now(), events })
      events.forEach((e) => load.sent.add(e.id as string))
      if (Math.random() < 0.05) {
        load.cut += 1
        await cutOff(target(), body)
      }
      // Until a 200, even past `stop`: nothing sent may be lost.
      for (let attempt = 0; ; attempt += 1) {
        if (isAborted) return
        const status = await send(target(), body)
        load.statuses.set(status, (load.statuses.get(status) ?? 0) + 1)
        if (status === 200) break
        await sleep(Math.min(1000, 50 * 2 ** attempt) * (0.5 + Math.random()))
      }
      events.forEach((e) => load.acked.add(e.id as string))
      if (previous && Math.random() < 0.05) {
        load.resent += 1
        await send(target(), previous)
      }
      previous = body
      // A little think time, as pages have: the box is shared with the rest of the suite.
      await sleep(10 + Math.random() * 40)
    }
  })
  load.stop = async () => {
    isRunning = false
    await Promise.all(loops)
  }
  load.abort = () => {
    isRunning = false
    isAborted = true
  }
  return load
}

/** Sends half a body and hangs up. */
function cutOff(url: string, body: string): Promise<void> {
  return new Promise((done) => {
    const req = request(`${url}/e`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'content-length': body.length },
    })
    req.on('error', () => done())
    req.write(body.slice(0, body.length >> 1), () => {
      req.destroy()
      done()
    })
  })
}

/** Every stored id with its count, the unreadable lines, and the report's total. */
async function readBack(dir: string) {
  const counts = { unreadable: 0 }
  const ids = new Map<string, number>()
  for await (const stored of readNdjson(dir, counts)) ids.set(stored.id, (ids.get(stored.id) ?? 0) + 1)
  const report = await buildReport(dir)
  return { ids, unreadable: counts.unreadable, reportEvents: report.totals.events }
}

describe('the collector process under crashes and faults', () => {
  let work: string
  let current: Collector | undefined
  beforeEach(async () => {
    work = await mkdtemp(join(tmpdir(), 'fl-crash-'))
  })
  afterEach(async () => {
    current?.child.kill('SIGKILL')
    current = undefined
    await rm(work, { recursive: true, force: true })
  })

  it('exits 0 on SIGTERM after finishing the batches in flight', async () => {
    const dir = join(work, 'data')
    current = await startCollector(dir)
    const collector = current
    const load = runLoad(() => current!.url, 20, 50)
    await sleep(1500)
    collector.child.kill('SIGTERM')
    expect(await collector.exited).toBe(0)
    const storedByTheFirst = (await readBack(dir)).ids.size
    expect(storedByTheFirst).toBeGreaterThan(0)
    // Senders whose batch was cut by the shutdown keep retrying: give them a new collector.
    current = await startCollector(dir)
    const restarted = current
    const stopping = load.stop()
    await stopping
    restarted.child.kill('SIGTERM')
    expect(await restarted.exited).toBe(0)
    const { ids, unreadable, reportEvents } = await readBack(dir)
    expect(unreadable).toBe(0)
    expect([...ids.values()].every((n) => n === 1)).toBe(true)
    expect(ids.size).toBe(load.sent.size)
    expect(reportEvents).toBe(load.sent.size)
  }, 60_000)

  it(
    `soak: 50 senders for ${SOAK_MS / 1000} s with SIGKILLs, an unwritable folder and cut bodies, exact counts at ` +
      `the end`,
    async () => {
      // The collector's folder is a symlink, so a fault can swap where it leads in one atomic
      // rename each way. Moving the real folder away and back left a gap in which the collector's
      // retry could make a fresh folder and write into it, and the move back then failed.
      const dir = join(work, 'data')
      const real = join(work, 'real')
      const notAFolder = join(work, 'not-a-folder')
      await mkdir(real)
      await writeFile(notAFolder, 'not a folder')
      const pointDirAt = async (target: string) => {
        await symlink(target, `${dir}.next`)
        await rename(`${dir}.next`, dir)
      }
      await pointDirAt(real)
      current = await startCollector(dir)
      const load = runLoad(() => current!.url, 50, 20)
      const deadline = Date.now() + SOAK_MS
      let kills = 0
      let diskFaults = 0
      const diskLogs: string[] = []
      try {
        for (let round = 0; Date.now() < deadline; round += 1) {
          await sleep(2000 + Math.random() * 2000)
          if (round % 3 === 2) {
            // The folder's path leads to a file: every write fails (ENOTDIR) until it is back.
            diskFaults += 1
            await pointDirAt(notAFolder)
            await sleep(1500)
            await pointDirAt(real)
            diskLogs.push(current!.stderr.join(''))
          } else {
            kills += 1
            current!.child.kill('SIGKILL')
            await current!.exited
            current = await startCollector(dir)
          }
        }
      } catch (error) {
        // The senders would outlive the failed test and bury its error under theirs.
        load.abort()
        throw error
      }
      await load.stop()
      current!.child.kill('SIGTERM')
      expect(await current!.exited).toBe(0)

      const { ids, unreadable, reportEvents } = await readBack(dir)
      const twice = [...ids.entries()].filter(([, n]) => n > 1)
      const lost = [...load.acked].filter((id) => !ids.has(id))
      console.log(
        `soak: ${load.sent.size} events sent by 50 senders, ${ids.size} stored, ${twice.length} stored twice, ` +
          `${lost.length} acknowledged but lost, ${unreadable} torn lines skipped; ${kills} SIGKILLs, ${diskFaults} ` +
          `unwritable-folder ` +
          `faults, ${load.cut} cut bodies, ${load.resent} batches resent after their 200; statuses ` +
          `${JSON.stringify(Object.fromEntries(load.statuses))}`,
      )
      expect(kills).toBeGreaterThan(0)
      expect(diskFaults).toBeGreaterThan(0)
      expect(lost).toEqual([])
      expect(twice).toEqual([])
      expect(ids.size).toBe(load.sent.size)
      expect(reportEvents).toBe(load.sent.size)
      // At most one torn line per SIGKILL, each skipped and counted rather than breaking the read.
      expect(unreadable).toBeLessThanOrEqual(kills)
      expect(load.statuses.get(503) ?? 0).toBeGreaterThan(0)
      expect(diskLogs.join('')).toMatch(/sink write failed .*(ENOTDIR|EEXIST|ENOENT)/)
    },
    SOAK_MS + 90_000,
  )
})
