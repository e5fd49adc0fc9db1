type HistoryMethod = 'pushState' | 'replaceState'

/**
 * Wraps `history.pushState`/`replaceState` to call `onChange` after each, and returns a
 * restore function. Restoring only puts the original back if the wrapper is still installed:
 * a router that wrapped after us keeps its wrapper (Sentry marks what it instrumented for the
 * same reason).
 */
export const patchHistory = (onChange: () => void): (() => void) => {
  const restores = (['pushState', 'replaceState'] as HistoryMethod[]).map((method) => {
    const original = history[method]
    const wrapper = function (this: History, ...args: Parameters<History['pushState']>) {
      const result = original.apply(this, args)
      try {
        onChange()
      } catch {
        // The router's navigation must not fail because of analytics.
      }
      return result
    }
    history[method] = wrapper
    return () => {
      if (history[method] === wrapper) history[method] = original
    }
  })
  return () => restores.forEach((restore) => restore())
}
