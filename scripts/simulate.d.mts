export const CHROMIUM_PATH: string
export class ChromiumMissingError extends Error {}
export interface SimulateResult {
  visitors: number
  ms: number
  variants: { A: number; B: number }
  failures: string[]
}
export function simulate(options: {
  visitors: number
  pagesUrl: string
  endpoint: string
  concurrency?: number
  seed?: number
  onProgress?: (done: number, total: number) => void
}): Promise<SimulateResult>
