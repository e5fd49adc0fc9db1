import { afterEach, describe, expect, it, vi } from 'vitest'
import { createDebug } from '../../../src/lib/debug'
import { createGuard } from '../../../src/lib/guard'
import { createPluginHost } from '../../../src/core/pluginHost'
import type { Plugin, PluginContext } from '../../../src/core/types'
import { resetPage, startTracker } from './helpers'

const context = { debug: () => {} } as unknown as Omit<
  PluginContext,
  'onHidden' | 'onRouteChange' | 'onCaptureError' | 'onConsent'
>
const hostWith = (debug = vi.fn()) => ({
  debug,
  host: createPluginHost(createGuard(debug), debug, () => ['granted', {}]),
})

describe('createPluginHost', () => {
  afterEach(resetPage)

  it('sets up two plugins of the same name once, the first given, and says so in debug', () => {
    const { debug, host } = hostWith()
    const setups: string[] = []
    const plugin = (name: string, label: string): Plugin => ({ name, setup: () => void setups.push(label) })
    host.start([plugin('clicks', 'first'), plugin('forms', 'forms'), plugin('clicks', 'second')], context)
    expect(setups).toEqual(['first', 'forms'])
    expect(debug).toHaveBeenCalledWith('plugin-duplicate', 'clicks')
  })

  it('offers captureError to every handler in order until one handles it', () => {
    const { host } = hostWith()
    const seen: string[] = []
    host.start(
      [
        {
          name: 'a',
          setup(ctx) {
            ctx.onCaptureError((error) => (seen.push('a:' + String(error)), error === 'for-a'))
            ctx.onCaptureError((error) => (seen.push('b:' + String(error)), error === 'for-b'))
          },
        },
      ],
      context,
    )
    expect(host.captureError('for-b')).toBe(true)
    expect(host.captureError('for-a')).toBe(true)
    expect(host.captureError('nobody')).toBe(false)
    expect(seen).toEqual(['a:for-b', 'b:for-b', 'a:for-a', 'a:nobody', 'b:nobody'])
  })

  it('passes an error on to the next handler when one throws', () => {
    const { debug, host } = hostWith()
    host.start(
      [
        {
          name: 'a',
          setup(ctx) {
            ctx.onCaptureError(() => {
              throw new Error('broken handler')
            })
            ctx.onCaptureError(() => true)
          },
        },
      ],
      context,
    )
    expect(host.captureError(new Error('x'))).toBe(true)
    expect(debug.mock.calls.map(([code]) => code)).toEqual(['capture-error-failed'])
  })

  it('runs teardowns last started first, once', () => {
    const { host } = hostWith()
    const order: string[] = []
    const plugin = (name: string): Plugin => ({ name, setup: () => () => void order.push(name) })
    host.start([plugin('a'), plugin('b')], context)
    host.stop()
    host.stop()
    expect(order).toEqual(['b', 'a'])
  })

  it('keeps one plugin whose setup throws from stopping the next', () => {
    const debug = vi.fn()
    const host = createPluginHost(createGuard(createDebug(false)), debug, () => ['granted', {}])
    const started: string[] = []
    host.start(
      [
        {
          name: 'bad',
          setup: () => {
            throw new Error('boom')
          },
        },
        { name: 'good', setup: () => void started.push('good') },
      ],
      context,
    )
    expect(started).toEqual(['good'])
    expect(debug).toHaveBeenCalledWith('plugin-setup-failed', 'bad: Error: boom')
  })
})

describe('tracker with several captureError handlers', () => {
  afterEach(resetPage)

  it('lets two plugins each handle the errors meant for them, and the core the rest', async () => {
    const handledBy: string[] = []
    const handler = (name: string, kind: string): Plugin => ({
      name,
      setup: (ctx) =>
        ctx.onCaptureError((error) => error instanceof Error && error.message === kind && (handledBy.push(name), true)),
    })
    const { tracker, events } = startTracker({ plugins: [handler('one', 'first'), handler('two', 'second')] })
    tracker.captureError(new Error('second'))
    tracker.captureError(new Error('first'))
    tracker.captureError(new Error('neither'))
    await tracker.flush()
    expect(handledBy).toEqual(['two', 'one'])
    expect(events('error').map((event) => (event as { message: string }).message)).toEqual(['neither'])
  })
})
