// Where the dashboard reads its data: the NDJSON files the collector writes (the embedded
// default), or ClickHouse (clickhouseSource.ts). The routes ask a source, never a store.
import { readNdjson } from '../collector/sinks/ndjson'
import { buildReport } from '../report/buildReport'
import type { Report, ReportOptions } from '../report/types'
import {
  gatherHeatmap,
  gatherReplay,
  gatherSessionFriction,
  type Breakpoint,
  type HeatmapData,
  type ReplayData,
  type SessionFriction,
} from './storeData'

/** What the dashboard's routes read. */
export interface DashboardSource {
  /** A cheap fingerprint that changes whenever events were stored: what the live view polls. */
  version(): Promise<string>
  report(options?: ReportOptions): Promise<Report>
  heatmap(path: string, breakpoint: Breakpoint): Promise<HeatmapData>
  replay(sessionId: string): Promise<ReplayData>
  sessionFriction(sessionIds: string[]): Promise<SessionFriction>
  /** Releases what the source holds open (a ClickHouse connection). */
  close(): Promise<void>
}

/** The dashboard's data from the NDJSON folder `dir`: each read streams the files once. */
export function ndjsonSource(dir: string): DashboardSource {
  return {
    version: () => storeVersion(dir),
    report: (options) => buildReport(dir, options),
    heatmap: (path, breakpoint) => gatherHeatmap(readNdjson(dir), path, breakpoint),
    replay: (sessionId) => gatherReplay(readNdjson(dir), sessionId),
    sessionFriction: (sessionIds) => gatherSessionFriction(readNdjson(dir), sessionIds),
    close: async () => {},
  }
}

/**
 * A cheap fingerprint of the store: names, sizes and modification times of its files. It
 * changes whenever the collector (this one or another process) appends a batch, which is what
 * the live view polls.
 */
export async function storeVersion(dir: string): Promise<string> {
  const fs = await import('node:fs/promises')
  let names: string[]
  try {
    names = (await fs.readdir(dir)).filter((name) => name.endsWith('.ndjson')).sort()
  } catch {
    return 'empty'
  }
  const parts: string[] = []
  for (const name of names) {
    try {
      const stat = await fs.stat(`${dir.replace(/[\\/]+$/, '')}/${name}`)
      parts.push(`${name}:${stat.size}:${Math.floor(stat.mtimeMs)}`)
    } catch {
      parts.push(`${name}:gone`)
    }
  }
  return parts.join('|') || 'empty'
}
