import type { Plugin, Tracker } from '../core/types'

/**
 * Tracking without JavaScript for marketers: a click on (or inside) an element with
 * `data-fl-track="name"` (+ optional `data-fl-props='{"k":"v"}'`) tracks that event, and
 * `data-fl-funnel="funnel:step"` records a funnel step. The script tag adds it after its plugins.
 * A plugin so its click handler joins the tracker's one capture-phase click listener on
 * `window` (elements added later work too, and shutdown removes it); `tracker` is read at click
 * time, since the tracker is still being created when the plugin is set up.
 */
export const declarative = (tracker: () => Tracker<any> | undefined): Plugin => ({
  name: 'declarative',
  setup(ctx) {
    ctx.listen(
      window,
      'click',
      (event: Event) => {
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
            ctx.debug('invalid-data-fl-props', raw)
          }
          tracker()?.track(tracked.getAttribute('data-fl-track') as string, props as any)
        }
        const funnelStep = marked.closest('[data-fl-funnel]')?.getAttribute('data-fl-funnel')
        if (funnelStep) {
          const separator = funnelStep.indexOf(':')
          if (separator > 0)
            tracker()
              ?.funnel<string>(funnelStep.slice(0, separator), [])
              .step(funnelStep.slice(separator + 1))
          else ctx.debug('invalid-data-fl-funnel', funnelStep)
        }
      },
      true,
    )
  },
})
