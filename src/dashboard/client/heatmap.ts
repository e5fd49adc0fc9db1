// The heatmap page: click signals of one path and breakpoint drawn over the page itself (a
// sandboxed iframe of the page's URL, without scripts, so the page's own SDK cannot add events
// to the store) or over a neutral grid, and the scroll-reach strip beside it.
import { fetchHeatmap, type HeatmapData, type Report } from './api'
import { h, httpUrl, mount, on, type Child } from './dom'
import { count, pct } from './format'
import { table } from './table'
import { card } from './views'

/** Heat radius in CSS pixels: about a fingertip, as Clarity's and Hotjar's maps look. */
const RADIUS_PX = 28
/** A rage click is four clicks or more, a dead click a click that did nothing: both weigh more than a click. */
const WEIGHT = { click: 1, rage: 4, dead: 2 } as const
/** Canvas height cap: a 1440 × 12 000 canvas is ~70 MB of pixels already. */
const MAX_HEIGHT_PX = 12_000
const DEFAULT_WIDTH: Record<string, number> = { mobile: 390, tablet: 820, desktop: 1280 }

/** Blue → cyan → green → yellow → red, by heat 0..255 (the classic heatmap ramp). */
const PALETTE = (() => {
  const stops: Array<[number, [number, number, number]]> = [
    [0, [0, 0, 255]],
    [0.25, [0, 255, 255]],
    [0.5, [0, 255, 0]],
    [0.75, [255, 255, 0]],
    [1, [255, 0, 0]],
  ]
  const palette = new Uint8ClampedArray(256 * 3)
  for (let i = 0; i < 256; i++) {
    const t = i / 255
    const upper = stops.findIndex(([at]) => at >= t)
    const [a, from] = stops[Math.max(0, upper - 1)]
    const [b, to] = stops[upper]
    const f = b === a ? 0 : (t - a) / (b - a)
    for (let c = 0; c < 3; c++) palette[i * 3 + c] = from[c] + (to[c] - from[c]) * f
  }
  return palette
})()

/**
 * Draws weighted points as heat: each point adds a radial alpha gradient, the accumulated
 * alpha is normalised to the hottest spot and mapped through the palette.
 */
export function drawHeat(canvas: HTMLCanvasElement, points: Array<{ x: number; y: number; weight: number }>): void {
  const context = canvas.getContext('2d', { willReadFrequently: true })
  if (!context) return
  context.clearRect(0, 0, canvas.width, canvas.height)
  if (points.length === 0) return
  // Each point's alpha: strong enough that one rage click shows, soft enough that crowds blend.
  for (const point of points) {
    const gradient = context.createRadialGradient(point.x, point.y, 0, point.x, point.y, RADIUS_PX)
    gradient.addColorStop(0, `rgba(0,0,0,${Math.min(1, 0.25 * point.weight)})`)
    gradient.addColorStop(1, 'rgba(0,0,0,0)')
    context.fillStyle = gradient
    context.fillRect(point.x - RADIUS_PX, point.y - RADIUS_PX, RADIUS_PX * 2, RADIUS_PX * 2)
  }
  const image = context.getImageData(0, 0, canvas.width, canvas.height)
  const data = image.data
  let peak = 0
  for (let i = 3; i < data.length; i += 4) if (data[i] > peak) peak = data[i]
  for (let i = 0; i < data.length; i += 4) {
    const alpha = data[i + 3]
    if (alpha === 0) continue
    const heat = Math.min(255, Math.round((alpha / peak) * 255))
    data[i] = PALETTE[heat * 3]
    data[i + 1] = PALETTE[heat * 3 + 1]
    data[i + 2] = PALETTE[heat * 3 + 2]
    data[i + 3] = Math.min(230, 60 + heat)
  }
  context.putImageData(image, 0, 0)
}

/** The scroll-reach strip: one band per milestone, darker where fewer page views got. */
function reachStrip(page: Report['pages'][number] | undefined, height: number): HTMLElement {
  const strip = h('div', { class: 'reach', title: 'share of page views that scrolled this far' })
  strip.style.height = `${height}px`
  const milestones = [...(page?.scroll ?? [])].sort((a, b) => a.depthPct - b.depthPct)
  let previous = 0
  for (const milestone of milestones) {
    const band = h('div', { class: 'reach-band' }, h('span', {}, `${milestone.depthPct} %: ${pct(milestone.share, 0)}`))
    band.style.top = `${(previous / 100) * height}px`
    band.style.height = `${((milestone.depthPct - previous) / 100) * height}px`
    band.style.opacity = String(0.25 + 0.75 * (milestone.share ?? 0))
    strip.append(band)
    previous = milestone.depthPct
  }
  return strip
}

const layers = { click: true, rage: true, dead: true }

/** Renders the heatmap page into `root`; `params` come from the route (`path`, `bp`). */
let shownKey = ''

/**
 * Renders the heatmap page into `root`; `params` come from the route (`path`, `bp`). On a live
 * refresh that brought nothing new for this map it resolves to false, so the page's frame is
 * not reloaded every second while other pages receive events.
 */
export async function heatmapView(
  root: HTMLElement,
  report: Report,
  params: URLSearchParams,
  isRefresh = false,
): Promise<void | false> {
  const breakpoint = params.get('bp') ?? 'desktop'
  const firstPath =
    report.pages.slice().sort((a, b) => b.rageClicks + b.deadClicks - (a.rageClicks + a.deadClicks))[0]?.path ?? '/'
  const path = params.get('path') ?? firstPath
  const data = await fetchHeatmap(path, breakpoint)
  const page = report.pages.find((item) => item.path === path)
  const key = JSON.stringify([
    path,
    breakpoint,
    data.points.length,
    data.pageUrl,
    data.isPageReachable,
    data.pageHeight,
    page?.scroll,
  ])
  if (isRefresh && key === shownKey) return false
  shownKey = key
  mount(root, heatmapContent(data, report))
}

function heatmapContent(data: HeatmapData, report: Report): Child {
  const width = data.width ?? DEFAULT_WIDTH[data.breakpoint]
  const maxY = Math.max(0, ...data.points.map((point) => point.y))
  const height = Math.min(MAX_HEIGHT_PX, Math.max(600, data.pageHeight ?? 0, maxY + RADIUS_PX * 4))
  const page = report.pages.find((item) => item.path === data.path)

  const canvas = h('canvas', {
    class: 'heat',
    width,
    height,
    'data-path': data.path,
    'data-breakpoint': data.breakpoint,
  })
  const redraw = () =>
    drawHeat(
      canvas,
      data.points
        .filter((point) => layers[point.kind])
        .map((point) => ({ x: (point.x * width) / point.viewportW, y: point.y, weight: WEIGHT[point.kind] })),
    )

  const pageUrl = httpUrl(data.pageUrl)
  // Never frame the dashboard itself (an event can claim any URL).
  const canFrame = pageUrl !== null && pageUrl.origin !== location.origin && data.isPageReachable === true
  const backdrop = canFrame
    ? h('iframe', {
        class: 'backdrop',
        sandbox: '',
        referrerpolicy: 'no-referrer',
        title: `page ${data.path}`,
        width,
        height,
      })
    : h('div', { class: 'backdrop grid' })
  // h() only takes in-app links; this one was checked to be http(s) and not the dashboard.
  if (canFrame && backdrop instanceof HTMLIFrameElement) backdrop.src = pageUrl.href
  backdrop.style.width = `${width}px`
  backdrop.style.height = `${height}px`
  const stage = h('div', { class: 'stage' }, backdrop, canvas)
  stage.style.width = `${width}px`
  stage.style.height = `${height}px`

  const pathPicker = on(
    h(
      'select',
      { 'aria-label': 'page' },
      (data.paths.some((item) => item.path === data.path)
        ? data.paths
        : [{ path: data.path, points: 0 }, ...data.paths]
      ).map((item) =>
        h('option', { value: item.path, selected: item.path === data.path }, `${item.path} (${item.points})`),
      ),
    ),
    'change',
    (event) => {
      const path = (event.target as HTMLSelectElement).value
      location.hash = `#/heatmaps?${new URLSearchParams({ path, bp: data.breakpoint })}`
    },
  )
  const counts = data.paths.find((item) => item.path === data.path)?.byBreakpoint
  const breakpoints = h(
    'span',
    { class: 'segmented' },
    (['mobile', 'tablet', 'desktop'] as const).map((bp) =>
      h(
        'a',
        {
          href: `#/heatmaps?${new URLSearchParams({ path: data.path, bp })}`,
          class: bp === data.breakpoint ? 'active' : null,
        },
        `${bp} (${counts?.[bp] ?? 0})`,
      ),
    ),
  )
  const toggles = (Object.keys(layers) as Array<keyof typeof layers>).map((kind) =>
    h(
      'label',
      { class: `layer ${kind}` },
      on(h('input', { type: 'checkbox', checked: layers[kind] }), 'change', (event) => {
        layers[kind] = (event.target as HTMLInputElement).checked
        redraw()
      }),
      ` ${kind} (${data.points.filter((point) => point.kind === kind).length})`,
    ),
  )
  queueMicrotask(redraw)

  const bySelector = new Map<string, { selector: string; click: number; rage: number; dead: number }>()
  for (const point of data.points) {
    const row = bySelector.get(point.selector) ?? { selector: point.selector, click: 0, rage: 0, dead: 0 }
    row[point.kind] += 1
    bySelector.set(point.selector, row)
  }
  const rows = [...bySelector.values()]
    .sort((a, b) => b.rage * 4 + b.dead * 2 + b.click - (a.rage * 4 + a.dead * 2 + a.click))
    .slice(0, 30)

  return [
    h('div', { class: 'toolbar' }, pathPicker, breakpoints, toggles),
    h(
      'p',
      { class: 'muted' },
      `${count(data.points.length)} click signals at ${width} px wide`,
      data.truncated ? ' (the first ones only: the store holds more)' : '',
      canFrame
        ? ['; page from ', h('code', {}, pageUrl.href), ' (no scripts run in it)']
        : pageUrl
          ? ['; ', h('code', {}, pageUrl.href), ' did not answer: a neutral grid instead']
          : '; no http(s) URL for this page: a neutral grid instead',
      '.',
    ),
    h('div', { class: 'heatmap' }, h('div', { class: 'stage-scroll' }, stage), reachStrip(page, height)),
    card(
      'Clicked elements',
      table(
        rows,
        [
          { label: 'selector', cell: (row) => h('code', {}, row.selector) },
          { label: 'clicks', cell: (row) => count(row.click), isNumeric: true },
          { label: 'rage', cell: (row) => count(row.rage), isNumeric: true },
          { label: 'dead', cell: (row) => count(row.dead), isNumeric: true },
        ],
        'No click signals for this page and breakpoint (heatmap clicks need clicks({ heatmap: true })).',
      ),
    ),
  ]
}
