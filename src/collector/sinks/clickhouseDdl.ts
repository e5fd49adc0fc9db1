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
 *   parts merge. Merges happen in the background, so every report query reads `FINAL`. The row
 *   kept is the first to arrive (its version, `firstArrival`, falls as `seq` grows), as the
 *   NDJSON sink keeps the first copy: ties in the report's top lists, which break on the first
 *   arrival, then fall the same way in both stores.
 * - Partitioned by day (`day`, derived from `ts`): old days drop with one `ALTER … DROP PARTITION`.
 * - Ordered by `(site, type, ts, id)`: every report query filters one site and a few types.
 * - `ts` is UInt64 epoch ms and `day` a Date: 18.16 has no DateTime64.
 * - The envelope is typed columns (and `context.experiments` two arrays, for the guardrails).
 *   The fields the report aggregates, normalized by the sink (`clickhouseRow`), are one flat JSON
 *   object of scalars, `facts`, read with `visitParamExtract*` (18.16 has no `JSONExtract*`;
 *   visitParam matches a key at any depth, which is exact on a flat object the sink wrote). Why
 *   not a column each: a MergeTree part has files per column, and 18.16 has no compact parts,
 *   so each insert (one per batch) cost about 13 ms per column on the test machine: 52 typed
 *   columns made a 50-event insert 3 to 4 times slower than these 19. The rest of the event and its
 *   context stay as JSON (`fields`, `context`), so the event can be rebuilt whole.
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
  firstArrival UInt64 MATERIALIZED 18446744073709551615 - seq,
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
  droppedReasons Array(String),
  droppedCounts Array(Float64),
  facts String,
  context String,
  fields String
) ENGINE = ReplacingMergeTree(firstArrival)
PARTITION BY day
ORDER BY (site, type, ts, id)`,
  ]
}
