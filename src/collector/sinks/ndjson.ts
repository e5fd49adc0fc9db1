import type * as NodeFsSync from 'node:fs'
import type * as NodeFs from 'node:fs/promises'
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
  /** Synchronous once today's ids are loaded, a promise before. */
  has(id: string): boolean | Promise<boolean>
  /** Paths of the stored files, oldest day first. */
  files(): Promise<string[]>
}

const DEFAULT_DEDUPE_WINDOW = 100_000
/** The open file is closed after this long without a write. */
const IDLE_CLOSE_MS = 5000

interface OpenFile {
  file: string
  fd: number
  ino: number
  dev: number
}
const FILE_PATTERN = /^events-\d{4}-\d{2}-\d{2}\.ndjson$/

/**
 * Creates the embedded default sink: one newline-delimited JSON file per UTC day, named
 * `events-YYYY-MM-DD.ndjson` after the day the batch arrived. Each write (the batches of one group commit) is one
 * append, one write at a time (the collector serializes them), so batches never interleave
 * and a crash leaves whole lines (at worst a torn last line, which readers skip and count).
 * Before the first append to a file, and after any failed append, the file's last byte is
 * checked: a torn tail gets a newline first, so the next batch's first line is not glued to it.
 * The ids already in today's file (up to `dedupeWindow` of them) are loaded at startup and at
 * each day change, so a restarted collector still skips duplicates of what it stored.
 *
 * @example
 * const collector = createCollector({ sink: createNdjsonSink({ dir: './data' }) })
 */
export function createNdjsonSink(options: NdjsonSinkOptions): NdjsonSink {
  const { dir } = options
  const windowSize = options.dedupeWindow ?? DEFAULT_DEDUPE_WINDOW
  let loadedDay = ''
  let todayIds: Promise<Dedupe> | undefined
  // The same window once loaded, so `has` answers without a promise per event.
  let loadedIds: Dedupe | undefined
  let madeDir: Promise<unknown> | undefined
  // Set once the folder is made and node:fs is loaded: from then on a write awaits nothing.
  let isDirMade = false
  let syncFs: typeof NodeFsSync | undefined
  // Files whose tail is known to end with a newline (or to be empty) since our last append.
  const cleanTails = new Set<string>()
  let open: OpenFile | undefined

  const idsOf = (day: string): Promise<Dedupe> => {
    if (day !== loadedDay || !todayIds) {
      loadedDay = day
      loadedIds = undefined
      const loading = loadIds(fileOf(dir, day), windowSize)
      todayIds = loading
      loading.then(
        (ids) => {
          if (todayIds === loading) loadedIds = ids
        },
        // A failed load (permissions, disk) is retried on the next call rather than cached.
        () => {
          if (todayIds === loading) todayIds = undefined
        },
      )
    }
    return todayIds
  }

  const closeFile = async () => {
    const closing = open
    open = undefined
    clearTimeout(idleTimer)
    if (closing) (await fsSync()).close(closing.fd, () => {})
  }
  // Closed after a quiet spell, so a sink dropped without close() does not leak its descriptor.
  let idleTimer: ReturnType<typeof setTimeout> | undefined
  let writing = 0
  const closeWhenIdle = () => {
    clearTimeout(idleTimer)
    idleTimer = setTimeout(() => {
      if (writing === 0) void closeFile()
    }, IDLE_CLOSE_MS)
    idleTimer.unref?.()
  }

  /**
   * The open descriptor of `file` (one open per day instead of one per write), reopened when the
   * day changed or when the path no longer leads to it (the file or its folder was moved, deleted
   * or replaced): writing on into an unlinked file would lose every batch without an error. The
   * check is one `stat` per write, far cheaper than the open and close of `appendFile`.
   */
  const openFd = (fs: typeof NodeFsSync, file: string): number => {
    if (open && open.file === file) {
      const current = fs.statSync(file, { throwIfNoEntry: false })
      if (current && current.ino === open.ino && current.dev === open.dev) return open.fd
      fs.close(open.fd, () => {})
      open = undefined
    }
    const fd = fs.openSync(file, 'a')
    try {
      const stat = fs.fstatSync(fd)
      open = { file, fd, ino: stat.ino, dev: stat.dev }
    } catch (error) {
      fs.close(fd, () => {})
      throw error
    }
    return fd
  }

  /**
   * What a write needs before its append: node:fs, today's ids, the folder. Awaited only when
   * one of them is not there yet (the first write, a day change, after a failure): awaiting the
   * settled promises on every write cost four microtask hops per group for nothing.
   */
  const prepare = async (day: string): Promise<{ ids: Dedupe; sync: typeof NodeFsSync }> => {
    const fs = await fsPromises()
    const ids = await idsOf(day)
    madeDir ??= fs.mkdir(dir, { recursive: true }).then(
      () => {
        isDirMade = true
      },
      (error: unknown) => {
        madeDir = undefined
        throw error
      },
    )
    await madeDir
    syncFs ??= await fsSync()
    return { ids, sync: syncFs }
  }

  return {
    async write(events) {
      if (events.length === 0) return
      const day = utcDay()
      const { ids, sync } =
        day === loadedDay && loadedIds && isDirMade && syncFs ? { ids: loadedIds, sync: syncFs } : await prepare(day)
      const file = fileOf(dir, day)
      let text = ''
      for (const event of events) text += `${JSON.stringify(event)}\n`
      writing += 1
      try {
        if (!cleanTails.has(file) && (await endsTorn(file))) text = `\n${text}`
        // Synchronous: a few kB into the page cache take microseconds, less than the thread-pool
        // round trips of the promise calls (stat, write) it replaces, which cost more CPU per
        // write than validating its events. A disk that blocks would stall the event loop, as
        // it would stall every write anyway.
        const fd = openFd(sync, file)
        // The text as it is (Node encodes it outside the JS heap): no Buffer per write to allocate
        // and collect. A short write (rare, a full disk) goes on from the byte it stopped at.
        const written = sync.writeSync(fd, text)
        const length = Buffer.byteLength(text)
        if (written < length) {
          const bytes = Buffer.from(text)
          for (let offset = written; offset < length;) offset += sync.writeSync(fd, bytes, offset)
        }
      } catch (error) {
        // A failed append may have written part of the batch; the folder may be gone (and come back).
        cleanTails.delete(file)
        madeDir = undefined
        isDirMade = false
        await closeFile()
        throw error
      } finally {
        writing -= 1
      }
      cleanTails.add(file)
      closeWhenIdle()
      for (const event of events) ids.add(event.id)
    },
    has(id) {
      const day = utcDay()
      if (day === loadedDay && loadedIds) return loadedIds.has(id)
      return idsOf(day).then((ids) => ids.has(id))
    },
    files: () => listNdjsonFiles(dir),
    close: closeFile,
  }
}

/**
 * `node:fs/promises` and `node:fs`, imported once on first use (a dynamic import per write costs
 * a module lookup each).
 */
let fsModule: Promise<typeof NodeFs> | undefined
const fsPromises = () => (fsModule ??= import('node:fs/promises'))
let fsSyncModule: Promise<typeof NodeFsSync> | undefined
const fsSync = () => (fsSyncModule ??= import('node:fs'))

/** Counters filled by {@link readNdjson} as it reads. */
export interface NdjsonReadCounts {
  /** Non-blank lines that are not JSON: a batch torn by a crash or a full disk. */
  unreadable: number
}

/**
 * Streams every event stored by an NDJSON sink in `dir`, file by file and line by line, without
 * loading whole files. Blank lines are skipped; unparseable lines (a batch torn by a crash) are
 * skipped and counted in `counts.unreadable` when `counts` is given.
 *
 * @example
 * const counts = { unreadable: 0 }
 * for await (const event of readNdjson('./.frictionlog', counts)) console.log(event.type)
 */
export async function* readNdjson(dir: string, counts?: NdjsonReadCounts): AsyncIterable<FrictionEvent> {
  for (const file of await listNdjsonFiles(dir)) {
    for await (const event of readFile(file, counts)) yield event
  }
}

/** Whether a file exists and its last byte is not a newline (the tail of a torn append). */
async function endsTorn(file: string): Promise<boolean> {
  const fs = await import('node:fs/promises')
  let handle
  try {
    handle = await fs.open(file, 'r')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw error
  }
  try {
    const { size } = await handle.stat()
    if (size === 0) return false
    const last = Buffer.alloc(1)
    await handle.read(last, 0, 1, size - 1)
    return last[0] !== 0x0a
  } finally {
    await handle.close()
  }
}

async function* readFile(file: string, counts?: NdjsonReadCounts): AsyncIterable<FrictionEvent> {
  const { createReadStream } = await import('node:fs')
  const { createInterface } = await import('node:readline')
  const lines = createInterface({ input: createReadStream(file), crlfDelay: Infinity })
  for await (const line of lines) {
    if (line.trim() === '') continue
    let event: FrictionEvent
    try {
      event = JSON.parse(line) as FrictionEvent
    } catch {
      if (counts) counts.unreadable += 1
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

/** Paths of the `events-YYYY-MM-DD.ndjson` files in `dir`, oldest day first (none when it is missing). */
export async function listNdjsonFiles(dir: string): Promise<string[]> {
  const fs = await import('node:fs/promises')
  let names: string[]
  try {
    names = await fs.readdir(dir)
  } catch {
    return []
  }
  // ISO dates sort lexically in day order.
  return names
    .filter((name) => FILE_PATTERN.test(name))
    .sort()
    .map((name) => joinPath(dir, name))
}

function fileOf(dir: string, day: string): string {
  return joinPath(dir, `events-${day}.ndjson`)
}

/** `/` works as a separator on every platform Node runs on; this avoids importing node:path eagerly. */
function joinPath(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`
}

let cachedDayNumber = -1
let cachedDay = ''
/** Today's UTC date, YYYY-MM-DD; formatted once a day rather than once an event. */
function utcDay(): string {
  const dayNumber = Math.floor(Date.now() / 86_400_000)
  if (dayNumber !== cachedDayNumber) {
    cachedDayNumber = dayNumber
    cachedDay = new Date(dayNumber * 86_400_000).toISOString().slice(0, 10)
  }
  return cachedDay
}
