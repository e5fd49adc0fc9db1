// The heatmap from ClickHouse: the path picker's counts and the page's height and URL are
// aggregated in SQL, so only the points of the one page and breakpoint shown reach Node, and
// they go through the NDJSON path's own `pointOf`, so both stores draw the same map.
import type { ClickhouseConnection } from '../collector/sinks/clickhouseClient'
import { sqlString } from '../collector/sinks/clickhouseEscape'
import {
  BREAKPOINTS,
  CLICK_KINDS,
  commonWidth,
  MAX_HEAT_PATHS,
  MAX_HEAT_POINTS,
  pointOf,
  type Breakpoint,
  type HeatmapData,
  type HeatPoint,
} from './storeData'

/** The click signals with a position matching `where`, and the viewport width `widthOf` (storeData.ts) reads. */
const clickSignals = (scope: string, where = '1') => `(
  SELECT type, urlPath, seq, fields,
    if(visitParamHas(fields, 'viewportW'), visitParamExtractFloat(fields, 'viewportW'),
      visitParamExtractFloat(visitParamExtractRaw(context, 'viewport'), 'w')) AS width
  FROM ${scope} AND type IN ('click', 'rage_click', 'dead_click')
    AND visitParamHas(fields, 'x') AND visitParamHas(fields, 'y')
) WHERE width > 0 AND (${where})`

/** The SQL of `breakpointOf` (storeData.ts): under 768 px a phone, under 1024 px a tablet. */
const BREAKPOINT_SQL: Record<Breakpoint, string> = {
  mobile: 'width < 768',
  tablet: 'width >= 768 AND width < 1024',
  desktop: 'width >= 1024',
}

const CLICK_TYPES = Object.keys(CLICK_KINDS).map(sqlString).join(', ')

/**
 * The heatmap data of `path` at `breakpoint`. `scope` is `<table> FINAL WHERE <site and window>`
 * (FINAL: a batch stored twice by a retry counts once).
 */
export async function clickhouseHeatmap(
  ch: ClickhouseConnection,
  scope: string,
  path: string,
  breakpoint: Breakpoint,
): Promise<HeatmapData> {
  const onPath = `urlPath = ${sqlString(path)}`
  const [paths, rows, [page]] = await Promise.all([
    ch.query<{ path: string; points: number } & Record<Breakpoint, number>>(
      `SELECT urlPath AS path, count() AS points, min(seq) AS first,
        ${BREAKPOINTS.map((bp) => `countIf(${BREAKPOINT_SQL[bp]}) AS ${bp}`).join(', ')}
      FROM ${clickSignals(scope)} GROUP BY urlPath ORDER BY points DESC, first LIMIT ${MAX_HEAT_PATHS}`,
    ),
    ch.query<{ type: string; fields: string; width: number }>(
      `SELECT type, fields, width FROM ${clickSignals(scope, `${onPath} AND ${BREAKPOINT_SQL[breakpoint]}`)} ORDER BY seq LIMIT ${MAX_HEAT_POINTS + 1}`,
    ),
    ch.query<{ pageHeight: number; pageUrl: string }>(
      `SELECT maxIf(height, type = 'scroll' AND height > 0) AS pageHeight,
        argMaxIf(url, (ts, seq), type != 'scroll' AND match(url, '^(?i)https?://')) AS pageUrl
      FROM (SELECT type, url, ts, seq, visitParamExtractFloat(fields, 'pageHeight') AS height
        FROM ${scope} AND ${onPath} AND type IN ('scroll', 'page', ${CLICK_TYPES}))`,
    ),
  ])
  const points: HeatPoint[] = []
  for (const row of rows.slice(0, MAX_HEAT_POINTS)) {
    // `width` is the viewport width the query picked: the context's, when the event has none.
    const event = { ...(JSON.parse(row.fields) as Record<string, unknown>), viewportW: row.width }
    const point = pointOf(event, CLICK_KINDS[row.type])
    if (point) points.push(point)
  }
  return {
    path,
    breakpoint,
    paths: paths.map(({ path: name, points: n, mobile, tablet, desktop }) => ({
      path: name,
      points: n,
      byBreakpoint: { mobile, tablet, desktop },
    })),
    points,
    truncated: rows.length > MAX_HEAT_POINTS,
    width: commonWidth(points),
    pageHeight: page && page.pageHeight > 0 ? page.pageHeight : null,
    pageUrl: page && page.pageUrl !== '' ? page.pageUrl : null,
  }
}
