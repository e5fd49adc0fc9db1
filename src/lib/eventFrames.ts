/** The fields of an Event Timing entry (`PerformanceEventTiming`) that frames are grouped by. */
export interface EventTimingLike {
  startTime: number
  duration: number
  processingEnd: number
}

/** Frames remembered: an interaction's attribution is read at idle time right after it. */
export const MAX_EVENT_FRAMES = 10
// Event Timing durations are rounded to 8 ms, so entries presented by the same frame have
// render times (startTime + duration) at most 8 ms apart (as web-vitals' attribution groups them).
const SAME_FRAME_MS = 8

/**
 * The latest `processingEnd` of the Event Timing entries presented by each of the last
 * `MAX_EVENT_FRAMES` frames, numbers only. An INP interaction's own entries are only its
 * longest ones (often the `pointerdown`): the `click` handler that ran before the same paint
 * is found here, so the processing time includes it, as in web-vitals' attribution.
 *
 * @example
 * const frames = createEventFrames()
 * frames.add(list.getEntries())
 * frames.processingEnd(entry.startTime + entry.duration) // 5304.3
 */
export const createEventFrames = () => {
  const frames: Array<[renderTime: number, processingEnd: number]> = []
  const frameOf = (renderTime: number) => frames.find((frame) => Math.abs(frame[0] - renderTime) <= SAME_FRAME_MS)
  return {
    add(entries: readonly EventTimingLike[]) {
      for (const entry of entries) {
        const renderTime = entry.startTime + entry.duration
        const frame = frameOf(renderTime)
        if (frame) frame[1] = Math.max(frame[1], entry.processingEnd)
        else if (frames.push([renderTime, entry.processingEnd]) > MAX_EVENT_FRAMES) frames.shift()
      }
    },
    /** The latest handler end of the frame presented at `renderTime`, if it is remembered. */
    processingEnd: (renderTime: number): number | undefined => frameOf(renderTime)?.[1],
  }
}
