import type { Debug } from '../lib/debug'
import type { Guard } from '../lib/guard'
import type { Consent, ConsentOptions, Navigation, Plugin, PluginContext } from './types'

/** The part of PluginContext a plugin host provides: every registration a plugin can make. */
type Registrations = Pick<PluginContext, 'onHidden' | 'onRouteChange' | 'onCaptureError' | 'onConsent'>

/** Starts plugins and runs what they registered, each callback guarded. */
export interface PluginHost {
  /** Sets up each plugin once: a second plugin of the same name is skipped with a debug message. */
  start(plugins: Plugin[], context: Omit<PluginContext, keyof Registrations>): void
  hidden(): void
  routeChange(navigation: Navigation): void
  consent(state: Consent, options: ConsentOptions): void
  /** Offers the error to every handler in registration order; true once one handled it. */
  captureError(error: unknown): boolean
  /** Runs every teardown, last started first. */
  stop(): void
}

/**
 * Holds what plugins register (page exit, route change, consent, captureError handlers and
 * teardowns), so the tracker only wires them to its own events. `current()` gives the consent
 * a plugin sees at once when it registers.
 */
export const createPluginHost = (guard: Guard, debug: Debug, current: () => [Consent, ConsentOptions]): PluginHost => {
  const hidden: Array<() => void> = []
  const routes: Array<(navigation: Navigation) => void> = []
  const consents: Array<(state: Consent, options: ConsentOptions) => void> = []
  const errorHandlers: Array<(error: unknown) => boolean> = []
  const teardowns: Array<() => void> = []
  const registrations: Registrations = {
    onHidden: (callback) => void hidden.push(callback),
    onRouteChange: (callback) => void routes.push(callback),
    onCaptureError: (handler) => void errorHandlers.push(handler),
    onConsent(callback) {
      consents.push(callback)
      guard(callback, 'on-consent-failed')(...current())
    },
  }
  return {
    start(plugins, context) {
      const ctx: PluginContext = { ...context, ...registrations }
      const names = new Set<string>()
      for (const plugin of plugins) {
        if (names.has(plugin.name)) {
          debug('plugin-duplicate', plugin.name)
          continue
        }
        names.add(plugin.name)
        try {
          const teardown = plugin.setup(ctx)
          if (typeof teardown === 'function') teardowns.push(teardown)
        } catch (error) {
          debug('plugin-setup-failed', plugin.name + ': ' + String(error))
        }
      }
    },
    hidden: () => hidden.forEach((callback) => guard(callback, 'on-hidden-failed')()),
    routeChange: (navigation) => routes.forEach((callback) => guard(callback, 'on-route-change-failed')(navigation)),
    consent: (state, options) => consents.forEach((callback) => guard(callback, 'on-consent-failed')(state, options)),
    captureError(error) {
      // A throwing handler counts as not handled: the next one, or the core's minimal event, runs.
      return errorHandlers.some((handler) => guard(handler, 'capture-error-failed')(error) === true)
    },
    stop() {
      teardowns
        .splice(0)
        .reverse()
        .forEach((teardown) => guard(teardown, 'teardown-failed')())
    },
  }
}
