import type { Collector } from 'frictionlog/collector'

type Handler = (request: Request) => Promise<Response>
export function createRoute(options?: { dir?: string; allowedOrigins?: string[] | '*' }): {
  POST: Handler
  OPTIONS: Handler
  collector: Collector
}
export const POST: Handler
export const OPTIONS: Handler
