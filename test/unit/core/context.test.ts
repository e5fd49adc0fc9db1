import { afterEach, describe, expect, it, vi } from 'vitest'
import { completeContext, createContext, deviceTypeOf } from '../../../src/core/context'
import { scrubUrl } from '../../../src/lib/scrubUrl'
import type { SessionState } from '../../../src/core/session'

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
const IPAD = 'Mozilla/5.0 (iPad; CPU OS 16_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148'
const ANDROID_PHONE = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 Chrome/120 Mobile Safari/537.36'
const ANDROID_TABLET = 'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 Chrome/120 Safari/537.36'
const MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 Chrome/120 Safari/537.36'
const WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/120 Safari/537.36'

describe('deviceTypeOf', () => {
  afterEach(() => {
    delete (navigator as any).maxTouchPoints
  })

  it.each([
    [IPHONE, 390, 0, 'mobile'],
    [ANDROID_PHONE, 412, 0, 'mobile'],
    [IPAD, 820, 0, 'tablet'],
    [ANDROID_TABLET, 1280, 0, 'tablet'], // Android without "Mobile" is a tablet
    [MAC, 820, 5, 'tablet'], // iPadOS 13+ says Macintosh; touch points give it away
    [MAC, 1440, 0, 'desktop'],
    [WINDOWS, 1920, 0, 'desktop'],
    [WINDOWS, 500, 0, 'mobile'], // unknown agent with a narrow screen
    ['', 0, 0, 'desktop'], // no information at all
  ])('classifies %s (screen %i, touch %i) as %s', (userAgent, width, touchPoints, expected) => {
    Object.defineProperty(navigator, 'maxTouchPoints', { value: touchPoints, configurable: true })
    expect(deviceTypeOf(userAgent, width)).toBe(expected)
  })
})

describe('createContext', () => {
  const session = (): SessionState => ({
    id: 's',
    lastActivity: 0,
    isSampled: true,
    utm: { source: 'news' },
    experiments: { hero: 'B' },
    funnels: {},
  })

  it('builds the SPEC context with utm, experiments and sdk (viewport and timezone come in the deferred step)', () => {
    const context = createContext(scrubUrl)(session())
    expect(context).toMatchObject({
      userAgent: navigator.userAgent,
      screen: { w: screen.width, h: screen.height },
      utm: { source: 'news' },
      experiments: { hero: 'B' },
      sdk: { name: 'frictionlog', version: 'test' },
      referrer: '',
    })
    expect(['mobile', 'tablet', 'desktop']).toContain(context.deviceType)
  })

  it('copies experiments, so a later exposure does not rewrite an earlier event', () => {
    const live = session()
    const context = createContext(scrubUrl)(live)
    live.experiments.other = 'A'
    expect(context.experiments).toEqual({ hero: 'B' })
  })
})

describe('completeContext', () => {
  it('fills the timezone (from Intl without Temporal) and the viewport in the deferred step', () => {
    const event = { context: { timezone: '', viewport: { w: 0, h: 0 } } } as any
    completeContext(event)
    expect(event.context.timezone).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone)
    expect(event.context.timezone).not.toBe('')
    expect(event.context.viewport).toEqual({ w: innerWidth, h: innerHeight })
  })

  it("reads the timezone from Temporal where the browser has it, without loading Intl's locale data", async () => {
    vi.resetModules()
    ;(globalThis as any).Temporal = { Now: { timeZoneId: () => 'Pacific/Chatham' } }
    const intl = vi.spyOn(Intl, 'DateTimeFormat')
    try {
      const fresh = await import('../../../src/core/context')
      const event = { context: { timezone: '', viewport: { w: 0, h: 0 } } } as any
      fresh.completeContext(event)
      expect(event.context.timezone).toBe('Pacific/Chatham')
      expect(intl).not.toHaveBeenCalled()
    } finally {
      delete (globalThis as any).Temporal
      intl.mockRestore()
    }
  })
})
