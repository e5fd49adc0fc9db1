import type { Server } from 'node:http'
import type { Collector } from '../dist/collector/index.js'
import type { FrictionEvent } from '../dist/schema/index.js'

export const ROOT: string
export const DEMO_MOUNTS: Record<string, string>
export const DEMO_FALLBACKS: Record<string, string>
export function serveExamples(options?: { port?: number; host?: string }): Promise<{ server: Server; url: string }>
export interface Demo {
  collector: Collector
  /** The collector's endpoint, e.g. http://127.0.0.1:8787/e. */
  endpoint: string
  /** The dashboard, e.g. http://127.0.0.1:8787/. */
  dashboardUrl: string
  /** The examples' origin, e.g. http://127.0.0.1:8080. */
  pagesUrl: string
  dir: string
  close(): Promise<void>
}
export function startDemo(options?: {
  port?: number
  pagesPort?: number
  host?: string
  dir?: string
  /** Store in (and show the dashboard from) ClickHouse at this URL instead of `dir`. */
  clickhouse?: string
  onEvents?: (events: FrictionEvent[]) => void
}): Promise<Demo>
