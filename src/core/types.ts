import type { EventFields, EventType, FrictionEvent } from '../schema'
import type { Transport } from '../transport/types'

export type { SendOptions, SendResult, Transport, WireBatch } from '../transport/types'

/** How a page view began, as sent in the `page` event's `navigation` field. */
export type Navigation = 'load' | 'spa' | 'back_forward' | 'bfcache' | 'reload'

/** Consent state: 'pending' holds events in memory, 'denied' drops them and persists nothing. */
export type Consent = 'granted' | 'denied' | 'pending'

/** Consent beyond analytics: `replay: false` keeps session replay off while consent is 'granted'. */
export interface ConsentOptions {
  /** Session replay (`frictionlog/replay`) records only while consent is 'granted' and this is not false. */
  replay?: boolean
}

/** Batching thresholds: a batch is sent when any of them is reached. */
export interface BatchOptions {
  /** @default 50 */
  maxEvents?: number
  /** One beacon stays within a quarter of the 64 KiB keepalive quota every script shares. @default 16384 */
  maxBytes?: number
  /** @default 5000 */
  intervalMs?: number
}

/** Options of `createTracker`. Only `endpoint` is required. */
export interface TrackerOptions {
  /** Collector URL receiving POSTed batches. */
  endpoint: string
  /** Project id sent with every batch. */
  site?: string
  /** Capture plugins, e.g. `[scrollDepth(), clicks()]`. @default [] */
  plugins?: Plugin[]
  batch?: BatchOptions
  /** Keep unsent events in localStorage across reloads (bounded). @default true */
  persist?: boolean
  /** 'memory' is cookieless: no identifier and no event is written to browser storage. @default 'local' */
  storage?: 'local' | 'memory'
  /** Inactivity after which a new session starts. @default 30 */
  sessionTimeoutMin?: number
  /** Fraction of sessions tracked, 0–1, decided once per session. @default 1 */
  sampleRate?: number
  /** @default 'granted' */
  consent?: Consent
  /** Global Privacy Control and Do Not Track mean 'denied'. @default true */
  respectPrivacySignals?: boolean
  /** Last look at every event: return it (changed or not) or null to drop it. */
  beforeSend?: (event: FrictionEvent) => FrictionEvent | null
  /**
   * Extra URL rules, run after the built-in scrubber on every URL of every event (page URL and
   * path, referrer, error frames and resources, replay): return the URL with what else must not
   * leave the page removed, e.g. `(url) => url.replace(/\/orders\/\d+/, '/orders/:id')`.
   */
  scrubUrl?: (url: string) => string
  /** Replace the built-in sendBeacon/fetch sender. */
  transport?: Transport
  /** Log SDK diagnostics to the console. @default false */
  debug?: boolean
  /**
   * A change of the hash alone (`/#/cart` → `/#/pay`) is a new page view, and `page.path`
   * includes the hash route. Off, an in-page `#signup` link keeps the page view. @default false
   */
  hashRouting?: boolean
}

/** What a plugin receives in `setup`: everything it may touch of the tracker. */
export interface PluginContext {
  /** Emit an event; core adds id, timestamp, session, page and context. */
  emit<T extends EventType>(type: T, fields: EventFields<T>): void
  /** Aborted by `shutdown()`. */
  signal: AbortSignal
  /** addEventListener, passive and removed on shutdown; the handler is guarded. */
  listen<E extends Event = Event>(
    target: EventTarget,
    type: string,
    handler: (event: E) => void,
    capture?: boolean,
  ): void
  /** Runs when the page is hidden or left, before the exit flush. */
  onHidden(callback: () => void): void
  /** Runs on every new page view after the first (SPA route change, bfcache restore). */
  onRouteChange(callback: (navigation: Navigation) => void): void
  /** Lets the errors plugin enrich `tracker.captureError()`; return true when handled. */
  onCaptureError(handler: (error: unknown) => boolean): void
  /** Runs now with the current consent, then on every `tracker.consent()` call. */
  onConsent(callback: (state: Consent, options: ConsentOptions) => void): void
  /**
   * The live session's id and sampling decision (for per-session decisions such as replay
   * sampling), and whether the tracker may write to browser storage now (storage 'local' and
   * consent 'granted'): a plugin that keeps state across pages writes only then.
   */
  session(): { id: string; isSampled: boolean; isPersistent?: boolean }
  /**
   * The tracker's URL scrubber (built-in rules, then the `scrubUrl` option): every URL a plugin
   * sends goes through it.
   */
  scrubUrl(url: string): string
  /** Counts a deliberate drop in the next `sdk_health` report, under `reason`. */
  drop(reason: string, count?: number): void
  /** Wraps a callback so an exception inside it is reported through `debug`, never thrown. */
  guard<A extends unknown[]>(fn: (...args: A) => void): (...args: A) => void
  debug(code: string, detail?: unknown): void
}

/** A capture module: a factory returns `{ name, setup }`; `setup` returns its own teardown. */
export interface Plugin {
  /** Stable camelCase id, used in debug output. */
  name: string
  setup(ctx: PluginContext): void | (() => void)
}

/** Custom event map: event name → props type. */
export type EventMap = Record<string, Record<string, unknown>>

/** A funnel handle returned by `tracker.funnel()`. */
export interface Funnel<S extends string = string> {
  /** Records reaching `step`; a repeated step is not counted twice. */
  step(step: S, props?: Record<string, unknown>): void
}

/** The tracker returned by `createTracker`. */
export interface Tracker<Events extends EventMap = EventMap> {
  /** Tracks a custom event; its props are type-checked against the `Events` map. */
  track<N extends keyof Events & string>(
    name: N,
    // eslint-disable-next-line @typescript-eslint/no-empty-object-type -- `{} extends P` asks "are all props optional?"
    ...props: {} extends Events[N] ? [props?: Events[N]] : [props: Events[N]]
  ): void
  page(): void
  identify(userId: string, traits?: Record<string, unknown>): void
  funnel<S extends string>(name: string, steps: readonly S[]): Funnel<S>
  experiment(name: string, variant: string): void
  feedback(question: string, answer: string | number): void
  consent(state: Consent, options?: ConsentOptions): void
  captureError(error: unknown): void
  flush(): Promise<void>
  shutdown(): void
}
