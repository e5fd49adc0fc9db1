import { afterEach, describe, expect, it, vi } from 'vitest'

const stop = vi.hoisted(() => vi.fn())
vi.mock('rrweb', () => ({ record: vi.fn(() => stop) }))

import { record } from 'rrweb'
import { createTracker } from '../../../src/core/tracker'
import type { Tracker } from '../../../src/core/types'
import { replay } from '../../../src/replay'
import { lazyReplay, replayFromScript } from '../../../src/replay/loader'

let tracker: Tracker | undefined
// happy-dom does not run script files: answer the loader's request as loaded (the tests call
// onload themselves) instead of printing a NotSupportedError stack for every injected script.
const happyDom = (window as unknown as { happyDOM?: { settings: { handleDisabledFileLoadingAsSuccess: boolean } } })
  .happyDOM
if (happyDom) happyDom.settings.handleDisabledFileLoadingAsSuccess = true
afterEach(() => {
  tracker?.shutdown()
  tracker = undefined
  localStorage.clear()
  stop.mockClear()
  vi.mocked(record).mockClear()
  document.head.innerHTML = ''
  delete (window as any).frictionlogReplay
})

const transport = () => ({ ok: true })

describe('replay with a tracker', () => {
  it('follows the tracker consent and its replay scope', () => {
    tracker = createTracker({ endpoint: '/e', consent: 'pending', transport, plugins: [replay()] })
    expect(record).not.toHaveBeenCalled()
    tracker.consent('granted', { replay: false })
    expect(record).not.toHaveBeenCalled()
    tracker.consent('granted')
    expect(record).toHaveBeenCalledTimes(1)
    tracker.consent('granted', { replay: false })
    expect(stop).toHaveBeenCalledTimes(1)
  })

  it('stops the recorder on shutdown', () => {
    tracker = createTracker({ endpoint: '/e', transport, plugins: [replay()] })
    expect(record).toHaveBeenCalledTimes(1)
    tracker.shutdown()
    expect(stop).toHaveBeenCalledTimes(1)
  })
})

describe('script tag loader', () => {
  it('reads data-replay and loads the replay file from the same folder with the nonce', () => {
    const script = document.createElement('script')
    script.src = 'https://cdn.example/fl/1.0/frictionlog.global.js'
    script.dataset.replay = '1'
    script.dataset.nonce = 'n0nce'
    const plugins = replayFromScript(script)
    expect(plugins).toHaveLength(1)
    tracker = createTracker({ endpoint: '/e', transport, plugins })
    const injected = document.head.querySelector('script') as HTMLScriptElement
    expect(injected.src).toBe('https://cdn.example/fl/1.0/frictionlog.replay.js')
    expect(injected.nonce).toBe('n0nce')
    ;(window as any).frictionlogReplay = replay
    injected.onload!(new Event('load'))
    expect(record).toHaveBeenCalledTimes(1)
  })

  it('loads nothing without data-replay, or before consent', () => {
    const script = document.createElement('script')
    script.src = 'https://cdn.example/frictionlog.global.js'
    expect(replayFromScript(script)).toEqual([])
    tracker = createTracker({ endpoint: '/e', consent: 'pending', transport, plugins: [lazyReplay('/r.js', {})] })
    expect(document.head.querySelector('script')).toBeNull()
    tracker.consent('granted')
    expect(document.head.querySelector('script')).not.toBeNull()
  })
})
