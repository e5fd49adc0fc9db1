// @vitest-environment node
import { describe, expect, it } from 'vitest'
import { createCommitter } from '../../../src/collector/commit'
import { createDedupe } from '../../../src/collector/dedupe'
import { createCollector, type Sink } from '../../../src/collector/index'
import { createQuota } from '../../../src/collector/quota'
import type { FrictionEvent } from '../../../src/schema/index'
import { makeBatch, makeEvent, postBatch } from '../support/events'

const quiet = { log: () => {} }

/** A sink that records each write and holds it until released, failing it when asked. */
function heldSink(options: { groupDelayMs?: number } = {}) {
  const writes: string[][] = []
  const gates: Array<{ release: () => void; fail: () => void }> = []
  const sink: Sink = {
    groupDelayMs: options.groupDelayMs,
    write: (events: FrictionEvent[]) =>
      new Promise<void>((resolve, reject) => {
        writes.push(events.map((event) => event.id))
        gates.push({ release: resolve, fail: () => reject(new Error('disk full')) })
      }),
  }
  return { sink, writes, gates }
}

/** Time for requests to be read and checked in process (no I/O, microtasks only): ample even on a busy box. */
const tick = () => new Promise((resolve) => setTimeout(resolve, 100))
/** Resolves once `condition` holds (a write was started), polling. */
const until = async (condition: () => boolean) => {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5))
}

describe('group commit', () => {
  it('writes batches that arrive during a write as one next write, answering each with its own counts', async () => {
    const { sink, writes, gates } = heldSink()
    const collector = createCollector({ sink, ...quiet })
    const first = collector.handle(postBatch(makeBatch([makeEvent({ id: 'a1' })])))
    await until(() => writes.length === 1)
    expect(writes).toEqual([['a1']])
    const later = [
      collector.handle(postBatch(makeBatch([makeEvent({ id: 'b1' }), makeEvent({ id: 'b2' })]))),
      collector.handle(postBatch(makeBatch([makeEvent({ id: 'c1' })]))),
    ]
    await tick()
    // Waiting behind the first write, not written yet.
    expect(writes).toHaveLength(1)
    gates[0].release()
    expect(await (await first).json()).toEqual({ accepted: 1, duplicates: 0, rejected: [] })
    await until(() => writes.length === 2)
    expect(writes).toEqual([['a1'], ['b1', 'b2', 'c1']])
    gates[1].release()
    const answers = await Promise.all(later.map(async (response) => (await response).json()))
    expect(answers).toEqual([
      { accepted: 2, duplicates: 0, rejected: [] },
      { accepted: 1, duplicates: 0, rejected: [] },
    ])
    expect(collector.stats()).toMatchObject({ batches: 3, accepted: 4 })
  })

  it('writes the batches of requests read in one event-loop turn as one write, even with no write in flight', async () => {
    const writes: string[][] = []
    // A sink that stores at once: with nothing in flight, only the start after the I/O turn groups.
    const sink: Sink = { write: async (events) => void writes.push(events.map((event) => event.id)) }
    const commit = createCommitter({
      sink,
      dedupe: createDedupe(100),
      quota: createQuota(),
      sinkTimeoutMs: 1000,
      ...quiet,
    })
    const checked = (id: string) => [{ event: makeEvent({ id }) as FrictionEvent, chars: 100 }]
    // Two requests whose bodies are read by separate callbacks of one turn (as two sockets' data
    // are in one poll phase); microtasks run between them.
    const outcomes = await new Promise<unknown[]>((resolve) => {
      const pending: Array<Promise<unknown>> = []
      setTimeout(() => pending.push(commit(checked('a'), 'site')))
      setTimeout(() => {
        pending.push(commit(checked('b'), 'site'))
        resolve(Promise.all(pending))
      })
    })
    expect(outcomes).toHaveLength(2)
    expect(writes).toEqual([['a', 'b']])
  })

  it('stores an id sent by two requests of one group once, the later one counting a duplicate', async () => {
    const { sink, writes, gates } = heldSink()
    const collector = createCollector({ sink, ...quiet })
    const first = collector.handle(postBatch(makeBatch([makeEvent({ id: 'x0' })])))
    await until(() => writes.length === 1)
    const twice = [
      collector.handle(postBatch(makeBatch([makeEvent({ id: 'x1' })]))),
      collector.handle(postBatch(makeBatch([makeEvent({ id: 'x1' })]))),
    ]
    await tick()
    gates[0].release()
    await first
    await until(() => writes.length === 2)
    expect(writes[1]).toEqual(['x1'])
    gates[1].release()
    const answers = await Promise.all(twice.map(async (response) => (await response).json()))
    expect(answers).toEqual([
      { accepted: 1, duplicates: 0, rejected: [] },
      { accepted: 0, duplicates: 1, rejected: [] },
    ])
  })

  it('answers 503 to every request of a failed group, and stores their retries', async () => {
    const { sink, writes, gates } = heldSink()
    const collector = createCollector({ sink, ...quiet })
    const first = collector.handle(postBatch(makeBatch([makeEvent({ id: 'f0' })])))
    await until(() => writes.length === 1)
    const batches = [makeBatch([makeEvent({ id: 'f1' })]), makeBatch([makeEvent({ id: 'f2' })])]
    const group = batches.map((batch) => collector.handle(postBatch(batch)))
    await tick()
    gates[0].release()
    await first
    await until(() => writes.length === 2)
    expect(writes[1]).toEqual(['f1', 'f2'])
    gates[1].fail()
    const statuses = await Promise.all(group.map(async (response) => (await response).status))
    expect(statuses).toEqual([503, 503])
    expect(collector.stats().refused).toEqual({ 'sink-unavailable': 2 })
    // Not remembered as seen: the retries are stored, not dropped as duplicates.
    const retries = batches.map((batch) => collector.handle(postBatch(batch)))
    await until(() => writes.length === 3)
    expect(writes[2]).toEqual(['f1', 'f2'])
    gates[2].release()
    const answers = await Promise.all(retries.map(async (response) => (await response).json()))
    expect(answers.map((answer) => answer.accepted)).toEqual([1, 1])
  })

  it("waits the sink's groupDelayMs before a write, so a request arriving meanwhile joins it", async () => {
    const { sink, writes, gates } = heldSink({ groupDelayMs: 300 })
    const collector = createCollector({ sink, ...quiet })
    const first = collector.handle(postBatch(makeBatch([makeEvent({ id: 'd1' })])))
    const second = new Promise<Response>((resolve) =>
      setTimeout(() => resolve(collector.handle(postBatch(makeBatch([makeEvent({ id: 'd2' })])))), 10),
    )
    await until(() => writes.length === 1)
    expect(writes).toEqual([['d1', 'd2']])
    gates[0].release()
    expect((await Promise.all([first, second])).map((response) => response.status)).toEqual([200, 200])
  })

  it("sorts a group the same whether the sink's has() answers at once or with a promise", async () => {
    const stored = new Set(['s1', 'a1'])
    const answers = [
      (id: string) => stored.has(id),
      (id: string) => Promise.resolve(stored.has(id)),
      // Mixed within one batch: the promise path picks up where the synchronous one stopped.
      (id: string) => (id.endsWith('1') ? Promise.resolve(stored.has(id)) : stored.has(id)),
    ]
    for (const has of answers) {
      const writes: string[][] = []
      const sink: Sink = { write: async (events) => void writes.push(events.map((event) => event.id)), has }
      const commit = createCommitter({
        sink,
        dedupe: createDedupe(100),
        quota: createQuota({ eventsPerDay: 3 }),
        sinkTimeoutMs: 1000,
        ...quiet,
      })
      const checked = (...ids: string[]) => ids.map((id) => ({ event: makeEvent({ id }) as FrictionEvent, chars: 10 }))
      const outcomes = await Promise.all([
        commit(checked('s1', 'n1', 'n2', 'n1'), 'site'),
        commit(checked('a1', 'n2', 'n3', 'n4'), 'site'),
      ])
      const ids = outcomes.map(({ fresh, overQuota }) => ({
        fresh: fresh.map((event) => event.id),
        overQuota: overQuota.map((event) => event.id),
      }))
      expect(ids).toEqual([
        { fresh: ['n1', 'n2'], overQuota: [] },
        { fresh: ['n3'], overQuota: ['n4'] },
      ])
      expect(writes).toEqual([['n1', 'n2', 'n3']])
    }
  })

  it('fails the group of a sink that throws synchronously, and takes a sink returning nothing as stored', async () => {
    for (const [write, isStored] of [
      [
        () => {
          throw new Error('disk full')
        },
        false,
      ],
      [() => undefined as unknown as Promise<void>, true],
    ] as const) {
      const commit = createCommitter({
        sink: { write },
        dedupe: createDedupe(100),
        quota: createQuota(),
        sinkTimeoutMs: 1000,
        ...quiet,
      })
      const outcome = commit([{ event: makeEvent({ id: 'e1' }) as FrictionEvent, chars: 10 }], 'site')
      if (isStored) expect((await outcome).fresh).toHaveLength(1)
      else await expect(outcome).rejects.toThrow('disk full')
    }
  })
})
