/** Time after a click within which something must happen, else the click was dead (README "clicks(options)"). */
export const DEFAULT_DEAD_CLICK_MS = 2500

// What counts as a reaction, on `window` in the capture phase so one listener each sees events of
// every element: scroll (element scrolls do not bubble), focus moving, a selection, a changed
// checkbox or radio (its state is a property: no mutation), the tab hidden, the page left.
// Back/forward, anchors and pushState change `location.href`, compared when the timer ends.
const ACTIVITY_EVENTS = ['scroll', 'focusin', 'selectionchange', 'change', 'visibilitychange', 'pagehide']
const OBSERVE_ALL: MutationObserverInit = { subtree: true, childList: true, attributes: true, characterData: true }

/**
 * Pure decision: a click at `clickAt` is dead when no reaction was seen since (reactions at the
 * same instant count: the page's own click handler runs right after ours) and the URL did not
 * change (`pushState` navigation fires no event).
 */
export const isDeadClick = (clickAt: number, lastActivityAt: number, hrefAtClick: string, hrefNow: string): boolean =>
  lastActivityAt < clickAt && hrefAtClick === hrefNow

export interface DeadClickWatch {
  /** Watches a click on `el`; at most one pending watch per element (a burst is one dead click). */
  (el: Element, path: EventTarget[], onDead: () => void): void
  /** Cancels pending watches and stops observing (route change, teardown). */
  clear(): void
}

/**
 * The DOM side of dead clicks. One MutationObserver for the document (and the open shadow roots
 * on a click's composed path) that only stamps the time of the last reaction; it observes only
 * while a click is pending and no reaction has been seen since, so an idle page, and a page that
 * already reacted to the click, pay nothing for it. The activity listeners stay registered for
 * the tracker's life (adding and removing six of them per click would cost more) but return at
 * once unless a pending click still waits for a reaction.
 */
export const createDeadClickWatch = (
  ms: number,
  listen: (target: EventTarget, type: string, handler: (event: Event) => void, capture?: boolean) => void,
  guard: (fn: () => void) => () => void,
): DeadClickWatch => {
  let lastActivityAt = -Infinity
  // When the latest pending click was watched: a reaction stamped at or after it decides every
  // pending click (none of them can be dead any more), so later reactions need no stamp.
  let lastWatchAt = Infinity
  const pending = new Map<Element, ReturnType<typeof setTimeout>>()
  const isWaiting = () => pending.size > 0 && lastActivityAt < lastWatchAt
  const mark = () => {
    lastActivityAt = performance.now()
    observer?.disconnect()
  }
  const observer = typeof MutationObserver === 'function' ? new MutationObserver(mark) : undefined
  const onActivity = (event: Event) => {
    // A collapsed selection is only a caret moving (Chrome fires selectionchange for it after
    // a plain click, asynchronously): nothing the visitor sees. Read only while waiting: the read
    // forces a style recalc.
    if (isWaiting() && (event.type !== 'selectionchange' || getSelection()?.isCollapsed === false)) mark()
  }
  for (const type of ACTIVITY_EVENTS) listen(window, type, onActivity, true)
  const watch = ((el, path, onDead) => {
    if (pending.has(el)) return
    const clickAt = performance.now()
    const href = location.href
    // Waiting means observing the document already (the observer disconnects when it stops).
    if (!isWaiting()) observer?.observe(document, OBSERVE_ALL)
    lastWatchAt = clickAt
    // Open shadow roots (11) on the path too: mutations inside a shadow root are invisible to an
    // observer of the document.
    for (const node of path) if ((node as Node).nodeType === 11) observer?.observe(node as Node, OBSERVE_ALL)
    pending.set(
      el,
      setTimeout(
        guard(() => {
          pending.delete(el)
          if (!pending.size) observer?.disconnect()
          if (isDeadClick(clickAt, lastActivityAt, href, location.href)) onDead()
        }),
        ms,
      ),
    )
  }) as DeadClickWatch
  watch.clear = () => {
    pending.forEach(clearTimeout)
    pending.clear()
    observer?.disconnect()
  }
  return watch
}
