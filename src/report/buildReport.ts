import { readNdjson } from '../collector/sinks/ndjson'
import { createReport } from './report'
import type { Report, ReportOptions } from './types'

/**
 * Builds the report of every event in an NDJSON folder (streamed, never loaded whole) or of
 * any iterable of events.
 *
 * @example
 * const report = await buildReport('./.frictionlog', { funnel: 'checkout' })
 * report.experiments[0]?.verdict
 */
export async function buildReport(
  source: string | AsyncIterable<unknown> | Iterable<unknown>,
  options: ReportOptions = {},
): Promise<Report> {
  const builder = createReport(options)
  const events = typeof source === 'string' ? readNdjson(source) : source
  for await (const event of events) builder.add(event)
  return builder.finish()
}
