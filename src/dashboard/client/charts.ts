// Charts as plain SVG and elements: a bar list, a funnel and a stacked rating bar. Sizes are
// set with attributes or the CSSOM (`element.style`), which the CSP allows, never style text.
import { h, s } from './dom'

/** One row of a bar list. */
export interface Bar {
  label: string
  value: number
  /** Text shown after the bar (defaults to the value). */
  text?: string
  /** Extra class: `good`, `warn`, `bad`. */
  tone?: string
}

/** Horizontal bars, longest = the largest value (or `max`). */
export function barList(bars: Bar[], max = Math.max(0, ...bars.map((bar) => bar.value))): HTMLElement {
  return h(
    'div',
    { class: 'bars' },
    bars.map((bar) => {
      const fill = h('span', { class: `bar-fill ${bar.tone ?? ''}` })
      fill.style.width = `${max > 0 ? Math.max(0.5, (bar.value / max) * 100) : 0}%`
      return h(
        'div',
        { class: 'bar-row' },
        h('span', { class: 'bar-label', title: bar.label }, bar.label),
        h('span', { class: 'bar-track' }, fill),
        h('span', { class: 'bar-value' }, bar.text ?? String(bar.value)),
      )
    }),
  )
}

/** A funnel: one column per step, height by sessions, with the step conversion under it. */
export function funnelChart(steps: Array<{ step: string; sessions: number; conversion: number | null }>): SVGElement {
  const width = 640
  const height = 220
  const gap = 12
  const barWidth = steps.length ? (width - gap * (steps.length - 1)) / steps.length : width
  const top = Math.max(1, ...steps.map((step) => step.sessions))
  const chartHeight = height - 50
  return s(
    'svg',
    { class: 'funnel', viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': 'funnel' },
    steps.map((step, index) => {
      const barHeight = (step.sessions / top) * chartHeight
      const x = index * (barWidth + gap)
      return s(
        'g',
        {},
        s('rect', { x, y: chartHeight - barHeight + 18, width: barWidth, height: Math.max(1, barHeight), rx: 3 }),
        s('text', { x: x + barWidth / 2, y: 12, 'text-anchor': 'middle', class: 'value' }, String(step.sessions)),
        s('text', { x: x + barWidth / 2, y: height - 18, 'text-anchor': 'middle' }, step.step.slice(0, 24)),
        s(
          'text',
          { x: x + barWidth / 2, y: height - 2, 'text-anchor': 'middle', class: 'muted' },
          index === 0 || step.conversion === null ? '' : `${(step.conversion * 100).toFixed(1)} %`,
        ),
      )
    }),
  )
}

/** A small line of p75 against the good / poor thresholds of a web vital. */
export function ratingBadge(rating: string | null): HTMLElement {
  return h('span', { class: `badge ${rating ?? 'none'}` }, rating ?? 'no data')
}
