import type { Debug } from './debug'

/** Wraps `fn` so no exception it throws ever reaches the host page; failures go to `debug`. */
export const createGuard =
  (debug: Debug) =>
  <A extends unknown[], R>(fn: (...args: A) => R, code = 'handler-failed') =>
  (...args: A): R | undefined => {
    try {
      return fn(...args)
    } catch (error) {
      debug(code, error)
      return undefined
    }
  }

/** The wrapper `createGuard` returns. */
export type Guard = ReturnType<typeof createGuard>
