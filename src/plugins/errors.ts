import type { Plugin } from '../core/types'
import type { EventFields } from '../schema'
import { INTERACTIVE } from '../lib/clickTargets'
import { fingerprint } from '../lib/fingerprint'
import { toJson } from '../lib/json'
import type { UrlScrubber } from '../lib/scrubUrl'
import { selectorNodesOf, selectorOf } from '../lib/selector'
import { isExtensionUrl, parseStack, type StackFrame } from '../lib/stack'
import { trimText } from '../lib/text'

/** Error events per page load (tracker lifetime), after which errors are dropped. */
export const DEFAULT_MAX_ERRORS_PER_SESSION = 100
/** Events one fingerprint may send at once before its repeats are folded into `count`. */
export const DEFAULT_ERROR_BURST = 10
/** One more event per fingerprint becomes available every this many ms. */
export const DEFAULT_ERROR_REFILL_MS = 10_000
// SPEC: `afterClick` is the element clicked within 1 s before the error.
const AFTER_CLICK_MS = 1000

type ErrorFields = Omit<EventFields<'error'>, 'count'>

/** Per-fingerprint token bucket, plus the repeats waiting to be sent as one event. */
interface Group {
  tokens: number
  at: number
  pending: number
  fields?: ErrorFields
  timer?: ReturnType<typeof setTimeout>
}

export interface ErrorsOptions {
  /**
   * Most `error` events sent per page load (the tracker's lifetime: for an SPA, the whole
   * visit); later errors are dropped, with one debug message.
   * @default 100
   */
  maxPerSession?: number
  /** Events a fingerprint may send in a burst before repeats are folded. @default 10 */
  burst?: number
  /** A fingerprint earns one more event every `refillMs`. @default 10000 */
  refillMs?: number
}

const isErrorLike = (value: any): value is Error => typeof value?.message === 'string'

/** name, message and frames of a thrown or rejected value (an Error, or anything else). */
const describe = (value: unknown, fallbackName: string, scrubUrl: UrlScrubber): [string, string, StackFrame[]] =>
  isErrorLike(value)
    ? [value.name, value.message, parseStack(value.stack, scrubUrl, (value as { framesToPop?: unknown }).framesToPop)]
    : [fallbackName, typeof value === 'string' ? value : (toJson(value) ?? String(value)), []]

/**
 * Captures uncaught errors (`source: 'onerror'`), unhandled promise rejections
 * (`'unhandledrejection'`), failed images, scripts and stylesheets (`'resource'`, message
 * `img failed: <url>`) and `tracker.captureError(err)` (`'manual'`) as `error` events with the
 * parsed stack, a `fingerprint` (type + message + top frame) and `afterClick`, the control
 * clicked less than 1 s before.
 *
 * Not reported: errors whose top frame is a browser extension, cross-origin `Script error.`
 * without any detail, and the same error object twice (e.g. captured, then rethrown).
 *
 * Storm control, per fingerprint: a token bucket of `burst` events refilled by one every
 * `refillMs`. While it has a token, an occurrence is sent at once with `count: 1`. Without one,
 * occurrences are folded into a single pending event (fields of the first of them) sent with
 * `count` = the number folded as soon as a token is earned, when the page is hidden, or at
 * `shutdown()`. At most `maxPerSession` events are sent (a pending one counts when opened);
 * occurrences past that cap are dropped, and occurrences folded into an open pending event are
 * always kept. So the sum of `count` over events is the number of occurrences not dropped.
 *
 * @example
 * const fl = createTracker({ endpoint: '/e', plugins: [errors({ maxPerSession: 50 })] })
 * try { risky() } catch (err) { fl.captureError(err) }
 */
export const errors = (options: ErrorsOptions = {}): Plugin => ({
  name: 'errors',
  setup(ctx) {
    const maxEvents = options.maxPerSession ?? DEFAULT_MAX_ERRORS_PER_SESSION
    const burst = options.burst ?? DEFAULT_ERROR_BURST
    const refillMs = options.refillMs ?? DEFAULT_ERROR_REFILL_MS
    const groups = new Map<string, Group>()
    const seen = new WeakSet<object>()
    let sent = 0
    // The control clicked last, kept as its element and ancestors; the selector is built by the
    // first error within 1 s of the click, once, instead of on every press and click. The nodes
    // keep its place in the page as it was at the click (a handler that removes the row, or a
    // re-render, before the error would otherwise cut the selector short); its id, test
    // attributes and classes are read when the error comes. Held until the next click.
    const lastClick: Element[] = []
    let lastClickSelector: string | undefined
    let lastClickAt = -Infinity

    const refill = (group: Group) => {
      const now = Date.now()
      group.tokens = Math.min(burst, group.tokens + (now - group.at) / refillMs)
      group.at = now
    }
    const flush = (group: Group) => {
      clearTimeout(group.timer)
      if (!group.pending) return
      refill(group)
      group.tokens = Math.max(0, group.tokens - 1)
      ctx.emit('error', { ...group.fields!, count: group.pending })
      group.pending = 0
    }
    const flushAll = () => groups.forEach(flush)

    const report = (
      source: ErrorFields['source'],
      name: unknown,
      text: string,
      stack: StackFrame[],
      error?: unknown,
    ) => {
      if (error && typeof error === 'object') {
        if (seen.has(error)) return
        seen.add(error)
      }
      const top = stack[0]
      // Errors thrown by browser extensions' content scripts are not the site's bugs.
      if (top && isExtensionUrl(top.file)) return ctx.debug('error-from-extension', top.file)
      const errorType = trimText(name) || 'Error'
      const message = trimText(text)
      const id = fingerprint(errorType + ':' + message + (top ? ':' + top.file + ':' + top.line + ':' + top.col : ''))
      const group = groups.get(id) ?? { tokens: burst, at: Date.now(), pending: 0 }
      if (group.pending) return void group.pending++
      if (sent >= maxEvents) {
        if (sent++ === maxEvents) ctx.debug('error-cap-reached', maxEvents)
        return
      }
      sent++
      groups.set(id, group)
      const fields: ErrorFields = { source, message, errorType, stack, fingerprint: id }
      if (Date.now() - lastClickAt < AFTER_CLICK_MS) fields.afterClick = lastClickSelector ??= selectorOf(lastClick)
      refill(group)
      if (group.tokens >= 1) {
        group.tokens--
        return ctx.emit('error', { ...fields, count: 1 })
      }
      group.pending = 1
      group.fields = fields
      group.timer = setTimeout(() => flush(group), (1 - group.tokens) * refillMs)
    }

    // Capture phase: a failed <img>/<script>/<link> fires `error` on the element and it does
    // not bubble, so only a capturing listener on window sees it (MDN: Window error event).
    ctx.listen<ErrorEvent>(
      window,
      'error',
      (event) => {
        const target = event.target
        if (target instanceof Element) {
          const url = (target as HTMLImageElement).src || (target as HTMLLinkElement).href
          const tag = target.tagName.toLowerCase()
          // SVG's href is an object, not a URL string; elements without a URL are not loads.
          if (url && typeof url === 'string') report('resource', tag, tag + ' failed: ' + ctx.scrubUrl(url), [])
          return
        }
        const { error, message, filename } = event
        // A script from another origin without CORS headers reports only "Script error.": no
        // message, file or stack to act on (MDN: Window error event, "Usage notes").
        if (!error && (!message || /^Script error\.?$/.test(message)) && !filename)
          return ctx.debug('error-cross-origin', message)
        const [name, text, frames] = describe(error ?? message, 'Error', ctx.scrubUrl)
        report(
          'onerror',
          name,
          text,
          frames.length || !filename
            ? frames
            : [{ file: ctx.scrubUrl(filename), line: event.lineno || null, col: event.colno || null, fn: '' }],
          error,
        )
      },
      true,
    )
    ctx.listen<PromiseRejectionEvent>(window, 'unhandledrejection', (event) =>
      report('unhandledrejection', ...describe(event.reason, 'UnhandledRejection', ctx.scrubUrl), event.reason),
    )
    ctx.onCaptureError((error) => {
      report('manual', ...describe(error, 'Error', ctx.scrubUrl), error)
      return true
    })

    const onClick = (event: Event) => {
      const target = event.target
      if (!event.isTrusted || !(target instanceof Element)) return
      // A click on an icon inside a button is a click on the button: name the control.
      selectorNodesOf(target.closest(INTERACTIVE) ?? target, lastClick)
      lastClickSelector = undefined
      lastClickAt = Date.now()
    }
    // pointerdown: handlers that fail on press; click: keyboard activation has no pointer.
    ctx.listen(window, 'pointerdown', onClick, true)
    ctx.listen(window, 'click', onClick, true)
    ctx.onHidden(flushAll)
    return flushAll
  },
})
