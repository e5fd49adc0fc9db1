import { afterEach, describe, expect, it, vi } from 'vitest'
import { excessiveScroll } from '../../../src/plugins/excessiveScroll'
import { eventSchema } from '../../../src/schema'
import { startTracker } from '../core/helpers'

const scrollTo = (y: number) => {
  Object.defineProperty(window, 'scrollY', { value: y, configurable: true })
  window.dispatchEvent(new Event('scroll'))
}
/** Down and up `times` legs of 1,500 px, in 100 px steps. */
const backAndForth = (legs: number) => {
  for (let leg = 0; leg < legs; leg++) {
    for (let step = 1; step <= 15; step++) scrollTo(leg % 2 === 0 ? step * 100 : 1500 - step * 100)
  }
}
const start = (options?: Parameters<typeof excessiveScroll>[0]) => {
  const fake = startTracker({ plugins: [excessiveScroll(options)] })
  const signals = async () => (await fake.tracker.flush(), fake.events('excessive_scroll') as any[])
  return { ...fake, signals }
}

afterEach(() => {
  delete (window as any).scrollY
})

describe('excessiveScroll', () => {
  it('emits excessive_scroll once when the visitor scrolls back and forth', async () => {
    const { signals } = start()
    scrollTo(0)
    backAndForth(9)
    const sent = await signals()
    expect(sent).toHaveLength(1)
    expect(sent[0]).toMatchObject({ type: 'excessive_scroll', reversals: 4, windowMs: expect.any(Number) })
    // Four legs of 1,500 px, then the fifth counted at 400 px.
    expect(sent[0].distancePx).toBe(6400)
    expect(eventSchema.safeParse(sent[0]).success).toBe(true)
  })

  it('does not emit for reading down the page with a look back', async () => {
    const { signals } = start()
    scrollTo(0)
    backAndForth(3)
    for (let y = 1500; y <= 6000; y += 100) scrollTo(y)
    expect(await signals()).toEqual([])
  })

  it('follows its options', async () => {
    const { signals } = start({ reversals: 2 })
    scrollTo(0)
    backAndForth(3)
    expect(await signals()).toMatchObject([{ reversals: 2 }])
  })

  it('starts over on a new page view', async () => {
    const { signals } = start()
    scrollTo(0)
    backAndForth(5)
    history.pushState(null, '', '/next')
    scrollTo(0)
    backAndForth(5)
    const sent = await signals()
    expect(sent).toHaveLength(2)
    expect(sent[0].pageId).not.toBe(sent[1].pageId)
  })

  it('binds its scroll listener to the signal shutdown aborts', () => {
    const add = vi.spyOn(window, 'addEventListener')
    const { tracker } = start()
    const scrolls = add.mock.calls.filter(([type]) => type === 'scroll')
    // One native listener runs the core's scroll handler (page_leave.maxScrollPct) and the plugin's.
    expect(scrolls).toHaveLength(1)
    tracker.shutdown()
    for (const [, , options] of scrolls) expect((options as AddEventListenerOptions).signal?.aborted).toBe(true)
  })
})
