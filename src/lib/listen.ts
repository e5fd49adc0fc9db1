/** Registers a passive listener for the tracker's life; `capture` for the capture phase. */
export type Listen = (target: EventTarget, type: string, handler: (event: any) => void, capture?: boolean) => void

/**
 * Event listeners for the tracker, core and plugins alike: passive (cheap for scrolling) and
 * removed together when `signal` aborts (`shutdown()`), with no reference kept to each. One
 * native listener per target, event type and phase runs all of its handlers in the order they
 * were added (the core and several plugins hear every scroll, click and keystroke), so the browser enters the SDK once per
 * event, not once per handler. Each handler is wrapped by `wrap` (the guard: one that throws
 * does not stop the others).
 */
export const createListenerHub = (
  signal: AbortSignal,
  wrap: (handler: (event: Event) => void) => (event: Event) => void,
): Listen => {
  const hubs = new Map<EventTarget, Record<string, Array<(event: Event) => void>>>()
  return (target, type, handler, capture = false) => {
    let byType = hubs.get(target)
    if (!byType) hubs.set(target, (byType = {}))
    let handlers = byType[type + capture]
    if (!handlers) {
      const all: Array<(event: Event) => void> = (handlers = byType[type + capture] = [])
      target.addEventListener(
        type,
        (event) => {
          for (let i = 0; i < all.length; i++) all[i](event)
        },
        { passive: true, capture, signal },
      )
    }
    handlers.push(wrap(handler))
  }
}
