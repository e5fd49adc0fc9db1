/** Options of {@link createQuota}: what one site may store per UTC day. */
export interface QuotaOptions {
  /** Most events stored per site and UTC day. @default Infinity */
  eventsPerDay?: number
  /** Most bytes (JSON characters of the stored events) per site and UTC day. @default 1 GiB */
  bytesPerDay?: number
}

/** Per-site daily budgets of the sink. */
export interface Quota {
  /** Takes one event of `chars` for `site` today, or says it does not fit (nothing taken). */
  take(site: string, chars: number): boolean
  /** Gives back what `take` took, for events that were not stored after all (duplicates, a failed write). */
  give(site: string, chars: number): void
}

/** Default daily bytes per site: one hostile client at 113 MiB/s is stopped after 9 s, a real site is far below. */
export const DEFAULT_BYTES_PER_SITE_DAY = 1024 ** 3
/**
 * Distinct sites tracked per day. Without a `sites` list anyone can invent site names, so past
 * this many the rest share one budget instead of growing the map (and each getting a fresh one).
 */
const MAX_TRACKED_SITES = 1000
const OVERFLOW_SITE = '\u0000other'

/** Creates the per-site, per-UTC-day quota; `now` is injectable for tests. */
export function createQuota(options: QuotaOptions = {}, now: () => number = Date.now): Quota {
  const maxEvents = options.eventsPerDay ?? Infinity
  const maxBytes = options.bytesPerDay ?? DEFAULT_BYTES_PER_SITE_DAY
  let day = -1
  let used = new Map<string, { events: number; bytes: number }>()
  const usageOf = (site: string) => {
    const today = Math.floor(now() / 86_400_000)
    if (today !== day) {
      day = today
      used = new Map()
    }
    const key = used.has(site) || used.size < MAX_TRACKED_SITES ? site : OVERFLOW_SITE
    let usage = used.get(key)
    if (!usage) used.set(key, (usage = { events: 0, bytes: 0 }))
    return usage
  }
  return {
    take(site, chars) {
      const usage = usageOf(site)
      if (usage.events + 1 > maxEvents || usage.bytes + chars > maxBytes) return false
      usage.events += 1
      usage.bytes += chars
      return true
    },
    give(site, chars) {
      const usage = usageOf(site)
      usage.events = Math.max(0, usage.events - 1)
      usage.bytes = Math.max(0, usage.bytes - chars)
    },
  }
}
