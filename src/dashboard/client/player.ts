// The replay pages: the list of recorded sessions and the player. rrweb's Replayer rebuilds
// the recorded DOM in an iframe it sandboxes as `allow-same-origin` only (no scripts), which
// also inherits the dashboard's CSP; rrweb is loaded only when a session is opened.
import { decodeReplayEvents } from '../../replay/codec'
import { fetchReplay, fetchReplays, type ReplayData } from './api'
import { h, mount, on } from './dom'
import { sanitizeRecording } from './sanitizeRecording'
import { count, ms, when } from './format'
import { table } from './table'
import { card } from './views'

const SPEEDS = [1, 2, 4, 8, 16]

/** The list of recorded sessions with their friction. */
export async function replaysView(root: HTMLElement): Promise<void> {
  const { sessions, list, friction } = await fetchReplays()
  mount(
    root,
    card(
      `Recorded sessions (${count(sessions)})`,
      table(
        list,
        [
          {
            label: 'session',
            cell: (row) =>
              h(
                'a',
                { href: `#/replay?${new URLSearchParams({ session: row.sessionId })}`, class: 'session-link' },
                row.sessionId,
              ),
          },
          { label: 'recorded', cell: (row) => when(row.firstTs) },
          { label: 'duration', cell: (row) => ms(row.durationMs), isNumeric: true },
          { label: 'pages', cell: (row) => count(row.pages), isNumeric: true },
          { label: 'rage', cell: (row) => count(friction[row.sessionId]?.rage), isNumeric: true },
          { label: 'dead', cell: (row) => count(friction[row.sessionId]?.dead), isNumeric: true },
          { label: 'errors', cell: (row) => count(friction[row.sessionId]?.errors), isNumeric: true },
          { label: 'form issues', cell: (row) => count(friction[row.sessionId]?.formIssues), isNumeric: true },
          { label: 'size', cell: (row) => `${(row.bytes / 1024).toFixed(1)} KiB`, isNumeric: true },
        ],
        'No recorded sessions: add replay() from frictionlog/replay, or data-replay to the script tag.',
      ),
    ),
  )
}

interface RrwebLike {
  type: number
  timestamp: number
}

/** The rrweb events of a session, chunk after chunk, in time order. */
async function eventsOf(data: ReplayData): Promise<RrwebLike[]> {
  const decoded = await Promise.all(data.chunks.map((chunk) => decodeReplayEvents(chunk.events).catch(() => [])))
  return sanitizeRecording(decoded.flat() as RrwebLike[])
    .filter((event) => event && typeof event.type === 'number' && typeof event.timestamp === 'number')
    .sort((a, b) => a.timestamp - b.timestamp)
}

/** The player of one session, with its friction events marked on the timeline. */
export async function playerView(root: HTMLElement, params: URLSearchParams): Promise<() => void> {
  const sessionId = params.get('session') ?? ''
  const data = await fetchReplay(sessionId)
  const events = await eventsOf(data)
  if (events.length < 2) {
    mount(root, card(`Session ${sessionId}`, h('p', { class: 'empty' }, 'This session has no playable recording.')))
    return () => {}
  }
  const { Replayer } = await import('rrweb')
  const screen = h('div', { class: 'replay-screen' })
  const frame = h('div', { class: 'replay-frame' }, screen)
  const start = events[0].timestamp
  const duration = Math.max(1, events[events.length - 1].timestamp - start)

  const progress = h('div', { class: 'timeline-progress' })
  const markers = data.markers
    .filter((marker) => marker.ts >= start && marker.ts <= start + duration)
    .map((marker) => {
      const button = h('button', {
        class: `marker ${marker.type}`,
        title: `${ms(marker.ts - start)}: ${marker.label}`,
        'aria-label': marker.label,
        type: 'button',
      })
      button.style.left = `${((marker.ts - start) / duration) * 100}%`
      return on(button, 'click', (event) => {
        event.stopPropagation()
        seek(marker.ts - start)
      })
    })
  const timeline = h(
    'div',
    { class: 'timeline', role: 'slider', 'aria-label': 'position', tabindex: 0 },
    progress,
    markers,
  )
  const clock = h('span', { class: 'clock' }, `0 ms / ${ms(duration)}`)
  const playButton = h('button', { type: 'button', class: 'play' }, 'Play')
  const speed = h(
    'select',
    { 'aria-label': 'speed' },
    SPEEDS.map((value) => h('option', { value, selected: value === 1 }, `${value}×`)),
  )
  const player = h(
    'div',
    { class: 'player', 'data-state': 'paused' },
    frame,
    h('div', { class: 'controls' }, playButton, speed, timeline, clock),
  )
  mount(
    root,
    card(`Session ${sessionId}`, player),
    card(
      'Friction in this session',
      table(
        data.markers,
        [
          {
            label: 'at',
            cell: (marker) =>
              on(
                h('a', { href: '#', class: 'seek' }, ms(marker.ts - start)),
                'click',
                (event) => (event.preventDefault(), seek(marker.ts - start)),
              ),
            isNumeric: true,
          },
          { label: 'what', cell: (marker) => marker.type },
          { label: 'detail', cell: (marker) => marker.label },
        ],
        'No friction events in this session.',
      ),
    ),
    data.truncated
      ? h('p', { class: 'warn' }, 'The recording is longer than the player loads; its end is missing.')
      : null,
  )

  const replayer = new Replayer(events as never, {
    root: screen,
    skipInactive: true,
    showWarning: false,
    mouseTail: false,
    triggerFocus: false,
  })
  let isPlaying = false
  let frameRequest = 0
  const setState = (state: 'playing' | 'paused' | 'finished') => {
    player.setAttribute('data-state', state)
    isPlaying = state === 'playing'
    playButton.textContent = isPlaying ? 'Pause' : state === 'finished' ? 'Replay' : 'Play'
  }
  const render = () => {
    const time = Math.min(duration, Math.max(0, replayer.getCurrentTime()))
    progress.style.width = `${(time / duration) * 100}%`
    clock.textContent = `${ms(time)} / ${ms(duration)}`
    if (isPlaying) frameRequest = requestAnimationFrame(render)
  }
  // Fit the recorded viewport into the frame's width.
  const fit = () => {
    const iframe = replayer.iframe
    const recordedWidth = Number(iframe.width) || iframe.offsetWidth || 1
    const scale = Math.min(1, frame.clientWidth / recordedWidth)
    replayer.wrapper.style.transform = `scale(${scale})`
    replayer.wrapper.style.transformOrigin = '0 0'
    frame.style.height = `${(Number(iframe.height) || iframe.offsetHeight) * scale}px`
  }
  replayer.on('resize', fit)
  replayer.on('finish', () => {
    setState('finished')
    render()
  })
  const seek = (offset: number) => {
    if (isPlaying) replayer.play(offset)
    else replayer.pause(offset)
    render()
  }
  on(playButton, 'click', () => {
    if (isPlaying) {
      replayer.pause()
      setState('paused')
    } else {
      const finished = player.getAttribute('data-state') === 'finished'
      replayer.play(finished ? 0 : replayer.getCurrentTime())
      setState('playing')
      render()
    }
  })
  on(speed, 'change', () => replayer.setConfig({ speed: Number(speed.value) }))
  on(timeline, 'click', (event) => {
    const box = timeline.getBoundingClientRect()
    seek((((event as MouseEvent).clientX - box.left) / box.width) * duration)
  })
  replayer.pause(0)
  fit()
  render()
  return () => {
    cancelAnimationFrame(frameRequest)
    replayer.destroy()
  }
}
