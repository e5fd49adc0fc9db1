// The `frictionlog report` engine: a streaming builder, the report object and two renderers.
export { createReport, type ReportBuilder } from './report'
export { buildReport } from './buildReport'
export { formatEvent } from './formatEvent'
export { renderReportText, type TextReportOptions } from './text'
export { renderReportHtml, type HtmlReportOptions } from './html'
export type * from './types'
export { buildClickhouseReport, type ClickhouseReportOptions } from './clickhouse/clickhouseReport'
