import { describe, expect, it, vi } from 'vitest'
import { createDebug } from '../../../src/lib/debug'
import { createGuard } from '../../../src/lib/guard'
import { toJson } from '../../../src/lib/json'
import { listen } from '../../../src/lib/listen'

describe('toJson', () => {
  it('serializes plain values', () => {
    expect(toJson({ a: [1, 'b'] })).toBe('{"a":[1,"b"]}')
  })
  it.each([
    ['a circular object', (() => { const o: any = {}; o.self = o; return o })()],
    ['a BigInt', { n: 1n }],
    ['a throwing getter', { get x() { throw new Error('no') } }],
  ])('returns undefined for %s instead of throwing', (_name, value) => {
    expect(toJson(value)).toBeUndefined()
  })
})

describe('createGuard', () => {
  it('reports an exception through debug and returns undefined', () => {
    const debug = vi.fn()
    const safe = createGuard(debug)(() => {
      throw new Error('boom')
    }, 'my-code')
    expect(safe()).toBeUndefined()
    expect(debug).toHaveBeenCalledWith('my-code', expect.any(Error))
  })
  it('passes arguments and the result through', () => {
    expect(createGuard(vi.fn())((a: number, b: number) => a + b)(2, 3)).toBe(5)
  })
})

describe('createDebug', () => {
  it('is silent unless enabled', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {})
    createDebug(false)('x')
    expect(warn).not.toHaveBeenCalled()
    createDebug(true)('invalid-thing', 7)
    expect(warn).toHaveBeenCalledWith('[frictionlog] invalid-thing', 7)
  })
})

describe('listen', () => {
  it('adds a passive listener that the signal removes', () => {
    const controller = new AbortController()
    const handler = vi.fn()
    const target = new EventTarget()
    const add = vi.spyOn(target, 'addEventListener')
    listen(target, 'ping', handler, controller.signal)
    expect(add).toHaveBeenCalledWith('ping', handler, expect.objectContaining({ passive: true, signal: controller.signal }))
    target.dispatchEvent(new Event('ping'))
    controller.abort()
    target.dispatchEvent(new Event('ping'))
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
