import { INCREMENTAL_SNAPSHOT, MUTATION_SOURCE, type RrwebEvent } from './types'

type StyleValue = string | Record<string, unknown> | null

/** Later style over earlier: rrweb sends a style change as a per-property diff or a whole string. */
const mergeStyle = (earlier: StyleValue, later: StyleValue): StyleValue | undefined => {
  if (typeof later === 'string' || later === null) return later
  if (earlier && typeof earlier === 'object') return { ...earlier, ...later }
  return undefined
}

const isStyleOnly = (attributes: Record<string, unknown>) => {
  for (const key in attributes) if (key !== 'style') return false
  return 'style' in attributes
}

export interface StyleThrottle {
  /** Returns false when the event is held back entirely (all its changes coalesced). */
  accept(event: RrwebEvent): boolean
  /** Sends what is held now (before stopping, or before a structural mutation). */
  flush(): void
  reset(): void
}

/**
 * Throttles mutations that only change `style` attributes (animations written from JS can
 * produce one per frame per node): per node at most one per `intervalMs`, the changes in
 * between merged and sent once at the end of the interval, so the final state is exact.
 */
export const createStyleThrottle = (
  intervalMs: number,
  now: () => number,
  output: (event: RrwebEvent) => void,
): StyleThrottle => {
  const lastSentAt = new Map<number, number>()
  let held = new Map<number, StyleValue>()
  let timer: ReturnType<typeof setTimeout> | undefined

  const flush = () => {
    clearTimeout(timer)
    timer = undefined
    if (!held.size) return
    const at = now()
    const attributes = [...held].map(([id, style]) => ({ id, attributes: { style } }))
    held.forEach((_, id) => lastSentAt.set(id, at))
    held = new Map()
    output({
      type: INCREMENTAL_SNAPSHOT,
      timestamp: at,
      data: { source: MUTATION_SOURCE, texts: [], attributes, removes: [], adds: [] },
    })
  }

  const accept = (event: RrwebEvent): boolean => {
    if (intervalMs <= 0 || event.type !== INCREMENTAL_SNAPSHOT || event.data?.source !== MUTATION_SOURCE) return true
    const { adds, removes, texts, attributes } = event.data as {
      adds: unknown[]
      removes: unknown[]
      texts: unknown[]
      attributes: Array<{ id: number; attributes: Record<string, unknown> }>
    }
    if (
      adds.length ||
      removes.length ||
      texts.length ||
      !attributes.length ||
      !attributes.every((item) => isStyleOnly(item.attributes))
    ) {
      // A structural change: what is held goes first, so changes replay in their order.
      flush()
      return true
    }
    const passed: typeof attributes = []
    for (const item of attributes) {
      const style = item.attributes.style as StyleValue
      if (held.has(item.id)) {
        const merged = mergeStyle(held.get(item.id)!, style)
        if (merged !== undefined) {
          held.set(item.id, merged)
          continue
        }
        flush()
      }
      if (event.timestamp - (lastSentAt.get(item.id) ?? -Infinity) >= intervalMs) {
        lastSentAt.set(item.id, event.timestamp)
        passed.push(item)
      } else {
        held.set(item.id, style)
        timer ??= setTimeout(flush, intervalMs)
      }
    }
    if (!passed.length) return false
    event.data.attributes = passed
    return true
  }

  return {
    accept,
    flush,
    reset() {
      clearTimeout(timer)
      timer = undefined
      held = new Map()
      lastSentAt.clear()
    },
  }
}
