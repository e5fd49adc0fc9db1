import { describe, expect, it, vi } from 'vitest'
import { listen } from '../../../src/lib/listen'

describe('listen', () => {
  it('adds a passive listener that the signal removes', () => {
    const controller = new AbortController()
    const handler = vi.fn()
    const target = new EventTarget()
    const add = vi.spyOn(target, 'addEventListener')
    listen(target, 'ping', handler, controller.signal)
    expect(add).toHaveBeenCalledWith(
      'ping',
      handler,
      expect.objectContaining({ passive: true, signal: controller.signal }),
    )
    target.dispatchEvent(new Event('ping'))
    controller.abort()
    target.dispatchEvent(new Event('ping'))
    expect(handler).toHaveBeenCalledTimes(1)
  })
})
