import { describe, expect, it, vi } from 'vitest'
import { declarative } from '../../../src/lib/declarative'
import { startTracker } from '../core/helpers'

const start = () => {
  const debug = vi.spyOn(console, 'warn').mockImplementation(() => {})
  // The plugin reads the tracker at click time, as the script tag's does.
  const fake: ReturnType<typeof startTracker> = startTracker({
    debug: true,
    plugins: [declarative(() => fake.tracker)],
  })
  const sent = async (type: string) => (await fake.tracker.flush(), fake.events(type) as any[])
  return { ...fake, sent, debug }
}
const click = (selector: string) =>
  document.querySelector(selector)!.dispatchEvent(new MouseEvent('click', { bubbles: true }))

describe('declarative', () => {
  it('tracks a marked element and a funnel step marked on another ancestor', async () => {
    document.body.innerHTML =
      `<div data-fl-funnel="checkout:cart"><button data-fl-track="cta" ` +
      `data-fl-props='{"at":"hero"}'><span>Go</span></button></div>`
    const { sent } = start()
    click('span')
    expect((await sent('track')).map((e) => [e.name, e.props])).toEqual([['cta', { at: 'hero' }]])
    expect((await sent('funnel_step')).map((e) => [e.funnel, e.step])).toEqual([['checkout', 'cart']])
  })

  it('looks up once, and sends nothing, for a click on nothing marked', async () => {
    document.body.innerHTML = '<main><p><b>text</b></p></main>'
    const { events, tracker } = start()
    await tracker.flush()
    const before = events().length
    const closest = vi.spyOn(Element.prototype, 'closest')
    click('b')
    expect(closest).toHaveBeenCalledTimes(1)
    await tracker.flush()
    expect(events().length).toBe(before)
  })

  it('says why a broken data-fl-props or data-fl-funnel is ignored, and still tracks the click', async () => {
    document.body.innerHTML =
      `<button data-fl-track="broken" data-fl-props="{oops" id="a">x</button>` +
      `<button data-fl-funnel="nocolon" id="b">y</button>`
    const { sent, debug } = start()
    click('#a')
    click('#b')
    expect((await sent('track')).map((e) => [e.name, e.props])).toEqual([['broken', {}]])
    expect(await sent('funnel_step')).toEqual([])
    const codes = debug.mock.calls.map((call) => String(call[0]))
    expect(codes.some((code) => code.includes('invalid-data-fl-props'))).toBe(true)
    expect(codes.some((code) => code.includes('invalid-data-fl-funnel'))).toBe(true)
  })

  it('shares the tracker’s capture-phase click listener on window, and shutdown removes it', async () => {
    document.body.innerHTML = '<button data-fl-track="cta" id="b">x</button>'
    const stopped = vi.fn((event: Event) => event.stopPropagation())
    // A page that stops the click at the target does not hide it: the listener runs in capture.
    document.getElementById('b')!.addEventListener('click', stopped)
    const { sent, tracker, events } = start()
    click('#b')
    expect(await sent('track')).toHaveLength(1)
    tracker.shutdown()
    click('#b')
    expect(events('track')).toHaveLength(1)
    expect(stopped).toHaveBeenCalledTimes(2)
  })
})
