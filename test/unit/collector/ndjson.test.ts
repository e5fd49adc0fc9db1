// @vitest-environment node
import { mkdtemp, readFile, rm, appendFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createCollector, createNdjsonSink, readNdjson } from '../../../src/collector/index'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeBatch, makeEvent, postBatch } from '../support/events'

const asEvents = (...events: Record<string, unknown>[]) => events as unknown as FrictionEvent[]

describe('createNdjsonSink', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frictionlog-'))
  })
  afterEach(async () => {
    vi.useRealTimers()
    await rm(dir, { recursive: true, force: true })
  })

  it('appends each batch as JSON lines to the file of the current UTC day', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    vi.setSystemTime(new Date('2024-11-23T23:59:59Z'))
    const sink = createNdjsonSink({ dir: join(dir, 'nested') })
    await sink.write(asEvents(makeEvent(), makeEvent()))
    vi.setSystemTime(new Date('2024-11-24T00:00:01Z'))
    await sink.write(asEvents(makeEvent()))
    const files = await sink.files()
    expect(files.map((f) => f.split('/').pop())).toEqual(['events-2024-11-23.ndjson', 'events-2024-11-24.ndjson'])
    const lines = (await readFile(files[0], 'utf8')).split('\n')
    expect(lines).toHaveLength(3)
    expect(lines[2]).toBe('')
    expect(JSON.parse(lines[0])).toMatchObject({ type: 'scroll' })
  })

  it('lets a new sink over the same folder skip ids already stored today', async () => {
    const event = makeEvent()
    const first = createCollector({ sink: createNdjsonSink({ dir }) })
    expect((await (await first.handle(postBatch(makeBatch([event])))).json()).accepted).toBe(1)

    const restarted = createCollector({ sink: createNdjsonSink({ dir }) })
    const body = await (await restarted.handle(postBatch(makeBatch([event, makeEvent()])))).json()
    expect(body).toMatchObject({ accepted: 1, duplicates: 1 })

    const ids: string[] = []
    for await (const stored of readNdjson(dir)) ids.push(stored.id)
    expect(ids).toHaveLength(2)
    expect(ids[0]).toBe(event.id)
  })

  it('reads every stored event back, skipping a torn last line', async () => {
    const sink = createNdjsonSink({ dir })
    await sink.write(asEvents(makeEvent(), makeEvent()))
    const [file] = await sink.files()
    await appendFile(file, '{"id":"torn","ty')
    const events: FrictionEvent[] = []
    for await (const event of readNdjson(dir)) events.push(event)
    expect(events).toHaveLength(2)
    expect(await createNdjsonSink({ dir }).has('torn')).toBe(false)
  })

  it('reads nothing from a folder that does not exist', async () => {
    const events: FrictionEvent[] = []
    for await (const event of readNdjson(join(dir, 'missing'))) events.push(event)
    expect(events).toEqual([])
    expect(await createNdjsonSink({ dir: join(dir, 'missing') }).files()).toEqual([])
  })
})

describe('createNdjsonSink after a crash or a lost disk', () => {
  let dir: string
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'frictionlog-'))
  })
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true })
  })

  it('ends a torn last line before appending, and the reader skips and counts it', async () => {
    const { writeFile, mkdir } = await import('node:fs/promises')
    const data = join(dir, 'data')
    await mkdir(data)
    const kept = makeEvent()
    const day = new Date().toISOString().slice(0, 10)
    // A batch torn by SIGKILL: one whole line, then half of the next.
    await writeFile(
      join(data, `events-${day}.ndjson`),
      `${JSON.stringify(kept)}\n${JSON.stringify(makeEvent()).slice(0, 50)}`,
    )
    const sink = createNdjsonSink({ dir: data })
    const fresh = [makeEvent(), makeEvent()]
    await sink.write(asEvents(...fresh))
    const counts = { unreadable: 0 }
    const ids: string[] = []
    for await (const event of readNdjson(data, counts)) ids.push(event.id)
    expect(ids).toEqual([kept.id, ...fresh.map((e) => e.id)])
    expect(counts.unreadable).toBe(1)
  })

  it('throws while its folder is replaced by a file, then writes again once it is back', async () => {
    const { writeFile, unlink } = await import('node:fs/promises')
    const data = join(dir, 'data')
    const sink = createNdjsonSink({ dir: data })
    await sink.write(asEvents(makeEvent()))
    await rm(data, { recursive: true })
    await writeFile(data, 'not a folder')
    await expect(sink.write(asEvents(makeEvent()))).rejects.toThrow(/ENOTDIR|EEXIST|ENOENT/)
    await unlink(data)
    await sink.write(asEvents(makeEvent()))
    const ids: string[] = []
    for await (const event of readNdjson(data)) ids.push(event.id)
    expect(ids).toHaveLength(1)
  })

  it('follows its file when moved away and its folder when deleted, once the first writes made them', async () => {
    const { rename } = await import('node:fs/promises')
    const data = join(dir, 'data')
    const sink = createNdjsonSink({ dir: data })
    await sink.write(asEvents(makeEvent()))
    await sink.write(asEvents(makeEvent()))
    const [file] = await sink.files()
    // Moved: the next write notices before appending and starts a new file at the path.
    await rename(file, join(dir, 'moved.ndjson'))
    const afterMove = makeEvent()
    await sink.write(asEvents(afterMove))
    // Deleted with its folder: that write fails (503, the client retries), the next one makes it again.
    await rm(data, { recursive: true })
    await expect(sink.write(asEvents(makeEvent()))).rejects.toThrow(/ENOENT/)
    const afterDelete = makeEvent()
    await sink.write(asEvents(afterDelete))
    const ids: string[] = []
    for await (const event of readNdjson(data)) ids.push(event.id)
    expect(ids).toEqual([afterDelete.id])
    expect((await readFile(join(dir, 'moved.ndjson'), 'utf8')).split('\n')).toHaveLength(3)
    expect(await sink.has(afterMove.id as string)).toBe(true)
    await sink.close?.()
  })

  it('finishes a short append from the byte where it stopped', async () => {
    const { syncBuiltinESMExports } = await import('node:module')
    const fs = (await import('node:fs')).default
    const original = fs.writeSync
    // The first write of the text stops after 5 bytes (as on a nearly full disk).
    let isShort = true
    fs.writeSync = ((fd: number, data: string | NodeJS.ArrayBufferView, ...rest: never[]) => {
      if (typeof data === 'string' && isShort) {
        isShort = false
        return original(fd, data.slice(0, 5))
      }
      return original(fd, data as never, ...rest)
    }) as typeof fs.writeSync
    syncBuiltinESMExports()
    try {
      const sink = createNdjsonSink({ dir })
      const events = [makeEvent({ url: 'https://shop.example/caf\u00e9' }), makeEvent()]
      await sink.write(asEvents(...events))
      const [file] = await sink.files()
      expect(isShort).toBe(false)
      expect(await readFile(file, 'utf8')).toBe(events.map((event) => `${JSON.stringify(event)}\n`).join(''))
      await sink.close?.()
    } finally {
      fs.writeSync = original
      syncBuiltinESMExports()
    }
  })

  it('answers 503 through the collector while its folder cannot be created, and recovers', async () => {
    const { writeFile, unlink } = await import('node:fs/promises')
    const parent = join(dir, 'parent')
    await writeFile(parent, 'a file where the folder should be')
    const log = vi.fn()
    const collector = createCollector({ sink: createNdjsonSink({ dir: join(parent, 'data') }), log })
    const batch = makeBatch([makeEvent()])
    const failed = await collector.handle(postBatch(batch))
    expect(failed.status).toBe(503)
    expect(log).toHaveBeenCalledWith(expect.stringMatching(/sink write failed.*(ENOTDIR|EEXIST)/))
    await unlink(parent)
    const retried = await collector.handle(postBatch(batch))
    expect(await retried.json()).toMatchObject({ accepted: 1 })
  })
})
