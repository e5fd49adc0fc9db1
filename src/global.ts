import { createTracker, inertTracker } from './core/tracker'
import type { Tracker, TrackerOptions } from './core/types'
import { declarative } from './lib/declarative'
import { defaultPlugins } from './plugins/defaultPlugins'
import { replayFromScript } from './replay/loader'

const isTrue = (text: string) => text === 'true'
// Option → how its `data-*` attribute's text becomes the value (absent or empty: left out).
const SCRIPT_OPTIONS: Record<string, (text: string) => unknown> = {
  site: String,
  debug: isTrue,
  consent: String,
  storage: String,
  persist: (text) => text !== 'false',
  sampleRate: Number,
  hashRouting: isTrue,
}

/** The options a script tag's `data-*` attributes give (data-endpoint, data-site, …). */
const optionsFromScript = (script: HTMLScriptElement | null): TrackerOptions | undefined => {
  const data = script?.dataset
  if (!data?.endpoint) return undefined
  const options: Record<string, unknown> = { endpoint: data.endpoint }
  for (const key in SCRIPT_OPTIONS) if (data[key]) options[key] = SCRIPT_OPTIONS[key](data[key])
  return options as unknown as TrackerOptions
}

/**
 * Script-tag entry: starts from its own tag's `data-*`, or waits for `frictionlog.init()`;
 * replays the snippet's queued calls in order; exposes the tracker's methods on
 * `window.frictionlog`, bound to that one tracker.
 */
const start = () => {
  const win = window as unknown as { frictionlog?: unknown }
  const queued = Array.isArray(win.frictionlog) ? (win.frictionlog as unknown[][]) : []
  // data-replay="0.1": replay loaded on demand from this file's folder (rrweb is not in this file).
  const replayPlugins = replayFromScript(document.currentScript as HTMLScriptElement | null)
  let tracker: Tracker | undefined
  // Calls made before init (no data-endpoint yet) wait here and run once it happens.
  const waiting: Array<[string, unknown[]]> = []

  const call = (method: string, args: unknown[]): unknown => {
    if (!tracker) return void waiting.push([method, args])
    return (tracker as any)[method](...args)
  }
  const init = (options: TrackerOptions) => {
    if (tracker) return console.warn('[frictionlog] init: already initialized')
    tracker = createTracker({
      ...options,
      plugins: [...(options.plugins ?? defaultPlugins()), declarative(() => tracker), ...replayPlugins],
    })
    // Through `api`: `funnelStep` is not a tracker method.
    waiting.splice(0).forEach(([method, args]) => (api[method] as (...a: unknown[]) => unknown)(...args))
  }
  const funnelStep = (name: string, steps: string[], step: string, props?: Record<string, unknown>) =>
    tracker
      ? tracker.funnel(name, steps ?? []).step(step, props)
      : void waiting.push(['funnelStep', [name, steps, step, props]])
  const api: Record<string, unknown> = {
    init,
    funnel: (name: string, steps: string[]) => ({
      step: (step: string, props?: Record<string, unknown>) => funnelStep(name, steps, step, props),
    }),
    funnelStep,
  }
  // `funnel` is not forwarded: it returns an object whose step() must wait for init too.
  for (const method in inertTracker()) if (method !== 'funnel') api[method] = (...args: unknown[]) => call(method, args)
  win.frictionlog = api

  const fromScript = optionsFromScript(document.currentScript as HTMLScriptElement | null)
  if (fromScript) init(fromScript)
  for (const entry of queued) {
    if (!Array.isArray(entry) || typeof entry[0] !== 'string') continue
    const [method, ...args] = entry
    if (method === 'init') init(args[0] as TrackerOptions)
    else if (typeof api[method] === 'function') (api[method] as (...a: unknown[]) => unknown)(...args)
  }
}

try {
  start()
} catch (error) {
  console.warn('[frictionlog] failed to start', error)
}
