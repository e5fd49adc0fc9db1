import type { Tracker } from '../core/types'

/**
 * Tracking without JavaScript for marketers: a click on (or inside) an element with
 * `data-fl-track="name"` (+ optional `data-fl-props='{"k":"v"}'`) tracks that event, and
 * `data-fl-funnel="funnel:step"` records a funnel step. One capture-phase listener on the
 * document, so elements added later work too; removed with `signal`.
 */
export const bindDeclarative = (
  tracker: Tracker<any>,
  signal: AbortSignal,
  debug: (code: string, detail?: unknown) => void,
) => {
  const onClick = (event: Event) => {
    try {
      // One lookup for the usual click, on nothing marked; the two below only for a marked one.
      const marked = (event.target as Element | null)?.closest?.('[data-fl-track],[data-fl-funnel]')
      if (!marked) return
      const tracked = marked.closest('[data-fl-track]')
      if (tracked) {
        let props: unknown
        const raw = tracked.getAttribute('data-fl-props')
        try {
          props = raw ? JSON.parse(raw) : undefined
        } catch {
          debug('invalid-data-fl-props', raw)
        }
        tracker.track(tracked.getAttribute('data-fl-track') as string, props as any)
      }
      const funnelStep = marked.closest('[data-fl-funnel]')?.getAttribute('data-fl-funnel')
      if (funnelStep) {
        const separator = funnelStep.indexOf(':')
        if (separator > 0)
          tracker.funnel<string>(funnelStep.slice(0, separator), []).step(funnelStep.slice(separator + 1))
        else debug('invalid-data-fl-funnel', funnelStep)
      }
    } catch (error) {
      debug('declarative-failed', error)
    }
  }
  document.addEventListener('click', onClick, { capture: true, passive: true, signal })
}
