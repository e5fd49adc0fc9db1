import { vi } from 'vitest'
import { scrubUrl } from '../../../src/lib/scrubUrl'
import type { Consent, ConsentOptions, PluginContext } from '../../../src/core/types'

export interface Emitted {
  type: string
  seq: number
  events: unknown[] | string
  startTs: number
  endTs: number
}

/** A plugin context that records what the plugin emits and lets a test drive consent and hidden. */
export const fakeContext = (options: { consent?: Consent; sessionId?: string; isSampled?: boolean } = {}) => {
  const emitted: Emitted[] = []
  const hidden: Array<() => void> = []
  const consentCallbacks: Array<(state: Consent, scopes: ConsentOptions) => void> = []
  const controller = new AbortController()
  const ctx: PluginContext = {
    emit: (type, fields) => void emitted.push({ type, ...(fields as object) } as Emitted),
    signal: controller.signal,
    listen: (target, type, handler) =>
      target.addEventListener(type, handler as EventListener, { signal: controller.signal }),
    onHidden: (callback) => void hidden.push(callback),
    onRouteChange: () => {},
    onCaptureError: () => {},
    onConsent(callback) {
      consentCallbacks.push(callback)
      callback(options.consent ?? 'granted', {})
    },
    session: () => ({ id: options.sessionId ?? 'session-a', isSampled: options.isSampled ?? true }),
    scrubUrl: (url) => scrubUrl(url),
    drop: vi.fn(),
    guard: (fn) => fn,
    debug: vi.fn(),
  }
  return {
    ctx,
    emitted,
    hide: () => hidden.forEach((callback) => callback()),
    setConsent: (state: Consent, scopes: ConsentOptions = {}) =>
      consentCallbacks.forEach((callback) => callback(state, scopes)),
    abort: () => controller.abort(),
  }
}

let nextId = 1
/** A serialized element in rrweb's shape. */
export const element = (tagName: string, attributes: Record<string, unknown> = {}, childNodes: unknown[] = []) => ({
  type: 2,
  tagName,
  attributes,
  childNodes,
  id: nextId++,
})
export const text = (textContent: string) => ({ type: 3, textContent, id: nextId++ })

/** A meta event and a full snapshot of `body` children, as rrweb emits them first. */
export const snapshotEvents = (bodyChildren: unknown[], href = 'https://shop.example/checkout', timestamp = 1000) => [
  { type: 4, timestamp, data: { href, width: 1280, height: 720 } },
  {
    type: 2,
    timestamp: timestamp + 1,
    data: {
      node: {
        type: 0,
        id: nextId++,
        childNodes: [element('html', {}, [element('head'), element('body', {}, bodyChildren)])],
      },
      initialOffset: { top: 0, left: 0 },
    },
  },
]

export const mutation = (data: Record<string, unknown>, timestamp: number) => ({
  type: 3,
  timestamp,
  data: { source: 0, adds: [], removes: [], texts: [], attributes: [], ...data },
})
