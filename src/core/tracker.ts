import type { EventFields, EventType, FrictionEvent } from '../schema'
import { createDebug } from '../lib/debug'
import { createGuard } from '../lib/guard'
import { listen as addListener } from '../lib/listen'
import { fingerprint } from '../lib/fingerprint'
import { trimText } from '../lib/text'
import { createUrlScrubber } from '../lib/scrubUrl'
import { createTransport } from '../transport'
import { createOutbox } from '../transport/outbox'
import { createQueue } from '../transport/queue'
import { resolveConfig } from './config'
import { initialConsent } from './consent'
import { completeContext, createContext } from './context'
import { createFunnel } from './funnel'
import { createHealth } from './health'
import { createId } from './ids'
import { trackPageViews } from './pageViews'
import { createPipeline, type Admission } from './pipeline'
import { createSession } from './session'
import { createStore } from './storage'
import type { Consent, ConsentOptions, EventMap, Navigation, PluginContext, Tracker, TrackerOptions } from './types'

// While consent is pending, events wait in memory, at most this many (oldest dropped, counted).
const MAX_HELD_EVENTS = 1000
// The wire format's limits (src/schema/events/limits.ts): longer values would make the
// collector reject the event, so they are refused here with a debug message instead.
const MAX_NAME_LENGTH = 200
const MAX_USER_ID_LENGTH = 256
const MAX_QUESTION_LENGTH = 500

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** A tracker that does nothing: what a missing endpoint or a non-browser environment gets. */
const inertTracker = (): Tracker<any> => {
  const noop = () => {}
  return {
    track: noop, page: noop, identify: noop, experiment: noop, feedback: noop, consent: noop,
    captureError: noop, shutdown: noop, flush: () => Promise.resolve(), funnel: () => ({ step: noop }),
  }
}

/**
 * Creates a tracker: starts its plugins, records page views and delivers batches to `endpoint`.
 * Never throws: invalid options are reported on the console and replaced by their defaults.
 *
 * @example
 * type Events = { signup: { plan: 'free' | 'pro' } }
 * const fl = createTracker<Events>({ endpoint: '/e', plugins: [scrollDepth(), clicks()] })
 * fl.track('signup', { plan: 'pro' })
 */
export const createTracker = <Events extends EventMap = EventMap>(options: TrackerOptions): Tracker<Events> => {
  if (typeof window === 'undefined' || typeof document === 'undefined') return inertTracker()
  const { config, errors } = resolveConfig(options)
  errors.forEach((message) => console.error('[frictionlog] ' + message))
  if (!config) return inertTracker()

  const debug = createDebug(config.debug)
  const guard = createGuard(debug)
  const controller = new AbortController()
  const signal = controller.signal
  const now = () => Date.now()
  const health = createHealth()
  const store = createStore()
  const session = createSession(store, config.sessionTimeoutMin * 60_000, config.sampleRate, () => location.search)
  const scrubUrl = createUrlScrubber(config.scrubUrl, (detail) => debug('scrub-url-failed', detail))
  const context = createContext(scrubUrl)
  const outboxKey = 'fl:outbox:' + config.endpoint + '|' + (config.site ?? '')
  // With persist off the outbox lives in a store that never reaches localStorage.
  const outbox = createOutbox(config.persist ? store : createStore(), outboxKey, health)
  const queue = createQueue({
    send: config.transport ?? createTransport(config.endpoint, health),
    site: config.site,
    maxEvents: config.maxEvents,
    maxBytes: config.maxBytes,
    intervalMs: config.intervalMs,
    outbox,
    health,
  })
  let consent: Consent = initialConsent(config.consent, config.respectPrivacySignals)
  let held: Array<[FrictionEvent, number]> = []
  let viewCount = 0
  let pageId = createId()
  // The URL of the current page view: events a plugin sends on a route change (form abandon,
  // section time) still describe the page being left, although location already changed.
  let pageUrl = scrubUrl(location.href)
  let isShutdown = false
  const hiddenCallbacks: Array<() => void> = []
  const routeCallbacks: Array<(navigation: Navigation) => void> = []
  const teardowns: Array<() => void> = []
  const funnels = new Map<string, ReturnType<typeof createFunnel>>()
  let captureErrorHandler: ((error: unknown) => boolean) | undefined
  // Scopes of the last consent() call (e.g. { replay: false }), told to plugins with the state.
  let consentOptions: ConsentOptions = {}
  const consentCallbacks: Array<(state: Consent, options: ConsentOptions) => void> = []

  const admit = (): Admission => {
    if (isShutdown || consent === 'denied') return 'drop'
    if (!session.current(now()).isSampled) return 'drop'
    return consent === 'pending' ? 'hold' : 'send'
  }
  const pipeline = createPipeline({
    envelope: (type: EventType) => {
      const ts = now()
      session.touch(ts)
      const live = session.current(ts)
      const userId = session.userId()
      return {
        id: createId(),
        type,
        ts,
        sessionId: live.id,
        anonymousId: session.anonymousId(),
        ...(userId ? { userId } : {}),
        pageId,
        url: pageUrl,
        context: context(live),
      } as any
    },
    admit,
    complete: completeContext,
    beforeSend: config.beforeSend,
    maxBytes: config.maxBytes,
    deliver: (event, bytes) => queue.push(event, bytes),
    hold(event, bytes) {
      held.push([event, bytes])
      if (held.length > MAX_HELD_EVENTS) {
        held.shift()
        health.drop('consent-pending-full')
      }
    },
    health,
    debug,
  })
  const safeEmit = guard(pipeline.emit, 'emit-failed') as <T extends EventType>(type: T, fields: EventFields<T>) => void

  /** Applies a consent state: storage follows it, held events go out or are purged. */
  const applyConsent = (state: Consent) => {
    // Events emitted before the change are processed under the consent they were emitted with.
    if (state === 'denied') pipeline.clear()
    else pipeline.drain()
    consent = state
    store.setPersistent(state === 'granted' && config.storage === 'local')
    if (state === 'denied') {
      held = []
      queue.clear()
      session.reset()
      return
    }
    if (state === 'granted') {
      if (store.isPersistent()) queue.restore(outbox.take())
      // Held events were complete when emitted: they go out unchanged, ids and times included.
      held.forEach(([event, bytes]) => queue.push(event, bytes))
      held = []
    }
  }

  // Page exit: plugins report first (section time, form abandon), then everything is sent.
  // Both visibilitychange→hidden and pagehide flush: Chromium fires pagehide first when a tab
  // closes, and vitals reported at hidden (web-vitals' capture-phase listener) come after it.
  const flushAtExit = () => {
    hiddenCallbacks.forEach((callback) => guard(callback, 'on-hidden-failed')())
    const report = health.take()
    if (report) safeEmit('sdk_health', report)
    pipeline.drain()
    void queue.flush(true)
  }

  const listen: PluginContext['listen'] = (target, type, handler, capture) =>
    addListener(target, type, guard(handler as (event: Event) => void), signal, capture)

  // Consent first: the store must reach localStorage before the first page view reads the
  // session and identity, or fresh in-memory ids would overwrite the stored ones.
  applyConsent(consent)
  const pages = trackPageViews({
    listen,
    now,
    debug,
    scrubUrl,
    hashRouting: config.hashRouting,
    onView(navigation, fields) {
      // Plugins close the old view first, with its pageId and URL; then the new view begins.
      if (viewCount++) routeCallbacks.forEach((callback) => guard(callback, 'on-route-change-failed')(navigation))
      pageId = createId()
      pageUrl = scrubUrl(location.href)
      safeEmit('page', fields)
    },
    onLeave: (fields) => safeEmit('page_leave', fields),
  })
  teardowns.push(pages.stop)
  listen(window, 'visibilitychange', () => (document.visibilityState === 'hidden' ? flushAtExit() : queue.resume()))
  listen(window, 'pageshow', () => queue.resume())
  listen(window, 'pagehide', () => {
    pages.leave()
    flushAtExit()
  })
  listen(window, 'online', () => queue.setOnline(true))
  listen(window, 'offline', () => queue.setOnline(false))
  queue.setOnline(navigator.onLine !== false)

  const pluginContext: PluginContext = {
    emit: safeEmit,
    signal,
    listen,
    onHidden: (callback) => void hiddenCallbacks.push(callback),
    onRouteChange: (callback) => void routeCallbacks.push(callback),
    onCaptureError: (handler) => void (captureErrorHandler = handler),
    onConsent(callback) {
      consentCallbacks.push(callback)
      guard(callback, 'on-consent-failed')(consent, consentOptions)
    },
    session() {
      const live = session.current(now())
      return { id: live.id, isSampled: live.isSampled, isPersistent: store.isPersistent() }
    },
    scrubUrl,
    drop: (reason, count) => health.drop(reason, count),
    guard: (fn) => guard(fn) as typeof fn,
    debug,
  }
  for (const plugin of config.plugins) {
    try {
      const teardown = plugin.setup(pluginContext)
      if (typeof teardown === 'function') teardowns.push(teardown)
    } catch (error) {
      debug('plugin-setup-failed', plugin.name + ': ' + String(error))
    }
  }

  // Bad input from the host app: dropped alone, counted, and explained when debug is on.
  const reject = (code: string, value: unknown): false => {
    health.count('invalid')
    debug(code, value)
    return false
  }
  const isValidName = (name: unknown, code: string, maxLength = MAX_NAME_LENGTH): name is string =>
    (typeof name === 'string' && name.length > 0 && name.length <= maxLength) || reject(code, name)
  const isValidProps = (props: unknown, code: string): props is Record<string, unknown> | undefined =>
    props === undefined || isPlainObject(props) || reject(code, props)
  const api = <A extends unknown[]>(fn: (...args: A) => void) =>
    guard((...args: A) => {
      if (!isShutdown) fn(...args)
    }, 'api-failed') as (...args: A) => void

  const tracker: Tracker<Events> = {
    track: api((name: unknown, props?: unknown) => {
      if (isValidName(name, 'invalid-event-name') && isValidProps(props, 'invalid-props')) {
        // A shallow copy: the app may reuse its props object right after the call.
        safeEmit('track', { name, props: { ...props } })
      }
    }) as Tracker<Events>['track'],
    page: api(() => pages.check(true)),
    identify: api((userId: unknown, traits?: unknown) => {
      if (!isValidName(userId, 'invalid-user-id', MAX_USER_ID_LENGTH) || !isValidProps(traits, 'invalid-traits')) return
      if (consent !== 'denied') session.setUserId(userId)
      safeEmit('identify', { userId, traits: { ...traits } })
    }),
    funnel: <S extends string>(name: string, steps: readonly S[]) => {
      const stepList = Array.isArray(steps) ? steps.filter((step) => typeof step === 'string') : []
      if (!isValidName(name, 'invalid-funnel-name')) return { step: () => {} }
      let funnel = funnels.get(name)
      if (!funnel || stepList.length) {
        funnel = createFunnel(name, stepList, {
          progress: (funnelName) => (session.current(now()).funnels[funnelName] ??= { reached: [], lastTs: 0 }),
          save: () => session.touch(now(), true),
          emitStep: (fields) => safeEmit('funnel_step', fields),
          debug,
          now,
        })
        funnels.set(name, funnel)
      }
      const step = funnel.step
      return {
        step: api((value: S, props?: Record<string, unknown>) =>
          isValidName(value, 'invalid-funnel-step') && isValidProps(props, 'invalid-props') && step(value, props)),
      }
    },
    experiment: api((name: unknown, variant: unknown) => {
      if (!isValidName(name, 'invalid-experiment') || !isValidName(variant, 'invalid-variant')) return
      const live = session.current(now())
      // One exposure per experiment and variant per session; the variant rides on every event.
      if (live.experiments[name] === variant) return
      live.experiments[name] = variant
      session.touch(now(), true)
      safeEmit('experiment', { experiment: name, variant })
    }),
    feedback: api((question: unknown, answer: unknown) => {
      if (!isValidName(question, 'invalid-feedback-question', MAX_QUESTION_LENGTH)) return
      if (typeof answer === 'string') return safeEmit('feedback', { question, answer: answer.slice(0, 2000) })
      if (typeof answer === 'number' && Number.isFinite(answer)) return safeEmit('feedback', { question, answer })
      reject('invalid-feedback-answer', answer)
    }),
    consent: api((state: unknown, options?: unknown) => {
      if (state !== 'granted' && state !== 'denied' && state !== 'pending') return debug('invalid-consent', state)
      applyConsent(state)
      consentOptions = isPlainObject(options) ? { ...options } : {}
      consentCallbacks.forEach((callback) => guard(callback, 'on-consent-failed')(state, consentOptions))
    }),
    captureError: api((error: unknown) => {
      if (captureErrorHandler?.(error)) return
      const err = error instanceof Error ? error : undefined
      const message = trimText(err ? err.message : error)
      const errorType = trimText(err?.name || 'Error')
      safeEmit('error', { source: 'manual', message, errorType, stack: [], fingerprint: fingerprint(errorType + ':' + message), count: 1 })
    }),
    flush: () => {
      if (isShutdown) return Promise.resolve()
      guard(pipeline.drain, 'drain-failed')()
      return queue.flush().catch(() => {})
    },
    shutdown: api(() => {
      controller.abort()
      for (const teardown of teardowns.reverse()) guard(teardown, 'teardown-failed')()
      const report = health.take()
      if (report) safeEmit('sdk_health', report)
      pipeline.drain()
      void queue.flush(true)
      queue.stop()
      isShutdown = true
    }),
  }
  return tracker
}
