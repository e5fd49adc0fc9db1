import type { Plugin } from '../core/types'
import { INTERACTIVE, isDeadClickCandidate, isRepeatedControl, isTextEntry } from '../lib/clickTargets'
import { createDeadClickWatch, DEFAULT_DEAD_CLICK_MS } from '../lib/deadClickWatch'
import { createRageDetector, type RageDetectorOptions } from '../lib/rageDetector'
import { selectorOf } from '../lib/selector'
import { trimText } from '../lib/text'

export { DEFAULT_DEAD_CLICK_MS } from '../lib/deadClickWatch'
export { DEFAULT_RAGE_CLICKS, DEFAULT_RAGE_RADIUS_PX, DEFAULT_RAGE_WINDOW_MS } from '../lib/rageDetector'

export interface ClicksOptions {
  /**
   * Rage clicks: `clicks` clicks on the same element within `windowMs` and `radiusPx`; false turns them off.
   * @default { clicks: 4, windowMs: 1000, radiusPx: 30 }
   */
  rage?: RageDetectorOptions | false
  /**
   * Dead clicks: a click on a link, button or control after which nothing happens for `ms`; false turns them off.
   * @default { ms: 2500 }
   */
  dead?: { ms?: number } | false
  /**
   * Heatmap data: a `click` event for every click.
   * @default false
   */
  heatmap?: boolean
}

const round3 = (value: number) => Math.round(value * 1000) / 1000
/** Position of `value` within `[start, start + size]`, 0–1, clamped; 0 for an empty box. */
const relative = (value: number, start: number, size: number) =>
  size > 0 ? round3(Math.min(1, Math.max(0, (value - start) / size))) : 0
/** Visible text of `el`, trimmed to 100; never a form control's value (SPEC). */
const textOf = (el: Element) =>
  el.matches('input,textarea,select') ? '' : trimText((el as HTMLElement).innerText ?? el.textContent)

/**
 * Friction in clicks: `rage_click` (4 clicks on the same element within 1 s and 30 px),
 * `dead_click` (a click on a link, button or control followed by no DOM change, scroll,
 * selection, focus or visibility change, nor navigation within 2.5 s) and, with
 * `heatmap: true`, a `click` event with page and in-element coordinates for every click.
 *
 * Only trusted pointer clicks count. Never on text inputs, textareas, selects or contenteditable;
 * rage clicks skip steppers and next/previous controls (clicked repeatedly on purpose) and
 * bursts with text selected (double and triple clicks select words and paragraphs), dead clicks
 * a click with text selected.
 * `data-fl-ignore` on an element or an ancestor opts it out of all three.
 *
 * @example
 * createTracker({ endpoint: '/e', plugins: [clicks({ rage: { clicks: 5 }, dead: false, heatmap: true })] })
 */
export const clicks = (options: ClicksOptions = {}): Plugin => ({
  name: 'clicks',
  setup(ctx) {
    const { rage, dead, heatmap } = options
    const detectRage = rage !== false && createRageDetector(rage)
    const watchDead = dead !== false && createDeadClickWatch(dead?.ms ?? DEFAULT_DEAD_CLICK_MS, ctx.listen, ctx.guard)
    // Double and triple clicks select a word or a paragraph: clicks with text selected are
    // reading, not frustration. Read only when a signal is about to be decided (a click that
    // continues a rage burst, a dead click at its deadline), never on every click: the read
    // forces a style recalc.
    const hasSelection = () => getSelection()?.isCollapsed === false
    // Window, capture phase: the listener the other plugins' clicks share (one native listener).
    ctx.listen(
      window,
      'click',
      (event: MouseEvent) => {
        const path = event.composedPath()
        // The real target, also inside open shadow roots (event.target is retargeted to the host).
        const target = path[0] as Element
        if (!event.isTrusted || !target.closest || target.closest('[data-fl-ignore]')) return
        const interactive = target.closest(INTERACTIVE)
        const el = interactive ?? target
        const x = Math.round(event.clientX)
        const y = Math.round(event.clientY)
        // detail is 0 for clicks from the keyboard (Enter, Space): no pointer position, and a held
        // Enter key repeats clicks.
        const isPointer = event.detail > 0
        const isText = isTextEntry(target)
        // Selectors are built only for an event sent now (rage, heatmap) or at a dead click's
        // deadline, which is the selector at click time: a dead click saw no mutation at all.
        let selector = ''
        // The detector keys bursts by element, so excluding controls once a burst completes is
        // the same as excluding each click, and keeps the label reads off the common path. A burst
        // with text selected at any of its clicks after the first is never reported (SPEC: never
        // across a text selection).
        const burst = detectRage && isPointer && !isText && detectRage(x, y, performance.now(), el, hasSelection)
        if (burst && !isRepeatedControl(el)) {
          selector = selectorOf(el)
          ctx.emit('rage_click', { selector, text: textOf(el), x, y, ...burst })
        }
        if (
          watchDead &&
          interactive &&
          !isText &&
          !(event.ctrlKey || event.metaKey || event.shiftKey || event.altKey)
        ) {
          // Decided at the deadline, and only for a click nothing reacted to: no mutation since
          // the click, so the element's attributes and text (all the candidate check reads) are
          // what they were, and most clicks, which get a reaction, never pay for the check.
          // Text selected at the deadline: the click was made on or with a selection (a selection
          // made since the click is a reaction, so the click is not dead anyway).
          watchDead(el, path, () => {
            if (isDeadClickCandidate(el) && !hasSelection())
              ctx.emit('dead_click', { selector: selectorOf(el), text: textOf(el), x, y })
          })
        }
        if (heatmap && isPointer) {
          // The one layout read, at click time only.
          const box = el.getBoundingClientRect()
          ctx.emit('click', {
            selector: selector || selectorOf(el),
            x: Math.round(event.clientX + scrollX),
            y: Math.round(event.clientY + scrollY),
            relX: relative(event.clientX, box.left, box.width),
            relY: relative(event.clientY, box.top, box.height),
            viewportW: innerWidth,
          })
        }
      },
      true,
    )
    if (watchDead) {
      ctx.onRouteChange(watchDead.clear)
      return watchDead.clear
    }
  },
})
