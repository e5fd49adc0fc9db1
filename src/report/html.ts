import { count, ms, pct, pValue, signedPct, vitalValue } from './format'
import { describeConversion, describeOptionsFilter, healthHasLoss, worstStepIndex } from './text'
import { hesitationBlocks } from './hesitationBlocks'
import { SPEED_HEADERS, speedRows } from './speedTable'
import { isoMinute } from './time'
import type { Block, Table } from './block'
import { blamedElementsTable, pageSpeedTable, pagesTable, replaysTable, variantRows } from './reportTables'
import { daysBlock, experimentBlocks, frictionCostBlock } from './scrutinyBlocks'
import { frictionBlocks } from './frictionBlocks'
import type { ExperimentReport, FeedbackQuestionReport, FunnelReport, Rating, Report, ScrollReach } from './types'

/** Options of {@link renderReportHtml}. */
export interface HtmlReportOptions {
  /**
   * Document title.
   * @default 'frictionlog report'
   */
  title?: string
  /**
   * Rows per list.
   * @default 15
   */
  top?: number
}

const DEFAULT_TOP_ROWS = 15

/** Chart geometry, in SVG user units (px at 100 % zoom). */
const CHART_WIDTH_PX = 640
const LABEL_WIDTH_PX = 170
const VALUE_WIDTH_PX = 110
const ROW_HEIGHT_PX = 28
const BAR_HEIGHT_PX = 18
/** Room under a chart for its x axis: ticks, their labels and the axis title. */
const AXIS_HEIGHT_PX = 40

/** The funnel step that loses the largest share of its sessions. */
const WORST_COLOUR = '#c4271b'

/** Field errors listed per form row. */
const FIELD_ERRORS_PER_FORM = 3

const RATING_COLOURS: Record<Rating, string> = { good: '#0a7d32', 'needs-improvement': '#b26a00', poor: '#c4271b' }

/**
 * Renders the report as one self-contained HTML document: inline CSS and SVG charts (funnel
 * bars, variant rates with their 95 % CI whiskers, scroll reach), no script, no network, so
 * it opens from disk, attaches to an email and renders the same in a sandbox. Every string
 * from the data (selectors, messages, paths) is escaped: stored events come from browsers.
 *
 * @example
 * await writeFile('report.html', renderReportHtml(report))
 */
export function renderReportHtml(report: Report, options: HtmlReportOptions = {}): string {
  const top = options.top ?? DEFAULT_TOP_ROWS
  const title = options.title ?? 'frictionlog report'
  const { totals, friction } = report
  const body: string[] = []

  body.push(
    `<header><h1>${esc(title)}</h1><p class="kpis">${[
      kpi('events', count(totals.events)),
      kpi('sessions', count(totals.sessions)),
      kpi('visitors', count(totals.visitors)),
      kpi('page views', count(totals.pageViews)),
    ].join('')}</p>`,
  )
  if (totals.firstTs !== null && totals.lastTs !== null) {
    body.push(
      `<p class="muted">${esc(isoMinute(totals.firstTs))} → ${esc(isoMinute(totals.lastTs))} UTC · conversion: ` +
        `${esc(describeConversion(report))}</p>`,
    )
  }
  if (report.health) {
    const h = report.health
    const dropped = Object.entries(h.dropped)
      .map(([reason, n]) => `${reason} ${count(n)}`)
      .join(', ')
    // Retries and persisted events are delivery working as designed; only a loss is a warning.
    body.push(
      `<p class="${healthHasLoss(h) ? 'warn' : 'muted'}">SDK health: ` +
        `${dropped ? `dropped ${esc(dropped)}` : 'nothing dropped'}; retried ${count(h.retried)}, beacon rejected ` +
        `${count(h.beaconRejected)}, persisted ${count(h.persisted)}, invalid ${count(h.invalid)}.</p>`,
    )
  }
  if (totals.filteredOut > 0) {
    body.push(
      `<p class="muted">Filtered: ${esc(describeOptionsFilter(report))} (${count(totals.filteredOut)} events left ` +
        `out).</p>`,
    )
  }
  body.push('</header>')

  if (report.experiments.length > 0) {
    body.push('<section><h2>Experiments</h2>')
    for (const experiment of report.experiments) body.push(experimentBlock(experiment))
    body.push('</section>')
  }
  const days = daysBlock(report.days ?? [])
  if (days) body.push(`<section><h2>${esc(days.title)}</h2>${htmlBlock(days, false)}</section>`)
  const cost = frictionCostBlock(report.frictionCost ?? [], top)
  if (cost) body.push(`<section><h2>${esc(cost.title)}</h2>${htmlBlock(cost, false)}</section>`)

  if (report.funnels.length > 0) {
    body.push('<section><h2>Funnels</h2>')
    for (const funnel of report.funnels) body.push(funnelBlock(funnel))
    body.push('</section>')
  }

  if (report.speedVsConversion) {
    const s = report.speedVsConversion
    body.push('<section><h2>Speed and conversion</h2><p class="muted">Sessions by their worst LCP rating.</p>')
    body.push(tableHtml(SPEED_HEADERS, speedRows(s)))
    body.push(
      `<p>Slow vs good: <b>${esc(signedPct(s.lift))}</b> relative, p ${esc(pValue(s.pValue))}; ${count(s.unrated)} ` +
        `sessions without LCP.</p></section>`,
    )
  }

  const frictionTables = [...frictionBlocks(friction, top, FIELD_ERRORS_PER_FORM), ...hesitationBlocks(friction, top)]
  if (frictionTables.length > 0) {
    body.push('<section><h2>Friction</h2>')
    for (const block of frictionTables) {
      body.push(`<h3>${esc(block.title)}</h3>${block.note ? `<p>${esc(block.note)}</p>` : ''}`, blockTable(block))
    }
    body.push('</section>')
  }

  if (report.attention.scroll.some((r) => r.pageViews > 0) || report.attention.sections.length > 0) {
    body.push('<section><h2>Attention</h2>')
    if (report.attention.scroll.some((r) => r.pageViews > 0)) {
      body.push('<h3>Scroll depth: share of page views reaching</h3>', scrollChart(report.attention.scroll))
    }
    if (report.attention.sections.length > 0) {
      body.push(
        '<h3>Sections, in their usual order</h3>',
        tableHtml(
          ['section', 'views', 'avg visible', 'usual position'],
          report.attention.sections.map((s) => [s.section, count(s.views), ms(s.avgVisibleMs), String(s.typicalOrder)]),
        ),
      )
    }
    body.push('</section>')
  }

  if (report.vitals.metrics.length > 0) {
    body.push('<section><h2>Core Web Vitals (p75)</h2><p class="kpis">')
    for (const m of report.vitals.metrics) {
      const colour = m.rating ? RATING_COLOURS[m.rating] : 'inherit'
      body.push(
        `<span class="kpi"><b style="color:${colour}">${esc(vitalValue(m.name, m.p75))}</b>` +
          `${esc(m.name)} · ${esc(m.rating ?? '–')} · p95 ${esc(vitalValue(m.name, m.p95))} · ` +
          `${esc(pct(m.poorShare))} poor · ${count(m.samples)} samples</span>`,
      )
    }
    body.push('</p>')
    if (report.vitals.worstTargets.length > 0) {
      body.push(
        '<h3>Elements blamed for slow values</h3><p class="muted">Needs-improvement and poor reports only.</p>',
        blockTable(blamedElementsTable(report.vitals.worstTargets, top)),
      )
    }
    body.push('</section>')
  }

  if (report.pages.length > 0) {
    body.push('<section><h2>Pages</h2>')
    body.push(blockTable(pagesTable(report.pages, top)))
    const speed = pageSpeedTable(report.pages, top, { path: code, p75: rated })
    if (speed.rows.length > 0) {
      body.push(
        '<h3>Page speed</h3><p class="muted">Per path: p75 (rated), p95 and the share of page views rated poor.</p>',
      )
      body.push(tableHtml(speed.headers, speed.rows, [0, 1, 4, 7]))
    }
    body.push('</section>')
  }

  if (report.replays && report.replays.list.length > 0) {
    body.push(
      `<section><h2>Recorded sessions</h2><p class="muted">${count(report.replays.sessions)} sessions with a ` +
        `replay; the most recent first.</p>`,
    )
    body.push(blockTable(replaysTable(report.replays, top)))
    body.push('</section>')
  }

  if (report.feedback?.length > 0) {
    body.push('<section><h2>Feedback</h2>')
    for (const q of report.feedback.slice(0, top)) body.push(feedbackBlock(q))
    body.push('</section>')
  }

  if (report.notes.length > 0) {
    body.push(`<section><h2>Notes</h2><ul>${report.notes.map((n) => `<li>${esc(n)}</li>`).join('')}</ul></section>`)
  }

  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`
}

function experimentBlock(experiment: ExperimentReport): string {
  const parts = [
    `<div class="card"><h3>${esc(experiment.experiment)}</h3><p class="verdict">${esc(experiment.verdict)}</p>`,
  ]
  if (experiment.warning) parts.push(`<p class="warn">⚠ ${esc(experiment.warning)}</p>`)
  for (const flag of experiment.flags) {
    if (flag.kind !== 'srm') parts.push(`<p class="warn">⚠ ${esc(flag.message)}</p>`)
  }
  if (experiment.mixedSessions > 0) {
    parts.push(
      `<p class="warn">⚠ ${count(experiment.mixedSessions)} sessions saw more than one variant (counted in their ` +
        `first): check the bucketing.</p>`,
    )
  }
  parts.push(variantChart(experiment))
  parts.push(
    tableHtml(
      ['variant', 'exposed', 'converted', 'rate', '95 % CI', 'lift', 'p', 'rage / session', 'errors / session'],
      variantRows(experiment, ' ✓'),
    ),
  )
  for (const block of experimentBlocks(experiment)) parts.push(htmlBlock(block, true))
  parts.push('</div>')
  return parts.join('\n')
}

/** Variant conversion rates as bars, with their 95 % CI as whiskers on a shared axis. */
function variantChart(experiment: ExperimentReport): string {
  const variants = experiment.variants
  const ticks = axisTicks(Math.min(1, Math.max(0.01, ...variants.map((v) => v.rate.high))))
  const axisMax = ticks[ticks.length - 1]
  const plotWidth = CHART_WIDTH_PX - LABEL_WIDTH_PX - VALUE_WIDTH_PX
  const x = (rate: number) => LABEL_WIDTH_PX + (Math.min(Math.max(rate, 0), axisMax) / axisMax) * plotWidth
  const axisY = variants.length * ROW_HEIGHT_PX + 6
  const height = axisY + AXIS_HEIGHT_PX
  // The x axis: a baseline, a tick and a gridline per value, labelled in percent.
  const axis = [
    `<line class="axis" x1="${LABEL_WIDTH_PX}" x2="${LABEL_WIDTH_PX + plotWidth}" y1="${axisY}" y2="${axisY}"/>`,
    ...ticks.map((t) => {
      const tx = x(t).toFixed(1)
      return (
        `<line class="grid" x1="${tx}" x2="${tx}" y1="0" y2="${axisY}"/><line class="axis" x1="${tx}" x2="${tx}" ` +
        `y1="${axisY}" y2="${axisY + 4}"/>` +
        `<text x="${tx}" y="${axisY + 16}" text-anchor="middle">${esc(axisPct(t))}</text>`
      )
    }),
    `<text x="${LABEL_WIDTH_PX + plotWidth / 2}" y="${axisY + 32}" text-anchor="middle" class="muted">conversion ` +
      `rate (bar) and 95 % CI (whiskers)</text>`,
  ].join('')
  const rows = variants.map((v, index) => {
    const y = index * ROW_HEIGHT_PX + 4
    const mid = y + BAR_HEIGHT_PX / 2
    const colour = index === 0 ? '#7a8594' : v.isSignificant ? ((v.lift ?? 0) > 0 ? '#0a7d32' : '#c4271b') : '#3b6fd6'
    return [
      `<text x="${LABEL_WIDTH_PX - 8}" y="${mid + 4}" text-anchor="end">${esc(truncate(v.variant, 22))}</text>`,
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${(x(v.rate.rate) - LABEL_WIDTH_PX).toFixed(1)}" ` +
        `height="${BAR_HEIGHT_PX}" fill="${colour}" rx="2"/>`,
      `<line x1="${x(v.rate.low).toFixed(1)}" x2="${x(v.rate.high).toFixed(1)}" y1="${mid}" y2="${mid}" ` +
        `stroke="#111" stroke-width="1.5"/>`,
      `<line x1="${x(v.rate.low).toFixed(1)}" x2="${x(v.rate.low).toFixed(1)}" y1="${y + 3}" ` +
        `y2="${y + BAR_HEIGHT_PX - 3}" stroke="#111" stroke-width="1.5"/>`,
      `<line x1="${x(v.rate.high).toFixed(1)}" x2="${x(v.rate.high).toFixed(1)}" y1="${y + 3}" ` +
        `y2="${y + BAR_HEIGHT_PX - 3}" stroke="#111" stroke-width="1.5"/>`,
      `<text x="${CHART_WIDTH_PX - VALUE_WIDTH_PX + 8}" y="${mid + 4}">${esc(pct(v.rate.rate))}</text>`,
    ].join('')
  })
  return svg(
    height,
    `Conversion rate by variant of ${experiment.experiment}, with 95 % confidence intervals`,
    axis + rows.join(''),
  )
}

/** One feedback question: its answers with a bar each, and the latest text answers. */
function feedbackBlock(q: FeedbackQuestionReport): string {
  const most = Math.max(1, ...q.counts.map((c) => c.count))
  const summary = q.numbers ? ` · mean ${esc(q.numbers.mean.toFixed(2))}, median ${esc(String(q.numbers.median))}` : ''
  const parts = [`<div class="card"><h3>${esc(q.question)} <small>${count(q.answers)} answers${summary}</small></h3>`]
  parts.push(
    tableHtml(
      ['answer', 'count', 'share', ''],
      q.counts.map((c) => [
        String(c.answer),
        count(c.count),
        pct(c.count / q.answers),
        { html: `<span class="bar" style="width:${Math.max(2, Math.round((c.count / most) * 160))}px"></span>` },
      ]),
      [0],
    ),
  )
  if (q.otherAnswers > 0) parts.push(`<p class="muted">${count(q.otherAnswers)} other answers.</p>`)
  if (q.latest.length > 0 && q.kind !== 'number') {
    const when = (ts: number | null) => (ts === null ? '' : `<small>${esc(isoMinute(ts))}</small> `)
    const items = q.latest.map((l) => `<li>${when(l.ts)}${esc(l.answer)}</li>`).join('')
    parts.push(`<p class="muted">Latest answers</p><ul>${items}</ul>`)
  }
  parts.push('</div>')
  return parts.join('')
}

/** "Nice" ticks from 0 to at least `max` (steps of 1, 2 or 5 × 10^n), at most about five. */
export function axisTicks(max: number): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1]
  const rough = max / 4
  const magnitude = 10 ** Math.floor(Math.log10(rough))
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((candidate) => candidate >= rough) ?? rough
  const ticks: number[] = []
  for (let i = 0; i * step < max + step * 0.999 && i <= 10; i++) ticks.push(Number((i * step).toPrecision(12)))
  return ticks
}

/** Sessions per funnel step as horizontal bars, widest first. */
function funnelBlock(funnel: FunnelReport): string {
  const max = Math.max(1, ...funnel.steps.map((s) => s.sessions))
  const plotWidth = CHART_WIDTH_PX - LABEL_WIDTH_PX - VALUE_WIDTH_PX
  const worst = worstStepIndex(funnel)
  const rows = funnel.steps.map((s, index) => {
    const y = index * ROW_HEIGHT_PX + 4
    const width = (s.sessions / max) * plotWidth
    const worstNote = index === worst ? ` · worst step, ${esc(pct(s.conversion))} from previous` : ''
    const label = `${esc(count(s.sessions))}${worstNote}`
    return [
      `<text x="${LABEL_WIDTH_PX - 8}" y="${y + BAR_HEIGHT_PX / 2 + 4}" ` +
        `text-anchor="end">${esc(truncate(`${s.stepIndex + 1}. ${s.step}`, 22))}</text>`,
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT_PX}" ` +
        `fill="${index === worst ? WORST_COLOUR : '#3b6fd6'}" rx="2"/>`,
      `<text x="${(LABEL_WIDTH_PX + width + 6).toFixed(1)}" ` +
        `y="${y + BAR_HEIGHT_PX / 2 + 4}"${index === worst ? ' class="worst"' : ''}>${label}</text>`,
    ].join('')
  })
  const chart = svg(
    funnel.steps.length * ROW_HEIGHT_PX + 8,
    `Sessions per step of funnel ${funnel.funnel}`,
    rows.join(''),
  )
  const table = tableHtml(
    ['step', 'sessions', 'from previous', 'drop-off', 'median time'],
    funnel.steps.map((s) => [
      `${s.stepIndex + 1}. ${s.step}`,
      count(s.sessions),
      pct(s.conversion),
      count(s.dropOff),
      ms(s.medianMsSincePrevious),
    ]),
    [],
    worst,
  )
  return (
    `<div class="card"><h3>${esc(funnel.funnel)} <small>${esc(pct(funnel.overallConversion))} end to ` +
    `end</small></h3>${chart}${table}</div>`
  )
}

/** Share of page views reaching each scroll milestone, as horizontal bars on a 0–100 % axis. */
function scrollChart(reach: ScrollReach[]): string {
  const plotWidth = CHART_WIDTH_PX - LABEL_WIDTH_PX - VALUE_WIDTH_PX
  const rows = reach.map((r, index) => {
    const y = index * ROW_HEIGHT_PX + 4
    const width = (r.share ?? 0) * plotWidth
    return [
      `<text x="${LABEL_WIDTH_PX - 8}" y="${y + BAR_HEIGHT_PX / 2 + 4}" text-anchor="end">${r.depthPct} %</text>`,
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${plotWidth}" height="${BAR_HEIGHT_PX}" fill="#e6e9ef" rx="2"/>`,
      `<rect x="${LABEL_WIDTH_PX}" y="${y}" width="${width.toFixed(1)}" height="${BAR_HEIGHT_PX}" fill="#7b4fd6" ` +
        `rx="2"/>`,
      `<text x="${CHART_WIDTH_PX - VALUE_WIDTH_PX + 8}" y="${y + BAR_HEIGHT_PX / 2 + 4}">${esc(pct(r.share))}</text>`,
    ].join('')
  })
  return svg(reach.length * ROW_HEIGHT_PX + 8, 'Share of page views reaching each scroll depth', rows.join(''))
}

function svg(height: number, label: string, content: string): string {
  return (
    `<svg class="chart" viewBox="0 0 ${CHART_WIDTH_PX} ${height}" width="${CHART_WIDTH_PX}" height="${height}" ` +
    `role="img" aria-label="${esc(label)}" xmlns="http://www.w3.org/2000/svg">${content}</svg>`
  )
}

/** A scrutiny block: its title (a heading inside a card, or none when the section names it), note, table, warnings. */
function htmlBlock(block: Block, titled: boolean): string {
  return [
    titled ? `<h4>${esc(block.title)}</h4>` : '',
    block.note ? `<p class="muted">${esc(block.note)}</p>` : '',
    blockTable(block),
    ...block.warnings.map((w) => `<p class="warn">⚠ ${esc(w)}</p>`),
  ].join('')
}

/** A renderer-neutral table, its code columns set in `<code>`. */
function blockTable(block: Table): string {
  const codeColumns = block.codeColumns ?? []
  const rows = block.rows.map((row) => row.map((cell, column) => (codeColumns.includes(column) ? code(cell) : cell)))
  return tableHtml(block.headers, rows, block.textColumns)
}

/** Marker for cells already escaped and wrapped (`<code>`, coloured ratings). */
interface Html {
  html: string
}

const code = (text: string): Html => ({ html: `<code>${esc(text)}</code>` })

const rated = (text: string, rating: Rating | null): Html => ({
  html: `<span style="color:${rating ? RATING_COLOURS[rating] : 'inherit'}">${esc(text)}</span>`,
})

/** A cell that reads as a number (a count, percentage, duration, p-value with its ✓). */
const NUMERIC_CELL = /^[−+\-<]?[\d,.\s%–*✓]*(ms|s|min)?$/

/** A table; columns whose cells are all numbers are right-aligned. */
function tableHtml(
  headers: string[],
  rows: Array<Array<string | Html>>,
  textColumns: number[] = [],
  highlightRow = -1,
): string {
  const isNumeric = headers.map(
    (_, column) =>
      !textColumns.includes(column) &&
      rows.length > 0 &&
      rows.every((row) => typeof row[column] === 'string' && NUMERIC_CELL.test(row[column] as string)),
  )
  const cell = (value: string | Html, column: number) =>
    `<td${isNumeric[column] ? ' class="num"' : ''}>${typeof value === 'string' ? esc(value) : value.html}</td>`
  const head = headers.map((h, column) => `<th${isNumeric[column] ? ' class="num"' : ''}>${esc(h)}</th>`).join('')
  const body = rows
    .map((row, index) => `<tr${index === highlightRow ? ' class="worst"' : ''}>${row.map(cell).join('')}</tr>`)
    .join('')
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`
}

/** A tick label: `0 %`, `20 %`, `2.5 %`. */
const axisPct = (value: number) => `${Number((value * 100).toPrecision(3))} %`

function kpi(label: string, value: string): string {
  return `<span class="kpi"><b>${esc(value)}</b>${esc(label)}</span>`
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Escapes text for HTML content and double-quoted attributes. */
export function esc(text: string): string {
  return String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

// The inline stylesheet, a line of rules per array item.
const CSS = [
  '',
  ':root{color-scheme:light;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;' +
    'color:#1b1f24;background:#f6f7f9}',
  'body{max-width:1100px;margin:0 auto;padding:24px}',
  'h1{margin:0 0 8px;font-size:24px}' +
    'h2{margin:32px 0 8px;font-size:19px;border-bottom:1px solid #d5d9e0;padding-bottom:4px}',
  'h3{margin:18px 0 6px;font-size:15px}h3 small{font-weight:400;color:#5b6573}',
  'h4{margin:14px 0 4px;font-size:14px}',
  '.kpis{display:flex;flex-wrap:wrap;gap:12px;margin:8px 0}',
  '.kpi{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:8px 14px;color:#5b6573}',
  '.kpi b{display:block;font-size:20px;color:#1b1f24}',
  '.muted{color:#5b6573}.warn{color:#8a4b00;background:#fff4e0;border-left:3px solid #e0a030;padding:6px 10px}',
  '.card{background:#fff;border:1px solid #d5d9e0;border-radius:6px;padding:4px 16px 12px;margin:12px 0}',
  '.verdict{font-weight:600}',
  'table{border-collapse:collapse;margin:8px 0;background:#fff;font-size:13px}',
  'th,td{border-bottom:1px solid #e6e9ef;padding:4px 10px;text-align:left;vertical-align:top}',
  'th{background:#eef0f4}.num{text-align:right;font-variant-numeric:tabular-nums}',
  'code{font:12px ui-monospace,SFMono-Regular,Menlo,monospace;word-break:break-all}',
  '.chart{display:block;max-width:100%;height:auto;font:12px system-ui,sans-serif}',
  '.chart text{fill:#1b1f24}.chart text.worst{fill:#c4271b;font-weight:600}.chart .axis{stroke:#5b6573}' +
    '.chart .grid{stroke:#e6e9ef}',
  'tr.worst td{background:#fdecea;font-weight:600}',
  '.bar{display:inline-block;height:10px;background:#3b6fd6;border-radius:2px;vertical-align:middle}',
  '',
].join('\n')
