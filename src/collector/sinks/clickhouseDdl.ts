import { sqlIdentifier } from './clickhouseEscape'

/** Database and table the ClickHouse sink and report use unless told otherwise. */
export const DEFAULT_CLICKHOUSE_DATABASE = 'frictionlog'
export const DEFAULT_CLICKHOUSE_TABLE = 'events'

/**
 * The statements that create the events table (and its database), applied by
 * `frictionlog clickhouse init` and by the sink on its first write. Idempotent (`IF NOT EXISTS`).
 *
 * - `ReplacingMergeTree` whose sorting key ends with the event `id`: a retried batch written
 *   twice, by one collector or by two behind a load balancer, collapses into one row when
 *   parts merge. Merges happen in the background, so every report query reads `FINAL`.
 * - Partitioned by day (`day`, derived from `ts`): old days drop with one `ALTER … DROP PARTITION`.
 * - Ordered by `(site, type, ts, id)`: every report query filters one site and a few types.
 * - `ts` is UInt64 epoch ms and `day` a Date: 18.16 has no DateTime64.
 * - Envelope and every field the report aggregates are typed columns, filled by the sink from
 *   the validated event (`clickhouseRow`), so queries never parse JSON (18.16 has no
 *   `JSONExtract*`, and `visitParamExtract*` matches keys at any depth). The rest of the
 *   event, and its context, stay as JSON strings (`fields`, `context`): the event can be rebuilt
 *   whole, and a new report section can start from them before it earns a column.
 * - No `LowCardinality` (18.16 wants a setting for it); ClickHouse's LZ4 compresses the
 *   repetitive strings well enough.
 */
export function clickhouseDdl(database = DEFAULT_CLICKHOUSE_DATABASE, table = DEFAULT_CLICKHOUSE_TABLE): string[] {
  const db = sqlIdentifier(database)
  return [
    `CREATE DATABASE IF NOT EXISTS ${db}`,
    `CREATE TABLE IF NOT EXISTS ${db}.${sqlIdentifier(table)} (
  id String,
  ts UInt64,
  day Date MATERIALIZED toDate(intDiv(ts, 1000)),
  seq UInt64,
  site String,
  type String,
  sessionId String,
  anonymousId String,
  userId Nullable(String),
  pageId String,
  url String,
  urlPath String,
  experimentNames Array(String),
  experimentVariants Array(String),
  name String,
  value Float64,
  rating String,
  target String,
  funnel String,
  step String,
  stepIndex Int32,
  msSincePrevious Nullable(Float64),
  experiment String,
  variant String,
  depthPct Int32,
  engagedMs Nullable(Float64),
  section String,
  visibleMs Float64,
  sectionOrder Int32,
  selector String,
  text String,
  fingerprint String,
  message String,
  errorType String,
  source String,
  occurrences Float64,
  afterClick String,
  form String,
  lastField String,
  field String,
  reason String,
  replayBytes UInt64,
  replayStart Nullable(Float64),
  replayEnd Nullable(Float64),
  retried Float64,
  beaconRejected Float64,
  persisted Float64,
  invalid Float64,
  droppedReasons Array(String),
  droppedCounts Array(Float64),
  context String,
  fields String
) ENGINE = ReplacingMergeTree()
PARTITION BY day
ORDER BY (site, type, ts, id)`,
  ]
}
