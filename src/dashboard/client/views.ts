// The report's pages. Each view renders the fields it knows and hands any other field of its
// section to `genericValue`, so fields and sections added to the report model later are shown
// (as tables and lists) before anyone writes a view for them.
import type { Report } from './api'
import { barList, funnelChart, ratingBadge } from './charts'
import { h, type Child } from './dom'
import { count, lift, metric, ms, pct, pValue, when } from './format'
import { genericValue, humanize, table } from './table'

/** A titled block of a page. */
export const card = (title: string, ...children: Child[]): HTMLElement =>
  h('section', { class: 'card' }, h('h2', {}, title), ...children)

/** Fields of `section` that the view did not render, as generic cards. */
const extras = (section: unknown, known: string[], prefix = ''): Child => {
  if (section === null || typeof section !== 'object' || Array.isArray(section)) return null
  return Object.entries(section)
    .filter(([key]) => !known.includes(key))
    .map(([key, value]) => card(prefix + humanize(key), genericValue(value)))
}

const stat = (label: string, value: string, hint?: string) =>
  h(
    'div',
    { class: 'stat' },
    h('div', { class: 'stat-value' }, value),
    h('div', { class: 'stat-label' }, label),
    hint ? h('div', { class: 'stat-hint' }, hint) : null,
  )

const pagesLink = (pages: string[]) => pages.slice(0, 3).join(', ')

/** Pages listed on the overview; the heatmap picker lists every path with clicks. */
const MAX_OVERVIEW_PAGES = 25

/** Top-level keys each view renders; the overview shows the others generically. */
const KNOWN_SECTIONS = [
  'options',
  'totals',
  'health',
  'conversion',
  'funnels',
  'experiments',
  'speedVsConversion',
  'friction',
  'attention',
  'vitals',
  'pages',
  'replays',
  'notes',
]

export function overviewView(report: Report): Child {
  const { totals } = report
  const conversion = report.conversion
  const byType = Object.entries(totals.byType).sort((a, b) => b[1] - a[1])
  return [
    h(
      'div',
      { class: 'stats' },
      stat('events', count(totals.events)),
      stat('sessions', count(totals.sessions)),
      stat('visitors', count(totals.visitors)),
      stat('page views', count(totals.pageViews)),
      stat('rage clicks', count(totals.byType.rage_click ?? 0)),
      stat('dead clicks', count(totals.byType.dead_click ?? 0)),
      stat('errors', count(report.friction.errors.reduce((sum, error) => sum + error.count, 0))),
      stat('recorded sessions', count(report.replays.sessions)),
    ),
    h(
      'p',
      { class: 'muted' },
      `From ${when(totals.firstTs)} to ${when(totals.lastTs)}. Conversion: `,
      conversion === null
        ? 'none found'
        : conversion.kind === 'funnel'
          ? `funnel ${conversion.funnel} reaching ${conversion.step}`
          : `goal ${conversion.goal}`,
      '.',
    ),
    report.notes.length
      ? card(
          'Notes',
          h(
            'ul',
            {},
            report.notes.map((note) => h('li', {}, note)),
          ),
        )
      : null,
    card('Events by type', barList(byType.map(([type, value]) => ({ label: type, value, text: count(value) })))),
    card(
      report.pages.length > MAX_OVERVIEW_PAGES
        ? `Pages (the ${MAX_OVERVIEW_PAGES} most viewed of ${report.pages.length})`
        : 'Pages',
      table(report.pages.slice(0, MAX_OVERVIEW_PAGES), [
        { label: 'path', cell: (page) => h('code', {}, page.path) },
        { label: 'views', cell: (page) => count(page.pageViews), isNumeric: true },
        { label: 'engaged', cell: (page) => ms(page.avgEngagedMs), isNumeric: true },
        { label: 'rage', cell: (page) => count(page.rageClicks), isNumeric: true },
        { label: 'dead', cell: (page) => count(page.deadClicks), isNumeric: true },
        { label: 'errors', cell: (page) => count(page.errors), isNumeric: true },
        {
          label: 'heatmap',
          cell: (page) => h('a', { href: `#/heatmaps?path=${encodeURIComponent(page.path)}` }, 'open'),
        },
      ]),
    ),
    report.health ? card('SDK health (what the SDK says it lost or retried)', genericValue(report.health)) : null,
    extras(report, KNOWN_SECTIONS),
  ]
}

export function funnelsView(report: Report): Child {
  if (report.funnels.length === 0) return card('Funnels', h('p', { class: 'empty' }, 'No funnel_step events yet.'))
  return report.funnels.map((funnel) =>
    card(
      `Funnel ${funnel.funnel} — ${pct(funnel.overallConversion)} overall`,
      funnelChart(funnel.steps),
      table(funnel.steps, [
        { label: '#', cell: (step) => String(step.stepIndex), isNumeric: true },
        { label: 'step', cell: (step) => step.step },
        { label: 'sessions', cell: (step) => count(step.sessions), isNumeric: true },
        { label: 'from previous', cell: (step) => pct(step.conversion), isNumeric: true },
        { label: 'dropped', cell: (step) => count(step.dropOff), isNumeric: true },
        { label: 'median time', cell: (step) => ms(step.medianMsSincePrevious), isNumeric: true },
      ]),
      extras(funnel, ['funnel', 'steps', 'overallConversion']),
    ),
  )
}

export function experimentsView(report: Report): Child {
  const speed = report.speedVsConversion
  return [
    report.experiments.length === 0
      ? card('Experiments', h('p', { class: 'empty' }, 'No experiment exposures yet.'))
      : null,
    report.experiments.map((experiment) =>
      card(
        `Experiment ${experiment.experiment}`,
        h('p', { class: experiment.hasEnoughData ? 'verdict' : 'verdict warn' }, experiment.verdict),
        experiment.warning ? h('p', { class: 'warn' }, experiment.warning) : null,
        barList(
          experiment.variants.map((variant) => ({
            label: variant.variant,
            value: variant.rate.rate ?? 0,
            text: `${pct(variant.rate.rate)} (${count(variant.conversions)}/${count(variant.exposed)})`,
            tone: variant.isSignificant ? ((variant.lift ?? 0) > 0 ? 'good' : 'bad') : '',
          })),
        ),
        table(experiment.variants, [
          { label: 'variant', cell: (variant) => variant.variant },
          { label: 'exposed', cell: (variant) => count(variant.exposed), isNumeric: true },
          { label: 'conversions', cell: (variant) => count(variant.conversions), isNumeric: true },
          { label: 'rate', cell: (variant) => pct(variant.rate.rate), isNumeric: true },
          {
            label: '95 % CI',
            cell: (variant) => `${pct(variant.rate.low)} – ${pct(variant.rate.high)}`,
            isNumeric: true,
          },
          { label: 'lift', cell: (variant) => lift(variant.lift), isNumeric: true },
          { label: 'p', cell: (variant) => pValue(variant.pValue), isNumeric: true },
          { label: 'rage / session', cell: (variant) => variant.rageClicksPerSession.toFixed(3), isNumeric: true },
          { label: 'errors / session', cell: (variant) => variant.errorsPerSession.toFixed(3), isNumeric: true },
        ]),
        experiment.mixedSessions
          ? h('p', { class: 'warn' }, `${experiment.mixedSessions} sessions saw more than one variant.`)
          : null,
        extras(experiment, ['experiment', 'variants', 'mixedSessions', 'hasEnoughData', 'warning', 'verdict']),
      ),
    ),
    speed
      ? card(
          'Speed and conversion',
          barList([
            {
              label: 'good LCP',
              value: speed.good.rate ?? 0,
              text: `${pct(speed.good.rate)} of ${count(speed.good.n)}`,
              tone: 'good',
            },
            {
              label: 'slow LCP',
              value: speed.slow.rate ?? 0,
              text: `${pct(speed.slow.rate)} of ${count(speed.slow.n)}`,
              tone: 'warn',
            },
          ]),
          h(
            'p',
            { class: 'muted' },
            `Lift of slow sessions ${lift(speed.lift)}, p ${pValue(speed.pValue)}; ${count(speed.unrated)} sessions ` +
              `without LCP.`,
          ),
        )
      : null,
  ]
}

const selectorTable = (rows: Report['friction']['rageClicks']) =>
  table(rows, [
    { label: 'selector', cell: (row) => h('code', {}, row.selector) },
    { label: 'text', cell: (row) => row.text },
    { label: 'count', cell: (row) => count(row.count), isNumeric: true },
    { label: 'pages', cell: (row) => pagesLink(row.pages) },
  ])

export function frictionView(report: Report): Child {
  const { friction } = report
  return [
    card(
      'Rage clicks',
      barList(friction.rageClicks.slice(0, 10).map((row) => ({ label: row.selector, value: row.count, tone: 'bad' }))),
      selectorTable(friction.rageClicks),
    ),
    card(
      'Dead clicks',
      barList(friction.deadClicks.slice(0, 10).map((row) => ({ label: row.selector, value: row.count, tone: 'warn' }))),
      selectorTable(friction.deadClicks),
    ),
    extras(friction, ['rageClicks', 'deadClicks', 'errors', 'forms']),
  ]
}

export function formsView(report: Report): Child {
  const { forms } = report.friction
  if (forms.length === 0) return card('Forms', h('p', { class: 'empty' }, 'No form events yet.'))
  return forms.map((form) =>
    card(
      `Form ${form.form}`,
      barList([
        { label: 'started', value: form.starts, text: count(form.starts) },
        { label: 'submitted', value: form.submits, text: count(form.submits), tone: 'good' },
        {
          label: 'abandoned',
          value: form.abandons,
          text: `${count(form.abandons)} (${pct(form.abandonRate)})`,
          tone: 'bad',
        },
      ]),
      form.topLastField
        ? h(
            'p',
            {},
            'Most abandons stopped at ',
            h('code', {}, form.topLastField.field),
            ` (${count(form.topLastField.count)}).`,
          )
        : null,
      table(
        form.fieldErrors,
        [
          { label: 'field', cell: (row) => h('code', {}, row.field) },
          { label: 'reason', cell: (row) => row.reason },
          { label: 'count', cell: (row) => count(row.count), isNumeric: true },
        ],
        'No validation errors.',
      ),
      extras(form, ['form', 'starts', 'submits', 'abandons', 'abandonRate', 'topLastField', 'fieldErrors']),
    ),
  )
}

export function attentionView(report: Report): Child {
  const { attention } = report
  return [
    card(
      'Scroll reach (share of page views reaching each depth)',
      barList(
        attention.scroll.map((row) => ({
          label: `${row.depthPct} %`,
          value: row.share ?? 0,
          text: `${pct(row.share)} (${count(row.pageViews)})`,
        })),
        1,
      ),
    ),
    card(
      'Sections',
      table(attention.sections, [
        { label: 'section', cell: (row) => h('code', {}, row.section) },
        { label: 'views', cell: (row) => count(row.views), isNumeric: true },
        { label: 'avg visible', cell: (row) => ms(row.avgVisibleMs), isNumeric: true },
        { label: 'typical order', cell: (row) => String(row.typicalOrder), isNumeric: true },
      ]),
    ),
    extras(attention, ['scroll', 'sections']),
  ]
}

export function vitalsView(report: Report): Child {
  const { vitals } = report
  return [
    h(
      'div',
      { class: 'stats' },
      vitals.metrics.map((vital) =>
        h(
          'div',
          { class: 'stat' },
          h('div', { class: 'stat-value' }, metric(vital.name, vital.p75)),
          h('div', { class: 'stat-label' }, `${vital.name} p75 `, ratingBadge(vital.rating)),
          h('div', { class: 'stat-hint' }, `${count(vital.samples)} samples`),
        ),
      ),
    ),
    card(
      'Elements blamed for slow values',
      table(vitals.worstTargets, [
        { label: 'metric', cell: (row) => row.name },
        { label: 'element', cell: (row) => h('code', {}, row.target) },
        { label: 'slow reports', cell: (row) => count(row.slowReports), isNumeric: true },
        { label: 'of them poor', cell: (row) => count(row.poorReports), isNumeric: true },
        { label: 'p75 of the slow', cell: (row) => metric(row.name, row.p75), isNumeric: true },
      ]),
    ),
    card(
      'By page',
      table(report.pages, [
        { label: 'path', cell: (page) => h('code', {}, page.path) },
        ...(['LCP', 'INP', 'CLS'] as const).map((name) => ({
          label: `${name} p75`,
          isNumeric: true,
          cell: (page: Report['pages'][number]) => {
            const vital = page.vitals.find((item) => item.name === name)
            return vital ? [metric(name, vital.p75), ' ', ratingBadge(vital.rating)] : '–'
          },
        })),
      ]),
    ),
    extras(vitals, ['metrics', 'worstTargets']),
  ]
}

export function errorsView(report: Report): Child {
  return card(
    'Errors by fingerprint',
    table(report.friction.errors, [
      { label: 'message', cell: (row) => h('span', { class: 'message' }, row.message) },
      { label: 'type', cell: (row) => row.errorType },
      { label: 'source', cell: (row) => row.source },
      { label: 'count', cell: (row) => count(row.count), isNumeric: true },
      { label: 'pages', cell: (row) => pagesLink(row.pages) },
      { label: 'after click on', cell: (row) => (row.afterClick ? h('code', {}, row.afterClick) : '–') },
    ]),
  )
}
