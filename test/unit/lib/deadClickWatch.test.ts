import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { INTERACTIVE, isDeadClickCandidate, isDownloadPath } from '../../../src/lib/clickTargets'
import { createDeadClickWatch, DEFAULT_DEAD_CLICK_MS, isDeadClick } from '../../../src/lib/deadClickWatch'

describe('isDeadClick', () => {
  it.each<[string, number, number, string, string, boolean]>([
    ['nothing happened since the click', 1000, 500, '/a', '/a', true],
    ['nothing ever happened', 1000, -Infinity, '/a', '/a', true],
    ['a mutation after the click', 1000, 1200, '/a', '/a', false],
    // The page's own handler runs in the same event dispatch, right after our listener.
    ['a reaction at the same instant', 1000, 1000, '/a', '/a', false],
    // pushState navigation fires no event: only the URL tells.
    ['the URL changed', 1000, 500, '/a', '/b', false],
  ])('%s → dead=%s', (_name, clickAt, lastActivityAt, before, after, expected) => {
    expect(isDeadClick(clickAt, lastActivityAt, before, after)).toBe(expected)
  })
})

describe('isDownloadPath', () => {
  it.each<[string, boolean]>([
    ['/files/terms.pdf', true],
    ['/files/TERMS.PDF', true], // extensions are case-insensitive
    ['/export/orders.csv', true],
    ['/app/setup.exe', true],
    ['/docs/plan.docx', true],
    ['/media/intro.mp4', true],
    ['/backup.tar', true],
    ['/pdf', false], // a page named after the format, no extension
    ['/guide.html', false],
    ['/blog/how.to.pay', false],
    ['/', false],
    ['', false],
  ])('%s → %s', (pathname, expected) => {
    expect(isDownloadPath(pathname)).toBe(expected)
  })
})

describe('isDeadClickCandidate', () => {
  afterEach(() => {
    document.body.innerHTML = ''
  })
  it.each<[string, string, boolean]>([
    ['a button', '<button>Go</button>', true],
    ['a link', '<a href="/x">Go</a>', true],
    ['a role=button', '<div role="button">Go</div>', true],
    ['a disabled button', '<button disabled>Go</button>', false],
    ['an aria-disabled button', '<button aria-disabled="true">Go</button>', false],
    ['inside an aria-disabled group', '<div aria-disabled="true"><a href="/x">Go</a></div>', false],
    ['a download link', '<a href="/f.pdf" download>PDF</a>', false],
    // A file link without `download`: the browser downloads it or opens a viewer, the page stays.
    ['a link to a PDF', '<a href="/files/terms.pdf">Terms</a>', false],
    ['a link to a PDF with a query', '<a href="https://cdn.example/price-list.PDF?v=3#page=2">Prices</a>', false],
    ['a link to an installer', '<a href="/get/app.dmg">Download</a>', false],
    ['a link to a page named after a format', '<a href="/pdf-guide">Guide</a>', true],
    ['a link to a page whose query names a file', '<a href="/view?file=a.pdf">View</a>', true],
    ['a link to a new tab', '<a href="/x" target="_blank">Go</a>', false],
    ['a label of a file input', '<label for="f">Upload</label><input id="f" type="file">', false],
    ['a stepper button', '<button aria-label="Increment">+</button>', false],
  ])('%s → %s', (_name, html, expected) => {
    document.body.innerHTML = html
    const el = document.body.querySelector(INTERACTIVE)!
    expect(isDeadClickCandidate(el)).toBe(expected)
  })
})

describe('createDeadClickWatch', () => {
  let controller: AbortController
  const listen = (target: EventTarget, type: string, handler: (event: Event) => void, capture?: boolean) =>
    target.addEventListener(type, handler, { capture, signal: controller.signal, passive: true })
  const guard = (fn: () => void) => fn
  let watch: ReturnType<typeof createDeadClickWatch>
  let button: HTMLButtonElement

  beforeEach(() => {
    vi.useFakeTimers()
    controller = new AbortController()
    watch = createDeadClickWatch(DEFAULT_DEAD_CLICK_MS, listen, guard)
    document.body.innerHTML = '<button>Open</button><div id="menu" hidden></div><input id="name">'
    button = document.querySelector('button')!
  })
  afterEach(() => {
    watch.clear()
    controller.abort()
    document.body.innerHTML = ''
    history.replaceState(null, '', '/')
    vi.useRealTimers()
  })

  /** Watches a click on the button, runs `reaction` (the page's handler), waits `ms`. */
  const click = async (reaction: () => void = () => {}, ms = DEFAULT_DEAD_CLICK_MS) => {
    const onDead = vi.fn()
    watch(button, [button, document.body, document.documentElement, document, window], onDead)
    vi.advanceTimersByTime(1)
    reaction()
    await Promise.resolve() // MutationObserver callbacks are microtasks
    vi.advanceTimersByTime(ms)
    return onDead.mock.calls.length
  }

  it.each<[string, () => void, number]>([
    ['a button that does nothing is dead', () => {}, 1],
    [
      'a menu that opens (attribute mutation) is not dead',
      () => document.getElementById('menu')!.removeAttribute('hidden'),
      0,
    ],
    ['a node added is not dead', () => document.body.append(document.createElement('p')), 0],
    ['text changed is not dead', () => (button.firstChild!.nodeValue = 'Close'), 0],
    ['a link that navigates (pushState) is not dead', () => history.pushState(null, '', '/next'), 0],
    ['a click that only focuses another element is not dead', () => document.getElementById('name')!.focus(), 0],
    ['a scroll is not dead', () => window.dispatchEvent(new Event('scroll')), 0],
    ['an element scroll (not bubbling) is not dead', () => document.body.dispatchEvent(new Event('scroll')), 0],
    ['a changed checkbox is not dead', () => document.body.dispatchEvent(new Event('change', { bubbles: true })), 0],
    ['a hidden tab is not dead', () => document.dispatchEvent(new Event('visibilitychange', { bubbles: true })), 0],
    ['leaving the page is not dead', () => window.dispatchEvent(new Event('pagehide')), 0],
  ])('%s', async (_name, reaction, expected) => {
    expect(await click(reaction)).toBe(expected)
  })

  it('waits the whole delay before deciding', async () => {
    expect(await click(() => {}, DEFAULT_DEAD_CLICK_MS - 2)).toBe(0)
  })

  it('ignores a reaction that happened before the click', async () => {
    document.body.append(document.createElement('p'))
    await Promise.resolve()
    expect(await click()).toBe(1)
  })

  it('counts only a selection that selects something', async () => {
    expect(await click(() => document.dispatchEvent(new Event('selectionchange')))).toBe(1)
  })

  it('watches one click per element at a time', async () => {
    const onDead = vi.fn()
    for (let i = 0; i < 5; i++) watch(button, [], onDead)
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    expect(onDead).toHaveBeenCalledTimes(1)
  })

  it('observes mutations inside open shadow roots on the click path', async () => {
    const host = document.createElement('div')
    document.body.append(host)
    const root = host.attachShadow({ mode: 'open' })
    root.innerHTML = '<button>In</button><p></p>'
    const inner = root.querySelector('button')!
    const onDead = vi.fn()
    watch(inner, [inner, root, host, document.body, document.documentElement, document, window], onDead)
    vi.advanceTimersByTime(1)
    root.querySelector('p')!.textContent = 'opened'
    await Promise.resolve()
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    expect(onDead).not.toHaveBeenCalled()
  })

  it('stops observing at the first reaction, and observes again for the next click', async () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe')
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect')
    const onDead = vi.fn()
    watch(button, [], onDead)
    document.body.append(document.createElement('p'))
    await Promise.resolve()
    expect(disconnect).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(1)
    const other = document.getElementById('name')!
    watch(other, [], onDead)
    expect(observe).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    // The first click reacted; the second saw nothing after it.
    expect(onDead).toHaveBeenCalledTimes(1)
  })

  it('observes the document once for clicks waiting together', () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe')
    watch(button, [], vi.fn())
    watch(document.getElementById('name')!, [], vi.fn())
    expect(observe).toHaveBeenCalledTimes(1)
  })

  it('reads the selection only while a click waits for a reaction', async () => {
    const read = vi.spyOn(window, 'getSelection')
    const selectionChange = () => document.dispatchEvent(new Event('selectionchange'))
    selectionChange()
    expect(read).not.toHaveBeenCalled()
    const onDead = vi.fn()
    watch(button, [], onDead)
    selectionChange()
    expect(read).toHaveBeenCalledTimes(1)
    document.getElementById('name')!.focus() // a reaction: nothing left to wait for
    selectionChange()
    expect(read).toHaveBeenCalledTimes(1)
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    expect(onDead).not.toHaveBeenCalled()
  })

  it('observes only while a click is pending and stops on clear', async () => {
    const observe = vi.spyOn(MutationObserver.prototype, 'observe')
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect')
    const onDead = vi.fn()
    watch(button, [], onDead)
    expect(observe).toHaveBeenCalledWith(document, expect.objectContaining({ subtree: true, attributes: true }))
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    expect(disconnect).toHaveBeenCalledTimes(1)
    watch(button, [], onDead)
    watch.clear()
    expect(disconnect).toHaveBeenCalledTimes(2)
    vi.advanceTimersByTime(DEFAULT_DEAD_CLICK_MS)
    expect(onDead).toHaveBeenCalledTimes(1)
  })
})
