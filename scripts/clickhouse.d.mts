export interface ClickhouseServer {
  url: string
  dir: string
  ports: { http: number; tcp: number; interserver: number }
  readonly pid: number | undefined
  pause(): Promise<void>
  resume(): Promise<void>
  stop(): Promise<void>
}
export declare function clickhouseServerPath(): string | undefined
export declare function assertClickhouse(): string
export declare function freePort(): Promise<number>
export declare function startClickhouse(options?: {
  keep?: boolean
  maxMemoryBytes?: number
  /** Where ports come from; a free loopback port by default. */
  pickPort?: () => Promise<number>
}): Promise<ClickhouseServer>
