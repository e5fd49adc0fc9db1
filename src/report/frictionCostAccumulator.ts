import { tallyInto } from './count'
import { frictionCost, type PageViewers, type SignalCounts } from './frictionCost'
import { createInterner } from './interner'
import { addCapped, createSessionLists } from './sessionLists'
import type { SessionTable } from './sessionTable'
import type { FrictionCostRow } from './types'

/** Paths and signals remembered per session: a session that meets more is a bot or a loop. */
const MAX_PER_SESSION = 50

/** Distinct signals (kind × signal × page) priced; later ones are ignored and noted. */
const MAX_SIGNALS = 2000

/** Rows reported, most conversions lost first. */
const REPORTED_ROWS = 20

const SEPARATOR = '\u0000'

/**
 * Streams, per session, the pages viewed and the friction signals met on them (as numbers in
 * per-session lists); `result` tallies sessions per signal × device and per page × device with
 * their conversions, and prices each signal with {@link frictionCost}.
 */
export function createFrictionCostAccumulator() {
  // Signal number → `kind\u0000signal\u0000path` and the label the report shows.
  const keys = createInterner()
  const labels: string[] = []
  // Paths viewed per session (addCapped: only kept paths get a number).
  const paths = createInterner()
  const viewed = createSessionLists(0)
  const met = createSessionLists(0)
  let ignored = 0
  return {
    /** The session viewed `path` (any event on it). */
    view(session: number, path: string) {
      addCapped(viewed, paths, session, path, MAX_PER_SESSION)
    },
    /** The session met a signal on `path`; `id` identifies it, `label` is what the report shows. */
    meet(session: number, kind: FrictionCostRow['kind'], id: string, path: string, label = id) {
      const key = `${kind}${SEPARATOR}${id}${SEPARATOR}${path}`
      let signal = keys.find(key)
      if (signal < 0) {
        if (keys.size >= MAX_SIGNALS) {
          ignored += 1
          return
        }
        signal = keys.id(key)
        labels.push(label)
      }
      if (met.find(session, signal) < 0 && met.count(session) < MAX_PER_SESSION) met.add(session, signal)
      this.view(session, path)
    },
    get ignored() {
      return ignored
    },
    result(sessions: SessionTable, converted: ((session: number) => boolean) | null): FrictionCostRow[] {
      if (!converted) return []
      const viewers: PageViewers = new Map()
      const signals = new Map<number, SignalCounts>()
      let device = ''
      let isConverted = false
      const countViewer = (id: number) => {
        const path = paths.text(id)
        let pool = viewers.get(path)
        if (!pool) viewers.set(path, (pool = new Map()))
        tallyInto(pool, device, isConverted)
      }
      const countMet = (signal: number) => {
        let entry = signals.get(signal)
        if (!entry) {
          const [kind, , page] = keys.text(signal).split(SEPARATOR)
          entry = { kind: kind as FrictionCostRow['kind'], signal: labels[signal], page, met: new Map() }
          signals.set(signal, entry)
        }
        tallyInto(entry.met, device, isConverted)
      }
      for (let session = 0; session < sessions.count; session += 1) {
        // Every session that met a signal viewed its page, so one without pages met nothing.
        if (viewed.count(session) === 0) continue
        device = sessions.device(session)
        isConverted = converted(session)
        viewed.forEach(session, countViewer)
        met.forEach(session, countMet)
      }
      return frictionCost(signals.values(), viewers).slice(0, REPORTED_ROWS)
    },
  }
}
