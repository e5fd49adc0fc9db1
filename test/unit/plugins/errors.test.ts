import { afterEach, describe, expect, it, vi } from 'vitest'
import type { EventOf, FrictionEvent } from '../../../src/schema'
import { errors, type ErrorsOptions } from '../../../src/plugins/errors'
import { fingerprint } from '../../../src/lib/fingerprint'
import * as selector from '../../../src/lib/selector'
import { setVisibility, startTracker } from '../core/helpers'

const CHROME_STACK = `TypeError: Cannot read properties of undefined (reading 'price')
    at total (https://shop.example/cart.js:12:34)
    at HTMLButtonElement.<anonymous> (https://shop.example/cart.js:40:5)`

const start = (options?: ErrorsOptions, debug = false) => {
  const seen: FrictionEvent[] = []
  const { tracker } = startTracker({
    debug,
    plugins: [errors(options)],
    beforeSend: (event) => (seen.push(event), event),
  })
  // flush() first: the pipeline processes events (and runs beforeSend) deferred, in slices.
  const errorEvents = () => (
    void tracker.flush(),
    seen.filter((event): event is EventOf<'error'> => event.type === 'error')
  )
  return { tracker, errorEvents }
}

const withStack = (error: Error, stack: string) => Object.assign(error, { stack })
const throwAtWindow = (init: ErrorEventInit) => window.dispatchEvent(new ErrorEvent('error', init))
// happy-dom has no PromiseRejectionEvent: an Event with a `reason` is what the listener reads.
const reject = (reason: unknown) => window.dispatchEvent(Object.assign(new Event('unhandledrejection'), { reason }))
const trustedClick = (target: Element, type = 'click') => {
  const event = new MouseEvent(type, { bubbles: true })
  Object.defineProperty(event, 'isTrusted', { value: true })
  target.dispatchEvent(event)
}

afterEach(() => {
  document.body.innerHTML = ''
})

describe('errors', () => {
  it('emits an uncaught error with its type, message, parsed stack and fingerprint', () => {
    const { errorEvents } = start()
    const error = withStack(new TypeError("Cannot read properties of undefined (reading 'price')"), CHROME_STACK)
    throwAtWindow({
      error,
      message: 'Uncaught ' + String(error),
      filename: 'https://shop.example/cart.js',
      lineno: 12,
      colno: 34,
    })
    expect(errorEvents()).toEqual([
      expect.objectContaining({
        source: 'onerror',
        message: "Cannot read properties of undefined (reading 'price')",
        errorType: 'TypeError',
        stack: [
          { file: 'https://shop.example/cart.js', line: 12, col: 34, fn: 'total' },
          { file: 'https://shop.example/cart.js', line: 40, col: 5, fn: 'HTMLButtonElement.<anonymous>' },
        ],
        fingerprint: fingerprint(
          "TypeError:Cannot read properties of undefined (reading 'price'):https://shop.example/cart.js:12:34",
        ),
        count: 1,
      }),
    ])
    expect(errorEvents()[0].afterClick).toBeUndefined()
  })

  it('uses the event location when a non-Error value is thrown', () => {
    const { errorEvents } = start()
    throwAtWindow({
      error: 'out of stock',
      message: 'Uncaught out of stock',
      filename: 'https://shop.example/a.js?session=abc',
      lineno: 3,
      colno: 9,
    })
    expect(errorEvents()[0]).toMatchObject({
      source: 'onerror',
      message: 'out of stock',
      errorType: 'Error',
      stack: [{ file: 'https://shop.example/a.js?session=[redacted]', line: 3, col: 9, fn: '' }],
    })
  })

  it('trims the message to 100 characters', () => {
    const { errorEvents } = start()
    throwAtWindow({ error: new Error('x'.repeat(500)) })
    expect(errorEvents()[0].message).toHaveLength(100)
  })

  it('drops a cross-origin "Script error." that carries nothing to act on', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { errorEvents } = start({}, true)
    throwAtWindow({ message: 'Script error.', filename: '', lineno: 0, colno: 0, error: null })
    expect(errorEvents()).toEqual([])
    expect(warn).toHaveBeenCalledWith('[frictionlog] error-cross-origin', 'Script error.')
  })

  it.each([
    'chrome-extension://abc/content.js',
    'moz-extension://abc/c.js',
    'safari-extension://abc/c.js',
    'safari-web-extension://abc/c.js',
  ])('drops an error whose top frame is a browser extension (%s)', (file) => {
    const { errorEvents } = start()
    throwAtWindow({
      error: withStack(
        new Error('ext'),
        `Error: ext\n    at inject (${file}:1:2)\n    at https://shop.example/a.js:1:1`,
      ),
    })
    expect(errorEvents()).toEqual([])
  })

  it('keeps an error that only passes through an extension lower in the stack', () => {
    const { errorEvents } = start()
    throwAtWindow({
      error: withStack(
        new Error('site'),
        'Error: site\n    at buy (https://shop.example/a.js:1:1)\n    at hook (chrome-extension://abc/c.js:1:2)',
      ),
    })
    expect(errorEvents()).toHaveLength(1)
  })

  it('emits an unhandled rejection of an Error and of any other value', () => {
    const { errorEvents } = start()
    reject(withStack(new RangeError('bad qty'), 'RangeError: bad qty\n    at https://shop.example/q.js:2:3'))
    reject({ code: 42 })
    reject(undefined)
    expect(errorEvents()).toMatchObject([
      {
        source: 'unhandledrejection',
        errorType: 'RangeError',
        message: 'bad qty',
        stack: [{ file: 'https://shop.example/q.js', line: 2, col: 3 }],
      },
      { source: 'unhandledrejection', errorType: 'UnhandledRejection', message: '{"code":42}', stack: [] },
      { source: 'unhandledrejection', errorType: 'UnhandledRejection', message: 'undefined' },
    ])
  })

  it('emits a failed image as a resource error with its scrubbed URL (the event does not bubble)', () => {
    const { errorEvents } = start()
    const img = document.createElement('img')
    img.setAttribute('src', 'https://cdn.example/missing.png?token=abc')
    document.body.append(img)
    img.dispatchEvent(new Event('error'))
    expect(errorEvents()).toMatchObject([
      {
        source: 'resource',
        errorType: 'img',
        message: 'img failed: https://cdn.example/missing.png?token=[redacted]',
        stack: [],
        count: 1,
      },
    ])
  })

  it('ignores an error event on an element that loads nothing', () => {
    const { errorEvents } = start()
    const div = document.createElement('div')
    document.body.append(div)
    div.dispatchEvent(new Event('error'))
    expect(errorEvents()).toEqual([])
  })

  it('turns tracker.captureError(err) into a manual error with the parsed stack, once per error object', () => {
    const { tracker, errorEvents } = start()
    const error = withStack(new TypeError('caught'), 'TypeError: caught\n    at pay (https://shop.example/pay.js:7:1)')
    tracker.captureError(error)
    // Captured, then rethrown: the same object is not reported twice.
    throwAtWindow({ error, message: 'Uncaught TypeError: caught' })
    tracker.captureError('a string')
    expect(errorEvents()).toMatchObject([
      {
        source: 'manual',
        errorType: 'TypeError',
        message: 'caught',
        stack: [{ file: 'https://shop.example/pay.js', line: 7, col: 1, fn: 'pay' }],
        count: 1,
      },
      { source: 'manual', errorType: 'Error', message: 'a string', stack: [] },
    ])
  })

  it('names the control clicked less than 1 s before the error as afterClick', () => {
    vi.useFakeTimers()
    const { errorEvents } = start()
    document.body.innerHTML = '<button id="buy" class="cta"><span>Buy</span></button><p class="note">x</p>'
    trustedClick(document.querySelector('span')!)
    vi.advanceTimersByTime(999)
    throwAtWindow({ error: new Error('first') })
    trustedClick(document.querySelector('p')!, 'pointerdown')
    throwAtWindow({ error: new Error('second') })
    vi.advanceTimersByTime(1000)
    throwAtWindow({ error: new Error('late') })
    // A synthetic click (a script's element.click()) is not the user's.
    document.querySelector('button')!.click()
    throwAtWindow({ error: new Error('scripted') })
    expect(errorEvents().map((event) => [event.message, event.afterClick])).toEqual([
      ['first', '#buy'],
      ['second', 'p.note'],
      ['late', undefined],
      ['scripted', undefined],
    ])
  })

  it('builds afterClick only when an error follows a click, once per click', () => {
    vi.useFakeTimers()
    const spy = vi.spyOn(selector, 'selectorOf')
    const { errorEvents } = start()
    document.body.innerHTML = '<button class="cta">Buy</button>'
    for (let i = 0; i < 5; i++) {
      trustedClick(document.querySelector('button')!, 'pointerdown')
      trustedClick(document.querySelector('button')!)
    }
    expect(spy).not.toHaveBeenCalled()
    throwAtWindow({ error: new Error('a') })
    throwAtWindow({ error: new Error('b') })
    expect(spy).toHaveBeenCalledTimes(1)
    expect(errorEvents().map((event) => event.afterClick)).toEqual(['button.cta', 'button.cta'])
  })

  it('names the clicked control where it was, even when the page removed it before the error', () => {
    vi.useFakeTimers()
    const { errorEvents } = start()
    document.body.innerHTML = '<ul id="cart"><li class="row"><button class="remove"><svg></svg></button></li></ul>'
    trustedClick(document.querySelector('svg')!)
    document.querySelector('li')!.remove() // the page's handler deletes the row, then fails
    throwAtWindow({ error: new Error('sync failed') })
    expect(errorEvents()[0].afterClick).toBe('#cart>li.row>button.remove')
  })

  it("folds a storm of 1,000 throws into the bucket's events, with counts adding up to 1,000", () => {
    vi.useFakeTimers()
    const { errorEvents } = start()
    const throwOne = () =>
      throwAtWindow({ error: withStack(new Error('loop'), 'Error: loop\n    at tick (https://a.example/l.js:1:1)') })
    for (let i = 0; i < 1000; i++) throwOne()
    expect(errorEvents()).toHaveLength(10) // the burst, sent at once
    expect(errorEvents().every((event) => event.count === 1)).toBe(true)
    vi.advanceTimersByTime(10_000) // one token earned: the 990 repeats go out as one event
    expect(errorEvents()).toHaveLength(11)
    expect(errorEvents()[10]).toMatchObject({ message: 'loop', count: 990 })
    for (let i = 0; i < 500; i++) throwOne()
    vi.advanceTimersByTime(60_000)
    expect(errorEvents()).toHaveLength(12)
    expect(errorEvents().reduce((sum, event) => sum + event.count, 0)).toBe(1500)
    expect(new Set(errorEvents().map((event) => event.fingerprint)).size).toBe(1)
  })

  it('sends the folded repeats when the page is hidden, so no count is lost at exit', () => {
    vi.useFakeTimers()
    const { errorEvents } = start({ burst: 2 })
    for (let i = 0; i < 50; i++) throwAtWindow({ error: new Error('again') })
    expect(errorEvents()).toHaveLength(2)
    setVisibility('hidden')
    expect(errorEvents().map((event) => event.count)).toEqual([1, 1, 48])
  })

  it('limits each fingerprint separately', () => {
    const { errorEvents } = start({ burst: 1 })
    for (let i = 0; i < 3; i++) throwAtWindow({ error: new Error('a') })
    for (let i = 0; i < 3; i++) throwAtWindow({ error: new Error('b') })
    expect(errorEvents().map((event) => event.message)).toEqual(['a', 'b'])
  })

  it('drops errors past maxPerSession, with one debug message', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    const { errorEvents } = start({ maxPerSession: 5 }, true)
    for (let i = 0; i < 20; i++) throwAtWindow({ error: new Error('e' + i) })
    expect(errorEvents().map((event) => event.message)).toEqual(['e0', 'e1', 'e2', 'e3', 'e4'])
    expect(warn.mock.calls.filter(([code]) => code === '[frictionlog] error-cap-reached')).toHaveLength(1)
  })

  it('keeps the counts true when the cap is reached while repeats are folded', () => {
    vi.useFakeTimers()
    const { tracker, errorEvents } = start({ maxPerSession: 2, burst: 1 })
    const a = () => withStack(new Error('a'), 'Error: a\n    at f (https://a.example/x.js:1:1)')
    for (let i = 0; i < 5; i++) throwAtWindow({ error: a() }) // 1 sent + 4 folded (2 events)
    throwAtWindow({ error: new Error('b') }) // past the cap: dropped
    throwAtWindow({ error: a() }) // joins the open fold: kept
    tracker.shutdown()
    expect(errorEvents().map((event) => [event.message, event.count])).toEqual([
      ['a', 1],
      ['a', 5],
    ])
  })

  it('sends folded repeats at shutdown, then emits nothing and leaves no timer', () => {
    vi.useFakeTimers()
    const { tracker, errorEvents } = start({ burst: 1 })
    throwAtWindow({ error: new Error('x') })
    throwAtWindow({ error: new Error('x') }) // folded, waiting for a token
    tracker.shutdown()
    expect(errorEvents().map((event) => event.count)).toEqual([1, 1])
    throwAtWindow({ error: new Error('after') })
    reject(new Error('after'))
    const img = document.createElement('img')
    img.src = 'https://a.example/x.png'
    document.body.append(img)
    img.dispatchEvent(new Event('error'))
    tracker.captureError(new Error('after'))
    vi.advanceTimersByTime(60_000)
    expect(errorEvents()).toHaveLength(2)
  })
})

describe('errors (privacy and real-world stacks)', () => {
  it('scrubs error messages: query secrets and email addresses', () => {
    const { errorEvents } = start()
    throwAtWindow({ error: new Error('GET https://api.example/me?token=s3cret failed for jane.doe@example.com') })
    expect(errorEvents()[0].message).toBe('GET https://api.example/me?token=[redacted] failed for [redacted]')
  })

  it('scrubs a rejected object serialized with passwords and card numbers', () => {
    const { errorEvents } = start()
    reject({ user: 'u1', password: 'hunter2', card: '4242424242424242' })
    reject({ note: 'paid with 4000 0566 5566 5556' })
    const [first, second] = errorEvents().map((event) => event.message)
    expect(first).toBe('{"user":"u1","password":"[redacted]","card":"[redacted]"}')
    expect(second).toBe('{"note":"paid with [redacted]"}')
  })

  it("honours React's framesToPop: the invariant frame is not the error's location", () => {
    const { errorEvents } = start()
    const error = withStack(
      new Error('Minified React error #130'),
      'Error: Minified React error #130\n    at invariant (https://a.example/react.js:1:1)\n    at render ' +
        '(https://a.example/app.js:2:2)',
    )
    throwAtWindow({ error: Object.assign(error, { framesToPop: 1 }) })
    expect(errorEvents()[0].stack).toEqual([{ file: 'https://a.example/app.js', line: 2, col: 2, fn: 'render' }])
  })

  it.each([
    ['Safari', 'Error: wat\n      at ClipperError@safari-extension:(//3284871F/2665fee0/commons.js:223036:10)'],
    ['Safari web extension', 'p_@safari-web-extension://46434E60/scripts/content-script.js:29:33314'],
    ['Safari 17 (masked)', 'Error: x\n    at f (webkit-masked-url://hidden/:1:2)'],
  ])('drops an error thrown by a %s extension', (_name, stack) => {
    const { errorEvents } = start()
    throwAtWindow({ error: withStack(new Error('wat'), stack) })
    expect(errorEvents()).toHaveLength(0)
  })
})
