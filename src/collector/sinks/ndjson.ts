import type { FrictionEvent } from '../../schema/index'
import { createDedupe, type Dedupe } from '../dedupe'
import type { Sink } from '../sink'

/** Options of {@link createNdjsonSink}. */
export interface NdjsonSinkOptions {
  /** Folder of the `events-YYYY-MM-DD.ndjson` files, created on the first write. */
  dir: string
  /**
   * How many of today's stored ids are remembered to answer `has`.
   * @default 100_000
   */
  dedupeWindow?: number
}

/** The NDJSON sink, which can also list its files. */
export interface NdjsonSink extends Sink {
  has(id: string): Promise<boolean>
  /** Paths of the stored files, oldest day first. */
  files(): Promise<string[]>
}

const DEFAULT_DEDUPE_WINDOW = 100_000
const FILE_PATTERN = /^events-\d{4}-\d{2}-\d{2}\.ndjson$/

/**
 * Creates the embedded default sink: one newline-delimited JSON file per UTC day, named
 * `events-YYYY-MM-DD.ndjson` after the day the batch arrived. Each batch is written with one
 * append, so a crash leaves whole batches (at worst a torn last line, which readers skip).
 * The ids already in today's file are loaded at startup and at each day change, so a
 * restarted collector still skips duplicates.
 *
 * @example
 * const collector = createCollector({ sink: createNdjsonSink({ dir: './data' }) })
 */
export function createNdjsonSink(options: NdjsonSinkOptions): NdjsonSink {
  const { dir } = options
  const windowSize = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW
  let loadedDay = ''
  let todayIds: Promise<Dedupe> | undefined
  let madeDir: Promise<unknown> | undefined

  const idsOf = (day: string): Promise<Dedupe> => {
    if (day !== loadedDay || !todayIds) {
      loadedDay = day
      todayIds = loadIds(fileOf(dir, day), windowSize)
      // A failed load (permissions, disk) is retried on the next call rather than cached.
      todayIds.catch(() => {
        if (loadedDay === day) todayIds = undefined
      })
    }
    return todayIds
  }

  return {
    async write(events) {
      if (events.length === 0) return
      const fs = await import('node:fs/promises')
      const day = utcDay()
      const ids = await idsOf(day)
      madeDir ??= fs.mkdir(dir, { recursive: true }).catch((error: unknown) => {
        madeDir = undefined
        throw error
      })
      await madeDir
      await fs.appendFile(fileOf(dir, day), events.map((event) => `${JSON.stringify(event)}\n`).join(''))
      for (const event of events) ids.add(event.id)
    },
    has: async (id) => (await idsOf(utcDay())).has(id),
    files: () => listFiles(dir),
  }
}

/**
 * Streams every event stored by an NDJSON sink in `dir`, file by file and line by line, without
 * loading whole files. Blank and unparseable lines (a batch torn by a crash) are skipped.
 *
 * @example
 * for await (const event of readNdjson('./.frictionlog')) console.log(event.type)
 */
export async function* readNdjson(dir: string): AsyncIterable<FrictionEvent> {
  for (const file of await listFiles(dir)) {
    for await (const event of readFile(file)) yield event
  }
}

async function* readFile(file: string): AsyncIterable<FrictionEvent> {
  const { createReadStream } = await import('node:fs')
  const { createInterface } = await import('node:readline')
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() === '') continue
    let event: FrictionEvent
    try {
      event = JSON.parse(line) as FrictionEvent
    } catch {
      continue
    }
    yield event
  }
}

async function loadIds(file: string, windowSize: number): Promise<Dedupe> {
  const ids = createDedupe(windowSize)
  const fs = await import('node:fs/promises')
  try {
    await fs.access(file)
  } catch {
    return ids
  }
  for await (const event of readFile(file)) {
    if (typeof event?.id === 'string') ids.add(event.id)
  }
  return ids
}

async function listFiles(dir: string): Promise<string[]> {
  const fs = await import('node:fs/promises')
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return []
  }
  // ISO dates sort lexically in day order.
  return names.filter((name) => FILE_PATTERN.test(name)).sort().map((name) => joinPath(dir, name))
}

function fileOf(dir: string, day: string): string {
  return joinPath(dir, `events-${day}.ndjson`)
}

/** `/` works as a separator on every platform Node runs on; this avoids importing node:path eagerly. */
function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`
}

function utcDay(): string {
  return new Date().toISOString().slice(0, 10)
}
