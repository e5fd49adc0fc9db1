import { record } from 'rrweb'
import type { Plugin } from '../core/types'
import { gzipBase64, hasCompression } from './codec'
import { privacyRecordOptions, scrubEvent } from './privacy'
import { isReplaySampled } from './sample'
import { chunkEvents, createChunker } from './chunk'
import { countNodes, splitSnapshotByNodes } from './split'
import { createStyleThrottle } from './throttle'
import { FULL_SNAPSHOT, type RrwebEvent } from './types'

/** Options of {@link replay}. */
export interface ReplayOptions {
  /** Fraction of sessions recorded, 0–1, decided from the session id (a reload keeps it). @default 1 */
  sampleRate?: number
  /** Mask all page text (`*` for each character); inputs are masked whatever this says. @default true */
  maskText?: boolean
  /** Elements (and their subtrees) recorded as empty placeholders of the same size. @default '[data-fl-block]' */
  blockSelector?: string
  /** Pages with more elements than this are not recorded (the snapshot alone would cost too much). @default 10000 */
  maxSnapshotNodes?: number
  /** How often recorded events are compressed and sent as one `replay` chunk. @default 10000 */
  chunkMs?: number
  /** Per element, at most one `style`-only mutation per this many ms (JS animations). @default 100 */
  styleMutationThrottleMs?: number
}

export const DEFAULT_REPLAY_SAMPLE_RATE = 1
export const DEFAULT_BLOCK_SELECTOR = '[data-fl-block]'
export const DEFAULT_MAX_SNAPSHOT_NODES = 10_000
export const DEFAULT_CHUNK_MS = 10_000
export const DEFAULT_STYLE_MUTATION_THROTTLE_MS = 100
// A `replay` event must pass the tracker's per-event limit (batch.maxBytes, 16384 by default)
// with its envelope (~1.5 KB): compressed chunks stay under this many base64 characters…
export const MAX_ENCODED_CHARS = 12_000
// …uncompressed ones (page exit, or no CompressionStream) under this many JSON characters.
export const MAX_RAW_CHARS = 11_000
// JSON characters per compressed chunk before trying: rrweb JSON gzips about 6–10×, and a
// chunk whose result is still too big is halved.
const COMPRESS_INPUT_CHARS = 64_000
// A burst (a big mutation storm) is cut early rather than held in memory until the timer.
const MAX_BUFFERED_EVENTS = 2000
// A big snapshot is prepared (scrubbed, serialized) in parts of about this many nodes, in
// slices of SLICE_MS between which the page runs: a 20k-node snapshot prepared in one go was a
// ~300 ms long task.
const SNAPSHOT_PART_NODES = 400
const SLICE_MS = 8
// The first snapshot goes out soon, so a short visit leaves compressed chunks behind.
const FIRST_CHUNK_MS = 1000
// Hidden inputs have no type-based mask in rrweb; they are invisible, so block them.
const ALWAYS_BLOCKED = 'input[type=hidden]'

interface Group {
  events: RrwebEvent[]
  maxChars: number
}

/** Resolves in a later task, so the page's own tasks (input, rendering) run in between. */
const nextTask = () => new Promise<void>((resume) => setTimeout(resume, 0))

const groupsOf = (events: RrwebEvent[], maxChars: number): Group[] =>
  chunkEvents(events, maxChars).map((chunk) => ({ events: chunk, maxChars }))

/**
 * Session replay on rrweb's recorder, private by default: every input masked (password and card
 * fields, and fields that ever were passwords, with a fixed-length mask), all text masked,
 * `[data-fl-block]` subtrees left out, no canvas, no inlined images, and the URL scrubber applied
 * to every URL in the recording. Records only while consent is 'granted' (and not
 * `consent('granted', { replay: false })`), only for sampled sessions, and pauses while the page
 * is hidden. Events are batched every `chunkMs`, gzipped off the hot path and sent as `replay`
 * events (`seq`, `events`, `startTs`, `endTs`) through the tracker's normal delivery.
 *
 * @example
 * import { createTracker } from 'frictionlog'
 * import { replay } from 'frictionlog/replay'
 * createTracker({ endpoint: '/e', plugins: [replay({ sampleRate: 0.1 })] })
 */
export const replay = (options: ReplayOptions = {}): Plugin => ({
  name: 'replay',
  setup(ctx) {
    const sampleRate = options.sampleRate ?? DEFAULT_REPLAY_SAMPLE_RATE
    const maxNodes = options.maxSnapshotNodes ?? DEFAULT_MAX_SNAPSHOT_NODES
    const chunkMs = Math.max(1000, options.chunkMs ?? DEFAULT_CHUNK_MS)
    const blockSelector = [options.blockSelector ?? DEFAULT_BLOCK_SELECTOR, ALWAYS_BLOCKED].filter(Boolean).join(',')
    let stopRecorder: (() => void) | undefined
    // Recorder output since the last cut.
    let buffer: RrwebEvent[] = []
    // The pipeline after a cut, oldest first: events cut but not yet prepared, the scrubbed
    // events of the chunk being filled, then full chunks waiting for compression. All three are
    // emptied synchronously at page exit.
    let recorded: RrwebEvent[] = []
    let filling = createChunker(COMPRESS_INPUT_CHARS)
    let outgoing: Group[] = []
    let isPumping = false
    let seq = 0
    let isAllowed = false
    let timer: ReturnType<typeof setTimeout> | undefined
    let interval: ReturnType<typeof setInterval> | undefined

    const throttle = createStyleThrottle(
      options.styleMutationThrottleMs ?? DEFAULT_STYLE_MUTATION_THROTTLE_MS,
      Date.now,
      (event) => buffer.push(event),
    )
    const send = (events: RrwebEvent[] | string, group: RrwebEvent[]) =>
      ctx.emit('replay', { seq: seq++, events, startTs: group[0].timestamp, endTs: group[group.length - 1].timestamp })

    const queueChunks = (chunks: RrwebEvent[][]) =>
      chunks.forEach((events) => outgoing.push({ events, maxChars: COMPRESS_INPUT_CHARS }))
    /** Empties every buffer of the pipeline; returns what they held, oldest first. */
    const takeAll = (): RrwebEvent[] => {
      const pending = outgoing.flatMap((group) => group.events).concat(filling.close().flat(), recorded, buffer)
      buffer = []
      recorded = []
      filling = createChunker(COMPRESS_INPUT_CHARS)
      outgoing = []
      return pending
    }
    // One bounded step: a big snapshot is split into parts (put back in front of the line), or
    // one event is scrubbed and added to the chunk being filled.
    const prepareNext = () => {
      const event = recorded.shift()!
      const parts = splitSnapshotByNodes(event, SNAPSHOT_PART_NODES)
      if (parts.length > 1) return void recorded.unshift(...parts)
      scrubEvent(event, ctx.scrubUrl)
      queueChunks(filling.add(event))
      // A cut's events make their own chunks, so a chunk never waits for the next cut.
      if (!recorded.length) queueChunks(filling.close())
    }

    // Prepares what was cut, then compresses the chunks one at a time (a chunk still too big
    // is halved), yielding to the page every SLICE_MS.
    const pump = ctx.guard(async () => {
      if (isPumping) return
      isPumping = true
      try {
        let sliceStart = performance.now()
        while (recorded.length || outgoing.length) {
          if (performance.now() - sliceStart > SLICE_MS) {
            await nextTask()
            sliceStart = performance.now()
          } else if (recorded.length) prepareNext()
          else {
            await compressFirst()
            sliceStart = performance.now()
          }
        }
      } finally {
        isPumping = false
      }
    })
    const compressFirst = async () => {
      const group = outgoing[0]
      const encoded = await gzipBase64(JSON.stringify(group.events))
      // Page exit sent it uncompressed meanwhile.
      if (outgoing[0] !== group) return
      if (encoded.length <= MAX_ENCODED_CHARS) {
        outgoing.shift()
        return send(encoded, group.events)
      }
      const half = Math.ceil(group.events.length / 2)
      const smaller =
        group.events.length > 1
          ? [
              { events: group.events.slice(0, half), maxChars: group.maxChars },
              { events: group.events.slice(half), maxChars: group.maxChars },
            ]
          : groupsOf(group.events, Math.floor(group.maxChars / 2))
      if (smaller.length > 1) outgoing.splice(0, 1, ...smaller)
      else {
        outgoing.shift()
        ctx.drop('replay-too-large')
        ctx.debug('replay-event-too-large', group.events[0].type)
      }
    }

    /**
     * Takes what was recorded for preparing and compressing, off the recorder's hot path; at
     * `isExit`, sends it all at once.
     */
    const cut = (isExit = false) => {
      clearTimeout(timer)
      timer = undefined
      if (!isExit && hasCompression()) {
        recorded = recorded.concat(buffer)
        buffer = []
        return void pump()
      }
      // Page exit allows only synchronous work: everything not yet compressed goes out as JSON
      // (what was not prepared yet is scrubbed now).
      recorded.concat(buffer).forEach((event) => scrubEvent(event, ctx.scrubUrl))
      for (const group of groupsOf(takeAll(), MAX_RAW_CHARS)) {
        if (JSON.stringify(group.events).length > MAX_RAW_CHARS) {
          ctx.drop('replay-too-large')
          ctx.debug('replay-event-too-large', group.events[0].type)
        } else send(group.events, group.events)
      }
    }
    const cutSoon = (ms: number) => {
      timer ??= setTimeout(
        ctx.guard(() => cut()),
        ms,
      )
    }

    const stop = () => {
      stopRecorder?.()
      stopRecorder = undefined
      clearInterval(interval)
      throttle.flush()
      throttle.reset()
    }
    const discard = () => {
      stop()
      clearTimeout(timer)
      timer = undefined
      takeAll()
    }
    const isTooBig = (count: number) => {
      if (count <= maxNodes) return false
      ctx.drop('replay-dom-too-large')
      ctx.debug('replay-dom-too-large', count)
      return true
    }

    const onEvent = (event: RrwebEvent) => {
      if (event.type === FULL_SNAPSHOT) {
        if (isTooBig(countNodes(event.data?.node))) {
          // Without its snapshot, nothing after it could be replayed.
          discard()
          return
        }
        cutSoon(FIRST_CHUNK_MS)
      }
      if (!throttle.accept(event)) return
      buffer.push(event)
      if (buffer.length >= MAX_BUFFERED_EVENTS) cutSoon(0)
    }

    const start = () => {
      if (stopRecorder || !isAllowed || ctx.signal.aborted || document.visibilityState === 'hidden') return
      const session = ctx.session()
      if (!session.isSampled || !isReplaySampled(session.id, sampleRate)) return
      if (isTooBig(document.getElementsByTagName('*').length)) return
      const handle = record({
        emit: ctx.guard(onEvent) as (event: unknown) => void,
        ...privacyRecordOptions({ maskText: options.maskText !== false, blockSelector }),
        sampling: { mousemove: 50, mouseInteraction: true, scroll: 150, media: 800, input: 'last' },
        errorHandler: (error: unknown) => {
          ctx.debug('replay-recorder-error', error)
          return true
        },
      } as Parameters<typeof record>[0])
      if (!handle) return ctx.debug('replay-not-started')
      stopRecorder = handle
      interval = setInterval(
        ctx.guard(() => cut()),
        chunkMs,
      )
    }

    ctx.onConsent((state, scopes) => {
      isAllowed = state === 'granted' && scopes.replay !== false
      if (isAllowed) start()
      else discard()
    })
    // Paused while hidden: stop now, send what was recorded; a fresh snapshot when visible.
    ctx.onHidden(() => {
      stop()
      cut(true)
    })
    ctx.listen(document, 'visibilitychange', () => document.visibilityState === 'visible' && start())
    ctx.listen(window, 'pageshow', () => document.visibilityState === 'visible' && start())

    return () => {
      stop()
      cut(true)
    }
  },
})
