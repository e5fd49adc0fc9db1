import { listNdjsonFiles } from '../collector/sinks/ndjson'
import { forEachChunk } from './forEachChunk'
import { createLineParser } from './parseLines'
import { createReport } from './report'
import type { Report, ReportOptions } from './types'

/**
 * Top-level event keys no part of the report reads: the NDJSON reader checks their values but
 * does not make them (an event id or a vital's `delta` is a string or a number per event).
 * A test builds the report with and without them; reading one of them means removing it here.
 */
export const UNREAD_KEYS: readonly string[] = [
  'id',
  'delta',
  'navigationType',
  'title',
  'navigation',
  'pageHeight',
  'maxScrollPct',
  'props',
  'windowMs',
  'stack',
  'x',
  'y',
]

/**
 * Builds the report of every event in an NDJSON folder (streamed, never loaded whole) or of
 * any iterable of events. A folder is read in large chunks and its lines parsed from the bytes
 * (see {@link createLineParser}); lines that are not JSON are skipped, as `readNdjson` skips them.
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
  if (typeof source === 'string') {
    const parser = createLineParser({ omit: UNREAD_KEYS })
    const onChunk = (bytes: Buffer, end: number) => parser.parseLines(bytes, end, builder.add)
    for (const file of await listNdjsonFiles(source)) await forEachChunk(file, onChunk)
  } else {
    for await (const event of source) builder.add(event)
  }
  return builder.finish()
}
