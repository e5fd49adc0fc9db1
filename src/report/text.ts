import { count, ms, pct, pValue, signedPct, vitalValue } from './format'
import type { Block, Table } from './block'
import { blamedElementsTable, pageSpeedTable, pagesTable, replaysTable, variantRows } from './reportTables'
import { daysBlock, experimentBlocks, frictionCostBlock } from './scrutinyBlocks'
import { frictionBlocks } from './frictionBlocks'
import { hesitationBlocks } from './hesitationBlocks'
import { terminalSafe } from './terminalSafe'
import { SPEED_HEADERS, speedRows } from './speedTable'
import { isoMinute } from './time'
import type { FunnelReport, Health, Report } from './types'

/** Options of {@link renderReportText}. */
export interface TextReportOptions {
  /**
   * Rows per list (selectors, errors, forms, pages…).
   * @default 10
   */
  top?: number
}

const DEFAULT_TOP_ROWS = 10

/** Width of the scroll-depth bars, in characters. */
const BAR_WIDTH_CHARS = 30

/** Longest cell printed: selectors and messages are long, a table row must stay a line. */
const MAX_CELL_CHARS = 48

/** Longest latest feedback answer printed. */
const LATEST_ANSWER_CHARS = 100

/**
 * Renders the report for a terminal: plain text, aligned tables, no colours (it is piped and
 * pasted into tickets as often as read on a TTY). Every string in it came from a browser, so
 * control characters, escape sequences and bidi overrides are replaced (see terminalSafe), and
 * any number the schema accepts prints (a timestamp no Date holds is `invalid time`).
 *
 * @example
 * io.stdout(renderReportText(await buildReport('./.frictionlog')))
 */
export function renderReportText(report: Report, options: TextReportOptions = {}): string {
  const top = options.top ?? DEFAULT_TOP_ROWS
  const { totals } = report
  const out: string[] = []
  const section = (title: string) => out.push('', title, '─'.repeat(title.length))

  out.push(
    `frictionlog report: ${count(totals.events)} events, ${count(totals.sessions)} sessions, ` +
      `${count(totals.visitors)} visitors, ${count(totals.pageViews)} page views`,
  )
  if (totals.firstTs !== null && totals.lastTs !== null) {
    out.push(`from ${isoMinute(totals.firstTs)} to ${isoMinute(totals.lastTs)} (UTC)`)
  }
  out.push(`conversion: ${describeConversion(report)}`)

  if (report.health) out.push(healthLine(report.health))
  if (totals.filteredOut > 0)
    out.push(`filtered: ${describeOptionsFilter(report)} (${count(totals.filteredOut)} events left out)`)

  if (report.funnels.length > 0) {
    section('Funnels')
    for (const funnel of report.funnels) {
      out.push(`${funnel.funnel}: ${pct(funnel.overallConversion)} of the sessions entering reach the last step`)
      const worst = worstStepIndex(funnel)
      out.push(
        ...table(
          ['step', 'sessions', 'from previous', 'drop-off', 'median time', ''],
          funnel.steps.map((s, index) => [
            `${s.stepIndex + 1}. ${s.step}`,
            count(s.sessions),
            pct(s.conversion),
            count(s.dropOff),
            ms(s.medianMsSincePrevious),
            index === worst ? '◀ worst step' : '',
          ]),
        ),
      )
      out.push('')
    }
    out.pop()
  }

  if (report.experiments.length > 0) {
    section('Experiments')
    for (const experiment of report.experiments) {
      out.push(`${experiment.experiment}: ${experiment.verdict}`)
      if (experiment.warning) out.push(`  ! ${experiment.warning}`)
      for (const flag of experiment.flags) if (flag.kind !== 'srm') out.push(`  ! ${flag.message}`)
      if (experiment.mixedSessions > 0) {
        out.push(
          `  ! ${count(experiment.mixedSessions)} sessions saw more than one variant (counted in their first): ` +
            `check the bucketing.`,
        )
      }
      out.push(
        ...table(
          ['variant', 'exposed', 'converted', 'rate', '95 % CI', 'lift', 'p', 'rage/session', 'errors/session'],
          variantRows(experiment, ' *'),
        ),
      )
      for (const block of experimentBlocks(experiment)) out.push(...textBlock(block))
      out.push('')
    }
    out.pop()
  }

  const days = daysBlock(report.days ?? [])
  if (days) {
    section(days.title)
    out.push(...textBlock(days).slice(2))
  }
  const cost = frictionCostBlock(report.frictionCost ?? [], top)
  if (cost) {
    section(cost.title)
    out.push(...textBlock(cost).slice(2))
  }

  if (report.speedVsConversion) {
    const s = report.speedVsConversion
    section('Speed and conversion (worst LCP of the session)')
    out.push(...table(SPEED_HEADERS, speedRows(s)))
    out.push(
      `slow vs good: ${signedPct(s.lift)} relative, p ${pValue(s.pValue)}; ${count(s.unrated)} sessions without LCP`,
    )
  }

  // A form row lists its top field error only: a table row must stay a line.
  for (const block of [...frictionBlocks(report.friction, top, 1), ...hesitationBlocks(report.friction, top)]) {
    section(block.title)
    if (block.note) out.push(`  ${block.note}`)
    out.push(...printTable(block))
  }

  if (report.attention.scroll.some((r) => r.pageViews > 0)) {
    section('Scroll depth (share of page views reaching)')
    for (const reach of report.attention.scroll) {
      const filled = Math.round((reach.share ?? 0) * BAR_WIDTH_CHARS)
      out.push(
        `${String(reach.depthPct).padStart(4)} %  ${'█'.repeat(filled)}${'·'.repeat(BAR_WIDTH_CHARS - filled)}  ` +
          `${pct(reach.share)}`,
      )
    }
  }
  if (report.attention.sections.length > 0) {
    section('Sections (in their usual order)')
    out.push(
      ...table(
        ['section', 'views', 'avg visible', 'usual position'],
        report.attention.sections
          .slice(0, top * 2)
          .map((s) => [s.section, count(s.views), ms(s.avgVisibleMs), String(s.typicalOrder)]),
      ),
    )
  }

  if (report.vitals.metrics.length > 0) {
    section('Core Web Vitals (p75, with p95 and the share of poor reports)')
    out.push(
      ...table(
        ['metric', 'p75', 'rating', 'p95', 'poor', 'samples'],
        report.vitals.metrics.map((m) => [
          m.name,
          vitalValue(m.name, m.p75),
          m.rating ?? '–',
          vitalValue(m.name, m.p95),
          pct(m.poorShare),
          count(m.samples),
        ]),
      ),
    )
    if (report.vitals.worstTargets.length > 0) {
      out.push('', 'Elements blamed for slow values (needs-improvement or poor reports only):')
      out.push(...printTable(blamedElementsTable(report.vitals.worstTargets, top)))
    }
  }

  if (report.pages.length > 0) {
    section('Pages')
    out.push(...printTable(pagesTable(report.pages, top)))
    const speed = pageSpeedTable(report.pages, top, {
      path: (path) => path,
      p75: (text, rating) => `${text}${rating === 'good' ? '' : rating === 'poor' ? ' !!' : ' !'}`,
    })
    if (speed.rows.length > 0) {
      section('Page speed (per path: p75, p95 and the share of page views rated poor)')
      out.push(...table(speed.headers, speed.rows))
      out.push('(p75 rated: ! needs improvement, !! poor)')
    }
  }

  if (report.replays && report.replays.list.length > 0) {
    section(`Recorded sessions (${count(report.replays.sessions)}, most recent first)`)
    out.push(...printTable(replaysTable(report.replays, top)))
  }

  if (report.feedback?.length > 0) {
    section('Feedback')
    for (const q of report.feedback.slice(0, top)) {
      const numbers = q.numbers ? `, mean ${round2(q.numbers.mean)}, median ${round2(q.numbers.median)}` : ''
      out.push(`"${q.question}": ${count(q.answers)} answers${numbers}`)
      const most = Math.max(1, ...q.counts.map((c) => c.count))
      out.push(
        ...table(
          ['answer', 'count', 'share', ''],
          q.counts.map((c) => [
            String(c.answer),
            count(c.count),
            pct(c.count / q.answers),
            '█'.repeat(Math.max(1, Math.round((c.count / most) * 20))),
          ]),
        ),
      )
      if (q.otherAnswers > 0) out.push(`  (${count(q.otherAnswers)} other answers)`)
      if (q.latest.length > 0 && q.kind !== 'number') {
        out.push('  latest:')
        for (const latest of q.latest)
          out.push(
            `    ${latest.ts === null ? '' : `${isoMinute(latest.ts)}  `}${clip(latest.answer, LATEST_ANSWER_CHARS)}`,
          )
      }
      out.push('')
    }
    out.pop()
  }

  if (report.notes.length > 0) {
    section('Notes')
    out.push(...report.notes.map((note) => `- ${note}`))
  }
  // One pushed item is one line: a newline inside a value must not forge a line of its own.
  return out.map((line) => terminalSafe(line.replace(/[\r\n\u2028\u2029]/g, ' '))).join('\n')
}

/** The conversion in words, shared with the HTML renderer. */
export function describeConversion(report: Report): string {
  const c = report.conversion
  if (!c) return 'none defined (no funnel stored; pass --goal <track event>)'
  if (c.kind === 'goal') return `the session tracked "${c.goal}"`
  return `the session reached step ${c.stepIndex + 1} "${c.step}" of funnel "${c.funnel}"`
}

/** The SDK's own loss counters in one line; with nothing dropped it says so plainly. */
function healthLine(h: Health): string {
  const dropped = Object.entries(h.dropped)
    .map(([reason, n]) => `${reason} ${count(n)}`)
    .join(', ')
  return (
    `SDK health (${count(h.reports)} reports): ${dropped ? `dropped ${dropped}` : 'nothing dropped'}; ` +
    `retried ${count(h.retried)}, beacon rejected ${count(h.beaconRejected)}, ` +
    `persisted ${count(h.persisted)}, invalid ${count(h.invalid)}`
  )
}

/** Whether the SDK reported losing events (dropped or invalid): a warning, not an information. */
export function healthHasLoss(h: Health): boolean {
  return Object.values(h.dropped).some((n) => n > 0) || h.invalid > 0
}

/** A scrutiny block: blank line, title, note, table, warnings. */
function textBlock(block: Block): string[] {
  return [
    '',
    `  ${block.title}`,
    ...(block.note ? [`  ${block.note}`] : []),
    ...printTable(block).map((line) => `  ${line}`),
    ...block.warnings.map((w) => `  ! ${w}`),
  ]
}

/**
 * The step (index > 0) that loses the largest share of the previous step's sessions, or -1;
 * ties go to the one losing more sessions. Shared with the HTML renderer.
 */
export function worstStepIndex(funnel: FunnelReport): number {
  let worst = -1
  for (let index = 1; index < funnel.steps.length; index++) {
    const step = funnel.steps[index]
    if (step.conversion === null || step.dropOff <= 0) continue
    const best = worst < 0 ? null : funnel.steps[worst]
    if (
      !best ||
      step.conversion < (best.conversion ?? 1) ||
      (step.conversion === best.conversion && step.dropOff > best.dropOff)
    )
      worst = index
  }
  return worst
}

/** The report's `site` / `since` / `until` options in words. */
export function describeOptionsFilter(report: Report): string {
  const { site, since, until } = report.options
  const parts: string[] = []
  if (site !== undefined) parts.push(`site "${site}"`)
  if (since !== undefined) parts.push(`since ${isoMinute(since)} UTC`)
  if (until !== undefined) parts.push(`until ${isoMinute(until)} UTC`)
  return parts.join(', ')
}

const round2 = (value: number) => (Number.isFinite(value) ? String(Math.round(value * 100) / 100) : '–')

const printTable = (t: Table) => table(t.headers, t.rows, t.textColumns)

/** Left-aligned text columns, right-aligned numbers, two spaces between, indented by two. */
function table(headers: string[], rows: string[][], textColumns: number[] = []): string[] {
  const cells = [headers, ...rows].map((row) => row.map((cell) => clip(cell)))
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => row[column].length)))
  const isNumeric = headers.map(
    (_, column) =>
      !textColumns.includes(column) &&
      rows.length > 0 &&
      rows.every((row) => /^[−+\-<]?[\d,.\s%–*]*(ms|s|min|pt)?$/.test(row[column])),
  )
  const pad = (cell: string, column: number) =>
    isNumeric[column] ? cell.padStart(widths[column]) : cell.padEnd(widths[column])
  return cells.map((row) => `  ${row.map(pad).join('  ')}`.trimEnd())
}

function clip(cell: string, max = MAX_CELL_CHARS): string {
  const flat = String(cell).replace(/\s+/g, ' ')
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat
}
