import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Tracker } from '../../../src/core/types'
import { bindDeclarative } from '../../../src/lib/declarative'

const start = () => {
  const step = vi.fn()
  const tracker = { track: vi.fn(), funnel: vi.fn(() => ({ step })) }
  const controller = new AbortController()
  const debug = vi.fn()
  bindDeclarative(tracker as unknown as Tracker<any>, controller.signal, debug)
  return { tracker, step, debug, controller }
}
const $ = (selector: string) => document.querySelector(selector)!

describe('bindDeclarative', () => {
  let stop = () => {}
  afterEach(() => {
    stop()
    document.body.innerHTML = ''
  })

  it('tracks a marked element and a funnel step marked on another ancestor', () => {
    document.body.innerHTML =
      `<div data-fl-funnel="checkout:cart"><button data-fl-track="cta" ` +
      `data-fl-props='{"at":"hero"}'><span>Go</span></button></div>`
    const { tracker, step, controller } = start()
    stop = () => controller.abort()
    $('span').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(tracker.track).toHaveBeenCalledWith('cta', { at: 'hero' })
    expect(tracker.funnel).toHaveBeenCalledWith('checkout', [])
    expect(step).toHaveBeenCalledWith('cart')
  })

  it('looks up once, and calls nothing, for a click on nothing marked', () => {
    document.body.innerHTML = '<main><p><b>text</b></p></main>'
    const { tracker, debug, controller } = start()
    stop = () => controller.abort()
    const closest = vi.spyOn(Element.prototype, 'closest')
    $('b').dispatchEvent(new MouseEvent('click', { bubbles: true }))
    expect(closest).toHaveBeenCalledTimes(1)
    expect([tracker.track, tracker.funnel, debug].map((fn) => fn.mock.calls.length)).toEqual([0, 0, 0])
  })
})
