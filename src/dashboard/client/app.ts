// The dashboard client: a hash router over the report's pages, the heatmap and the player,
// and a 1 s poll of the store's version that re-renders the open page when events arrive.
import 'rrweb/dist/style.css'
import './app.css'
import { fetchReport, fetchVersion, UNAUTHORIZED, type Report } from './api'
import { h, mount, type Child } from './dom'
import { count } from './format'
import { heatmapView } from './heatmap'
import { playerView, replaysView } from './player'
import {
  attentionView,
  errorsView,
  experimentsView,
  formsView,
  frictionView,
  funnelsView,
  overviewView,
  vitalsView,
} from './views'

/** How often the store's version is asked for: a new event shows within about a second. */
const POLL_INTERVAL_MS = 1000

type View =
  | { kind: 'report'; render: (report: Report) => Child }
  | {
      kind: 'async'
      /** Resolves to a cleanup, or to false when a refresh found nothing new to show. */
      render: (
        root: HTMLElement,
        report: Report,
        params: URLSearchParams,
        isRefresh: boolean,
      ) => Promise<void | (() => void) | false>
      isLive: boolean
    }

const ROUTES: Record<string, { title: string; view: View; isHidden?: boolean }> = {
  overview: { title: 'Overview', view: { kind: 'report', render: overviewView } },
  funnels: { title: 'Funnels', view: { kind: 'report', render: funnelsView } },
  experiments: { title: 'Experiments', view: { kind: 'report', render: experimentsView } },
  friction: { title: 'Friction', view: { kind: 'report', render: frictionView } },
  forms: { title: 'Forms', view: { kind: 'report', render: formsView } },
  attention: { title: 'Attention', view: { kind: 'report', render: attentionView } },
  vitals: { title: 'Vitals', view: { kind: 'report', render: vitalsView } },
  errors: { title: 'Errors', view: { kind: 'report', render: errorsView } },
  heatmaps: { title: 'Heatmaps', view: { kind: 'async', render: heatmapView, isLive: true } },
  replays: { title: 'Replays', view: { kind: 'async', render: (root) => replaysView(root), isLive: true } },
  replay: {
    title: 'Replay',
    isHidden: true,
    view: { kind: 'async', render: (root, _report, params) => playerView(root, params), isLive: false },
  },
}

const app = document.getElementById('app') as HTMLElement
let report: Report | undefined
let version = ''
let cleanup: (() => void) | undefined
let rendering = Promise.resolve()

const parseHash = () => {
  const hash = location.hash.replace(/^#\/?/, '')
  const [name, query = ''] = hash.split('?', 2)
  return { name: Object.hasOwn(ROUTES, name) ? name : 'overview', params: new URLSearchParams(query) }
}

const status = h('span', { class: 'live', 'aria-live': 'polite' }, 'connecting…')
const nav = h('nav', {})
const main = h('main', {})

const renderNav = (current: string) =>
  mount(
    nav,
    Object.entries(ROUTES)
      .filter(([, route]) => !route.isHidden)
      .map(([name, route]) =>
        h(
          'a',
          {
            href: `#/${name}`,
            class: name === current || (current === 'replay' && name === 'replays') ? 'active' : null,
          },
          route.title,
        ),
      ),
  )

const showError = (error: unknown) => {
  if (error instanceof Error && error.name === UNAUTHORIZED) {
    location.href = '/login'
    return
  }
  mount(main, h('p', { class: 'error' }, `Could not load: ${error instanceof Error ? error.message : String(error)}`))
}

/** Renders the route in the hash; `isRefresh` when only the data changed. */
const render = (isRefresh: boolean) => {
  rendering = rendering.then(async () => {
    const { name, params } = parseHash()
    const route = ROUTES[name]
    if (isRefresh && route.view.kind === 'async' && !route.view.isLive) return
    renderNav(name)
    document.title = `${route.title} · frictionlog`
    if (!report) return
    try {
      if (route.view.kind === 'report') {
        cleanup?.()
        cleanup = undefined
        mount(main, h('h1', {}, route.title), route.view.render(report))
        main.setAttribute('data-page', name)
        return
      }
      const container = h('div', {})
      // Live views render off-screen and swap in (no flicker on each update); the player needs
      // its root in the document before rrweb builds its frame.
      if (!route.view.isLive) {
        cleanup?.()
        cleanup = undefined
        mount(main, h('h1', {}, route.title), container)
        main.setAttribute('data-page', name)
      }
      const done = await route.view.render(container, report, params, isRefresh)
      if (done === false) return
      if (route.view.isLive) cleanup?.()
      cleanup = typeof done === 'function' ? done : undefined
      if (route.view.isLive) {
        mount(main, h('h1', {}, route.title), container)
        main.setAttribute('data-page', name)
      }
    } catch (error) {
      showError(error)
    }
  })
}

const refresh = async () => {
  const next = await fetchReport()
  const isFirst = report === undefined
  report = next.report
  version = next.version
  const updated = new Date().toLocaleTimeString('en-GB')
  status.textContent = `live · ${count(report.totals.events)} events · updated ${updated}`
  status.setAttribute('data-events', String(report.totals.events))
  render(!isFirst)
}

const poll = async () => {
  try {
    const next = await fetchVersion()
    if (next.version !== version) await refresh()
  } catch (error) {
    if (error instanceof Error && error.name === UNAUTHORIZED) return showError(error)
    status.textContent = 'offline: retrying'
  }
  setTimeout(poll, POLL_INTERVAL_MS)
}

mount(app, h('header', {}, h('a', { href: '#/overview', class: 'brand' }, 'frictionlog'), nav, status), main)
addEventListener('hashchange', () => render(false))
refresh().then(
  () => setTimeout(poll, POLL_INTERVAL_MS),
  (error: unknown) => {
    showError(error)
    setTimeout(poll, POLL_INTERVAL_MS)
  },
)
