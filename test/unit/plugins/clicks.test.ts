import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { clicks, type ClicksOptions } from '../../../src/plugins/clicks'
import * as selector from '../../../src/lib/selector'
import { eventSchema } from '../../../src/schema'
import { startTracker } from '../core/helpers'

/** A trusted pointer click (happy-dom's events are untrusted), `detail` 1 unless given. */
const click = (el: Element, init: MouseEventInit = {}) => {
  const event = new MouseEvent('click', {
    bubbles: true,
    composed: true,
    cancelable: true,
    clientX: 50,
    clientY: 20,
    detail: 1,
    ...init,
  })
  Object.defineProperty(event, 'isTrusted', { value: true })
  el.dispatchEvent(event)
}
/** `times` clicks `gapMs` apart. */
const clickMany = (el: Element, times: number, gapMs: number, init?: MouseEventInit) => {
  for (let i = 0; i < times; i++) {
    if (i) vi.advanceTimersByTime(gapMs)
    click(el, init)
  }
}

const start = (options?: ClicksOptions) => {
  const started = startTracker({ plugins: [clicks(options)] })
  const events = async (type: string) => {
    await started.tracker.flush()
    const found = started.events(type)
    for (const event of found) expect(eventSchema.safeParse(event).error).toBeUndefined()
    return found
  }
  return { ...started, events }
}

const $ = (selector: string) => document.querySelector(selector)!

describe('clicks', () => {
  beforeEach(() => {
    vi.useFakeTimers()
    document.body.innerHTML =
      `
      <button id="broken" class="btn">  Pay   now </button>
      <button id="opens">Menu</button><div id="menu" hidden></div>
      <p id="para">Some long paragraph text to select.</p>
      <div class="qty"><button aria-label="Decrease">−</button><input id="qty" type="number" value="1">` +
      `<button id="plus">+</button></div>
      <button id="next" aria-label="Next slide">›</button>
      <input id="email" type="email" value="me@example.com"><input id="pw" type="password" value="hunter2">
      <a id="pdf" href="/f.pdf" download>PDF</a>
      <a id="terms" href="/files/terms.pdf">Terms (PDF)</a>
      <button id="off" disabled>Off</button>
      <div data-fl-ignore><button id="ignored">Secret</button></div>
      <input id="submit" type="submit" value="Send my data">`
    $('#opens').addEventListener('click', () => $('#menu').removeAttribute('hidden'))
    // A download leaves the page as it is; happy-dom would follow the link and change the URL.
    $('#terms').addEventListener('click', (event) => event.preventDefault())
  })
  afterEach(() => {
    document.body.innerHTML = ''
  })

  describe('rage_click', () => {
    it('reports 5 clicks in 600 ms on a broken button exactly once', async () => {
      const { events } = start()
      clickMany($('#broken'), 5, 150)
      expect(await events('rage_click')).toEqual([
        expect.objectContaining({ selector: '#broken', text: 'Pay now', x: 50, y: 20, clicks: 4, windowMs: 450 }),
      ])
    })

    it('ignores double and triple clicks that select text', async () => {
      const { events } = start()
      const selection = getSelection()!
      click($('#para'))
      // The browser selects a word on the 2nd click and the paragraph on the 3rd.
      selection.selectAllChildren($('#para'))
      clickMany($('#para'), 4, 100, { detail: 2 })
      expect(await events('rage_click')).toEqual([])
      selection.removeAllRanges()
    })

    it.each([
      ['a stepper + button', '#plus'],
      ['a stepper − button', '[aria-label=Decrease]'],
      ['a number input', '#qty'],
      ['a next/previous control', '#next'],
      ['a text input', '#email'],
    ])('ignores %s clicked 6 times at human speed', async (_name, selector) => {
      const { events } = start()
      clickMany($(selector), 6, 300)
      expect(await events('rage_click')).toEqual([])
    })

    it('ignores keyboard clicks (detail 0: a held Enter key repeats)', async () => {
      const { events } = start()
      clickMany($('#broken'), 6, 50, { detail: 0 })
      expect(await events('rage_click')).toEqual([])
    })

    it('ignores untrusted (scripted) clicks', async () => {
      const { events } = start({ heatmap: true })
      for (let i = 0; i < 6; i++) $('#broken').dispatchEvent(new MouseEvent('click', { bubbles: true, detail: 1 }))
      vi.advanceTimersByTime(3000)
      expect([...(await events('rage_click')), ...(await events('dead_click')), ...(await events('click'))]).toEqual([])
    })

    it('follows its options and can be turned off', async () => {
      const custom = start({ rage: { clicks: 3 }, dead: false })
      clickMany($('#broken'), 3, 100)
      expect(await custom.events('rage_click')).toHaveLength(1)
      custom.tracker.shutdown()
      const off = start({ rage: false, dead: false })
      clickMany($('#broken'), 8, 100)
      expect(await off.events('rage_click')).toEqual([])
    })

    it('keys bursts by the interactive element, not the inner node clicked', async () => {
      document.body.innerHTML = '<button class="cta"><span>Go</span><svg><path></path></svg></button>'
      const { events } = start()
      ;['span', 'path', 'span', 'button'].forEach((selector, i) => {
        if (i) vi.advanceTimersByTime(100)
        click($(selector))
      })
      expect(await events('rage_click')).toEqual([expect.objectContaining({ selector: 'button.cta', text: 'Go' })])
    })

    it('ignores a triple click that selects a paragraph followed by a click that clears it', async () => {
      const { events } = start()
      const selection = getSelection()!
      click($('#para'))
      selection.selectAllChildren($('#para'))
      clickMany($('#para'), 2, 100, { detail: 2 })
      vi.advanceTimersByTime(100)
      selection.removeAllRanges()
      click($('#para'))
      expect(await events('rage_click')).toEqual([])
    })

    it('reads the text selection only on clicks that continue a burst', async () => {
      const read = vi.spyOn(window, 'getSelection')
      const { events } = start({ dead: false, heatmap: true })
      for (const selector of ['#broken', '#opens', '#para', '#broken', '#submit']) {
        vi.advanceTimersByTime(1500)
        click($(selector))
      }
      expect(read).not.toHaveBeenCalled()
      clickMany($('#broken'), 5, 100)
      expect(read).toHaveBeenCalledTimes(3) // the 2nd to the 4th click, which completes the burst
      expect(await events('rage_click')).toHaveLength(1)
    })
  })

  describe('dead_click', () => {
    it('reports a button that does nothing', async () => {
      const { events } = start()
      click($('#broken'))
      vi.advanceTimersByTime(2499)
      expect(await events('dead_click')).toEqual([])
      vi.advanceTimersByTime(1)
      expect(await events('dead_click')).toEqual([
        expect.objectContaining({ selector: '#broken', text: 'Pay now', x: 50, y: 20 }),
      ])
    })

    it('reports a burst of clicks on a dead button once', async () => {
      const { events } = start()
      clickMany($('#broken'), 5, 150)
      vi.advanceTimersByTime(2500)
      expect(await events('dead_click')).toHaveLength(1)
    })

    it('does not report a button that opens a menu', async () => {
      const { events } = start()
      click($('#opens'))
      await Promise.resolve()
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([])
    })

    it('does not report a link that navigates', async () => {
      document.body.innerHTML = '<a id="go" href="/next">Next page</a>'
      $('#go').addEventListener('click', (event) => {
        event.preventDefault()
        history.pushState(null, '', '/next')
      })
      const { events } = start()
      click($('#go'))
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([])
    })

    it.each([
      ['a disabled button', '#off', {}],
      ['a download link', '#pdf', {}],
      ['a link to a PDF without the download attribute', '#terms', {}],
      ['a ctrl-click', '#broken', { ctrlKey: true }],
      ['a meta-click', '#broken', { metaKey: true }],
      ['a shift-click', '#broken', { shiftKey: true }],
      ['an alt-click', '#broken', { altKey: true }],
      ['a non-interactive element', '#para', {}],
      ['a stepper', '#plus', {}],
    ])('excludes %s', async (_name, selector, init) => {
      const { events } = start()
      click($(selector), init)
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([])
    })

    it('never sends an input value as text', async () => {
      const { events } = start({ heatmap: false })
      click($('#submit'))
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([expect.objectContaining({ selector: '#submit', text: '' })])
    })

    it('drops pending clicks on a route change', async () => {
      const { events } = start()
      click($('#broken'))
      vi.advanceTimersByTime(1000)
      history.pushState(null, '', '/other')
      history.back() // same URL again at the deadline, but the route changed in between
      history.replaceState(null, '', '/')
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([])
    })

    it('does not report a click made with text selected', async () => {
      const { events } = start()
      getSelection()!.selectAllChildren($('#para'))
      click($('#broken'))
      vi.advanceTimersByTime(3000)
      expect(await events('dead_click')).toEqual([])
      getSelection()!.removeAllRanges()
    })

    it('reads the selection and builds the selector only at the deadline of a dead click', async () => {
      const read = vi.spyOn(window, 'getSelection')
      const build = vi.spyOn(selector, 'selectorOf')
      const { events } = start()
      click($('#opens'))
      await Promise.resolve()
      vi.advanceTimersByTime(100)
      click($('#broken'))
      expect([read.mock.calls.length, build.mock.calls.length]).toEqual([0, 0])
      vi.advanceTimersByTime(2500)
      // #opens reacted (its menu opened): nothing read for it.
      expect([read.mock.calls.length, build.mock.calls.length]).toEqual([1, 1])
      expect(await events('dead_click')).toEqual([expect.objectContaining({ selector: '#broken', text: 'Pay now' })])
    })

    it('names the clicked control, not the inner node, in a dead click', async () => {
      document.body.innerHTML = '<div class="card"><button class="buy"><svg><path></path></svg> Buy</button></div>'
      const { events } = start()
      click($('path'))
      vi.advanceTimersByTime(2500)
      expect(await events('dead_click')).toEqual([
        expect.objectContaining({ selector: 'div.card>button.buy', text: 'Buy' }),
      ])
    })

    it('can be turned off or given another delay', async () => {
      const slow = start({ dead: { ms: 5000 } })
      click($('#broken'))
      vi.advanceTimersByTime(4999)
      expect(await slow.events('dead_click')).toEqual([])
      vi.advanceTimersByTime(1)
      expect(await slow.events('dead_click')).toHaveLength(1)
      slow.tracker.shutdown()
      const off = start({ dead: false })
      click($('#broken'))
      vi.advanceTimersByTime(3000)
      expect(await off.events('dead_click')).toEqual([])
    })
  })

  describe('heatmap', () => {
    it('sends no click events by default', async () => {
      const { events } = start()
      click($('#broken'))
      expect(await events('click')).toEqual([])
    })

    it('sends page coordinates, the position within the element and the viewport width', async () => {
      const { events } = start({ heatmap: true })
      vi.spyOn($('#broken'), 'getBoundingClientRect').mockReturnValue({
        left: 40,
        top: 10,
        width: 30,
        height: 40,
      } as DOMRect)
      const scrollY = Object.getOwnPropertyDescriptor(window, 'scrollY')!
      Object.defineProperty(window, 'scrollY', { value: 300, configurable: true })
      click($('#broken'), { clientX: 50, clientY: 20 })
      click($('#broken'), { clientX: 200, clientY: 5 }) // outside the box: clamped
      Object.defineProperty(window, 'scrollY', scrollY)
      expect(await events('click')).toEqual([
        expect.objectContaining({ selector: '#broken', x: 50, y: 320, relX: 0.333, relY: 0.25, viewportW: innerWidth }),
        expect.objectContaining({ relX: 1, relY: 0 }),
      ])
    })

    it('sends 0 within an empty box and nothing for keyboard clicks', async () => {
      const { events } = start({ heatmap: true })
      click($('#broken'), { detail: 0 })
      click($('#para'))
      expect(await events('click')).toEqual([expect.objectContaining({ selector: '#para', relX: 0, relY: 0 })])
    })
  })

  it('ignores every click signal under data-fl-ignore', async () => {
    const { events } = start({ heatmap: true })
    clickMany($('#ignored'), 6, 100)
    vi.advanceTimersByTime(3000)
    expect([...(await events('rage_click')), ...(await events('dead_click')), ...(await events('click'))]).toEqual([])
  })

  it('removes its listeners, timers and observer on shutdown', async () => {
    const disconnect = vi.spyOn(MutationObserver.prototype, 'disconnect')
    const add = vi.spyOn(window, 'addEventListener')
    const { tracker, events } = start({ heatmap: true })
    const listeners = add.mock.calls.length
    click($('#broken')) // a pending dead click
    tracker.shutdown()
    expect(disconnect).toHaveBeenCalled()
    expect(add.mock.calls.length).toBe(listeners)
    clickMany($('#broken'), 6, 100)
    vi.advanceTimersByTime(5000)
    expect(vi.getTimerCount()).toBe(0)
    expect([...(await events('rage_click')), ...(await events('dead_click'))]).toEqual([])
    expect(await events('click')).toHaveLength(1) // the one before shutdown
  })
})
