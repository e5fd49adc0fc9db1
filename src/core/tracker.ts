import type { EventFields, EventType } from '../schema'
import { createDebug } from '../lib/debug'
import { createGuard } from '../lib/guard'
import { createListenerHub } from '../lib/listen'
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
import { createConsentGate } from './consentGate'
import { createPluginHost } from './pluginHost'
import { createInputValidator, isPlainObject } from './validateInput'
// The wire format's limits: longer values would make the collector reject the event, so they
// are refused here with a debug message instead (zod-free, so the browser bundle may import it).
import { MAX_ANSWER_LENGTH, MAX_QUESTION_LENGTH, MAX_USER_ID_LENGTH } from '../schema/events/limits'
import type { ConsentOptions, EventMap, PluginContext, Tracker, TrackerOptions } from './types'

/**
 * A tracker that does nothing: what a missing endpoint or a non-browser environment gets. Its
 * keys are the tracker's methods (the script tag exposes them before it has a tracker).
 */
export const inertTracker = (): Tracker<any> => {
  const noop = () => {}
  return {
    track: noop,
    page: noop,
    identify: noop,
    experiment: noop,
    feedback: noop,
    consent: noop,
    captureError: noop,
    shutdown: noop,
    flush: () => Promise.resolve(),
    funnel: () => ({ step: noop }),
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
  let viewCount = 0
  let pageId = createId()
  // The URL of the current page view: events a plugin sends on a route change (form abandon,
  // section time) still describe the page being left, although location already changed.
  let pageUrl = scrubUrl(location.href)
  let isShutdown = false
  const funnels = new Map<string, ReturnType<typeof createFunnel>>()
  // Scopes of the last consent() call (e.g. { replay: false }), told to plugins with the state.
  let consentOptions: ConsentOptions = {}
  const gate = createConsentGate(initialConsent(config.consent, config.respectPrivacySignals), {
    settle: (state) => (state === 'denied' ? pipeline.clear() : pipeline.drain()),
    persist(state) {
      store.setPersistent(state === 'granted' && config.storage === 'local')
      return store.isPersistent()
    },
    purge() {
      queue.clear()
      session.reset()
    },
    restoreOutbox: () => queue.restore(outbox.take()),
    deliver: (event, bytes) => queue.push(event, bytes),
    drop: (reason) => health.drop(reason),
  })
  const plugins = createPluginHost(guard, debug, () => [gate.state(), consentOptions])
  const validate = createInputValidator(() => health.count('invalid'), debug)

  const admit = (): Admission => {
    if (isShutdown || !session.current(now()).isSampled) return 'drop'
    return gate.admission()
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
    hold: gate.hold,
    health,
    debug,
  })
  const safeEmit = guard(pipeline.emit, 'emit-failed') as <T extends EventType>(type: T, fields: EventFields<T>) => void

  // Page exit: plugins report first (section time, form abandon), then everything is sent.
  // Both visibilitychange→hidden and pagehide flush: Chromium fires pagehide first when a tab
  // closes, and vitals reported at hidden (web-vitals' capture-phase listener) come after it.
  const flushAtExit = () => {
    plugins.hidden()
    const report = health.take()
    if (report) safeEmit('sdk_health', report)
    pipeline.drain()
    queue.flushAtExit()
  }

  const listen: PluginContext['listen'] = createListenerHub(signal, guard)

  // Consent first: the store must reach localStorage before the first page view reads the
  // session and identity, or fresh in-memory ids would overwrite the stored ones.
  gate.apply(gate.state())
  const pages = trackPageViews({
    listen,
    now,
    debug,
    scrubUrl,
    hashRouting: config.hashRouting,
    onView(navigation, fields) {
      // Plugins close the old view first, with its pageId and URL; then the new view begins.
      if (viewCount++) plugins.routeChange(navigation)
      pageId = createId()
      pageUrl = scrubUrl(location.href)
      safeEmit('page', fields)
    },
    onLeave: (fields) => safeEmit('page_leave', fields),
  })
  listen(window, 'visibilitychange', () => (document.visibilityState === 'hidden' ? flushAtExit() : queue.resume()))
  listen(window, 'pageshow', () => queue.resume())
  listen(window, 'pagehide', () => {
    pages.leave()
    flushAtExit()
  })
  listen(window, 'online', () => queue.setOnline(true))
  listen(window, 'offline', () => queue.setOnline(false))
  queue.setOnline(navigator.onLine !== false)

  plugins.start(config.plugins, {
    emit: safeEmit,
    signal,
    listen,
    session() {
      const live = session.current(now())
      return { id: live.id, isSampled: live.isSampled, isPersistent: store.isPersistent() }
    },
    scrubUrl,
    drop: (reason, count) => health.drop(reason, count),
    guard: (fn) => guard(fn) as typeof fn,
    debug,
  })

  const api = <A extends unknown[]>(fn: (...args: A) => void) =>
    guard((...args: A) => {
      if (!isShutdown) fn(...args)
    }, 'api-failed') as (...args: A) => void

  const tracker: Tracker<Events> = {
    track: api((name: unknown, props?: unknown) => {
      if (validate.name(name, 'invalid-event-name') && validate.props(props, 'invalid-props')) {
        // A shallow copy: the app may reuse its props object right after the call.
        safeEmit('track', { name, props: { ...props } })
      }
    }) as Tracker<Events>['track'],
    page: api(() => pages.check(true)),
    identify: api((userId: unknown, traits?: unknown) => {
      if (!validate.name(userId, 'invalid-user-id', MAX_USER_ID_LENGTH) || !validate.props(traits, 'invalid-traits'))
        return
      if (gate.state() !== 'denied') session.setUserId(userId)
      safeEmit('identify', { userId, traits: { ...traits } })
    }),
    funnel: <S extends string>(name: string, steps: readonly S[]) => {
      const stepList = Array.isArray(steps) ? steps.filter((step) => typeof step === 'string') : []
      if (!validate.name(name, 'invalid-funnel-name')) return { step: () => {} }
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
        step: api(
          (value: S, props?: Record<string, unknown>) =>
            validate.name(value, 'invalid-funnel-step') && validate.props(props, 'invalid-props') && step(value, props),
        ),
      }
    },
    experiment: api((name: unknown, variant: unknown) => {
      if (!validate.name(name, 'invalid-experiment') || !validate.name(variant, 'invalid-variant')) return
      const live = session.current(now())
      // One exposure per experiment and variant per session; the variant rides on every event.
      if (live.experiments[name] === variant) return
      live.experiments[name] = variant
      session.touch(now(), true)
      safeEmit('experiment', { experiment: name, variant })
    }),
    feedback: api((question: unknown, answer: unknown) => {
      if (!validate.name(question, 'invalid-feedback-question', MAX_QUESTION_LENGTH)) return
      if (typeof answer === 'string')
        return safeEmit('feedback', { question, answer: answer.slice(0, MAX_ANSWER_LENGTH) })
      if (typeof answer === 'number' && Number.isFinite(answer)) return safeEmit('feedback', { question, answer })
      validate.reject('invalid-feedback-answer', answer)
    }),
    consent: api((state: unknown, options?: unknown) => {
      if (state !== 'granted' && state !== 'denied' && state !== 'pending') return debug('invalid-consent', state)
      gate.apply(state)
      consentOptions = isPlainObject(options) ? { ...options } : {}
      plugins.consent(state, consentOptions)
    }),
    captureError: api((error: unknown) => {
      if (plugins.captureError(error)) return
      const err = error instanceof Error ? error : undefined
      const message = trimText(err ? err.message : error)
      const errorType = trimText(err?.name || 'Error')
      safeEmit('error', {
        source: 'manual',
        message,
        errorType,
        stack: [],
        fingerprint: fingerprint(errorType + ':' + message),
        count: 1,
      })
    }),
    flush: () => {
      if (isShutdown) return Promise.resolve()
      guard(pipeline.drain, 'drain-failed')()
      return queue.flush().catch(() => {})
    },
    shutdown: api(() => {
      controller.abort()
      plugins.stop()
      pages.stop()
      const report = health.take()
      if (report) safeEmit('sdk_health', report)
      pipeline.drain()
      queue.flushAtExit()
      queue.stop()
      isShutdown = true
    }),
  }
  return tracker
}
