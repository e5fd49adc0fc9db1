/**
 * addEventListener with `passive: true` and the tracker's AbortSignal, so every listener is
 * cheap for scrolling and is removed by `shutdown()` without keeping a reference to it.
 */
export const listen = (
  target: EventTarget,
  type: string,
  handler: (event: any) => void,
  signal: AbortSignal,
  capture = false,
): void => target.addEventListener(type, handler, { passive: true, capture, signal })
