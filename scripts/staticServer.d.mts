import type { Server } from 'node:http'

export interface StaticServerOptions {
  port?: number
  host?: string
  fallbacks?: Record<string, string>
  files?: Record<string, string>
  html?: (text: string, url: URL) => string
}
export function serveStatic(
  mounts: Record<string, string>,
  options?: StaticServerOptions,
): Promise<{ server: Server; url: string; close(): Promise<void> }>
