export {
  createCollector,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_DEDUPE_WINDOW,
  DEFAULT_DIR,
  DEFAULT_MAX_CONCURRENT_REQUESTS,
  DEFAULT_MAX_IN_FLIGHT_BYTES,
  DEFAULT_SINK_TIMEOUT_MS,
} from './collector'
export type { QuotaOptions } from './quota'
export type { Collector, CollectorOptions } from './collector'
export type { CollectorStats } from './stats'
export type { RejectedEvent } from './handle'
export type { ListenOptions, Listening, ListenHandler, CloseOptions } from './listen'
export type { Sink } from './sink'
export { createNdjsonSink, readNdjson } from './sinks/ndjson'
export type { NdjsonSink, NdjsonSinkOptions, NdjsonReadCounts } from './sinks/ndjson'
export { createDashboard } from '../dashboard/dashboard'
export type { Dashboard, DashboardOptions } from '../dashboard/dashboard'
export { createMemorySink } from './sinks/memory'
export type { MemorySink } from './sinks/memory'
// The report engine has its own entry (frictionlog/report); re-exported so imports made before the split keep working.
export * from '../report/index'
export { createClickhouseSink } from './sinks/clickhouse'
export type { ClickhouseSink, ClickhouseSinkOptions } from './sinks/clickhouse'
export { clickhouseDdl, DEFAULT_CLICKHOUSE_DATABASE, DEFAULT_CLICKHOUSE_TABLE } from './sinks/clickhouseDdl'
export type { ClickhouseConnectionOptions } from './sinks/clickhouseClient'
