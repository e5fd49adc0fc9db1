import { tallyInto } from './count'
import { frictionCost, type PageViewers, type SignalCounts } from './frictionCost'
import type { SessionState } from './sessions'
import type { FrictionCostRow } from './types'

/** Paths and signals remembered per session: a session that meets more is a bot or a loop. */
const MAX_PER_SESSION = 50

/** Distinct signals (kind × signal × page) priced; later ones are ignored and noted. */
const MAX_SIGNALS = 2000

/** Rows reported, most conversions lost first. */
const REPORTED_ROWS = 20

const SEPARATOR = '\u0000'

/**
 * Streams, per session, the pages viewed and the friction signals met on them; `result`
 * tallies sessions per signal × device and per page × device with their conversions, and
 * prices each signal with {@link frictionCost}.
 */
export function createFrictionCostAccumulator() {
  const labels = new Map<string, string>()
  const keys = new Map<string, string>()
  let ignored = 0
  return {
    /** The session viewed `path` (any event on it). */
    view(session: SessionState, path: string) {
      const pages = (session.pages ??= new Set())
      if (pages.size < MAX_PER_SESSION) pages.add(path)
    },
    /** The session met a signal on `path`; `id` identifies it, `label` is what the report shows. */
    meet(session: SessionState, kind: FrictionCostRow['kind'], id: string, path: string, label = id) {
      let key = `${kind}${SEPARATOR}${id}${SEPARATOR}${path}`
      const known = keys.get(key)
      // The sessions' sets hold the first string of each key, not one copy per session.
      if (known !== undefined) key = known
      else {
        if (labels.size >= MAX_SIGNALS) {
          ignored += 1
          return
        }
        labels.set(key, label)
        keys.set(key, key)
      }
      const signals = (session.signals ??= new Set())
      if (signals.size < MAX_PER_SESSION) signals.add(key)
      this.view(session, path)
    },
    get ignored() {
      return ignored
    },
    result(
      sessions: Iterable<SessionState>,
      converted: ((session: SessionState) => boolean) | null,
    ): FrictionCostRow[] {
      if (!converted) return []
      const viewers: PageViewers = new Map()
      const signals = new Map<string, SignalCounts>()
      for (const session of sessions) {
        if (!session.pages) continue
        const isConverted = converted(session)
        for (const path of session.pages) {
          let pool = viewers.get(path)
          if (!pool) viewers.set(path, (pool = new Map()))
          tallyInto(pool, session.device, isConverted)
        }
        for (const key of session.signals ?? []) {
          let entry = signals.get(key)
          if (!entry) {
            const [kind, , page] = key.split(SEPARATOR)
            entry = { kind: kind as FrictionCostRow['kind'], signal: labels.get(key) ?? '', page, met: new Map() }
            signals.set(key, entry)
          }
          tallyInto(entry.met, session.device, isConverted)
        }
      }
      return frictionCost(signals.values(), viewers).slice(0, REPORTED_ROWS)
    },
  }
}
