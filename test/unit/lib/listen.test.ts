import { describe, expect, it, vi } from 'vitest'
import { createListenerHub } from '../../../src/lib/listen'

describe('createListenerHub', () => {
  const setup = () => {
    const controller = new AbortController()
    const failures: unknown[] = []
    const wrap = (handler: (event: Event) => void) => (event: Event) => {
      try {
        handler(event)
      } catch (error) {
        failures.push(error)
      }
    }
    return { controller, failures, hub: createListenerHub(controller.signal, wrap) }
  }

  it('adds one passive native listener per target, type and phase, and runs every handler in order', () => {
    const { controller, hub } = setup()
    const target = new EventTarget()
    const add = vi.spyOn(target, 'addEventListener')
    const calls: string[] = []
    hub(target, 'ping', () => calls.push('a'))
    hub(target, 'ping', () => calls.push('b'))
    hub(target, 'ping', () => calls.push('capture'), true)
    hub(target, 'pong', () => calls.push('pong'))
    expect(add).toHaveBeenCalledTimes(3)
    expect(add.mock.calls.map(([type, , options]) => [type, (options as AddEventListenerOptions).capture])).toEqual([
      ['ping', false],
      ['ping', true],
      ['pong', false],
    ])
    for (const [, , options] of add.mock.calls) {
      expect(options).toEqual(expect.objectContaining({ passive: true, signal: controller.signal }))
    }
    target.dispatchEvent(new Event('ping'))
    expect(calls).toEqual(['capture', 'a', 'b'])
  })

  it('keeps targets apart and runs the other handlers when one throws', () => {
    const { failures, hub } = setup()
    const first = new EventTarget()
    const second = new EventTarget()
    const seen: string[] = []
    hub(first, 'ping', () => {
      throw new Error('boom')
    })
    hub(first, 'ping', () => seen.push('first'))
    hub(second, 'ping', () => seen.push('second'))
    first.dispatchEvent(new Event('ping'))
    expect(seen).toEqual(['first'])
    expect(failures).toEqual([new Error('boom')])
  })

  it('removes every handler when the signal aborts', () => {
    const { controller, hub } = setup()
    const target = new EventTarget()
    const handler = vi.fn()
    hub(target, 'ping', handler)
    hub(target, 'ping', handler, true)
    controller.abort()
    target.dispatchEvent(new Event('ping'))
    expect(handler).not.toHaveBeenCalled()
  })
})
