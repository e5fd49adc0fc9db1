// @vitest-environment node
import { createRequire } from 'node:module'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const dist = (file: string) => fileURLToPath(new URL('../../dist/' + file, import.meta.url))
const require = createRequire(import.meta.url)

describe('built entries in Node (SSR)', () => {
  it('has no window or document here', () => {
    expect(typeof (globalThis as any).window).toBe('undefined')
    expect(typeof (globalThis as any).document).toBe('undefined')
  })

  it.each(['index', 'schema/index', 'collector/index', 'report/index'])(
    'imports the ESM build of %s without throwing',
    async (entry) => {
      expect(existsSync(dist(entry + '.js'))).toBe(true)
      const module = await import(dist(entry + '.js'))
      expect(Object.keys(module).length).toBeGreaterThan(0)
    },
  )

  it.each(['index', 'schema/index', 'collector/index', 'report/index'])(
    'requires the CJS build of %s without throwing',
    (entry) => {
      const module = require(dist(entry + '.cjs'))
      expect(Object.keys(module).length).toBeGreaterThan(0)
    },
  )

  it.each(['js', 'cjs'])('gives an inert tracker from the %s build, whose methods do not throw', async (ext) => {
    const { createTracker } = ext === 'js' ? await import(dist('index.js')) : require(dist('index.cjs'))
    const fl = createTracker({ endpoint: '/e' })
    expect(() => {
      fl.track('signup', { plan: 'pro' })
      fl.page()
      fl.identify('u1')
      fl.funnel('checkout', ['cart']).step('cart')
      fl.experiment('hero', 'B')
      fl.feedback('q', 'a')
      fl.consent('denied')
      fl.captureError(new Error('x'))
      fl.shutdown()
    }).not.toThrow()
    await expect(fl.flush()).resolves.toBeUndefined()
  })

  it('exports the schema from the schema build', async () => {
    const schema = await import(dist('schema/index.js'))
    expect(typeof schema.eventSchema.safeParse).toBe('function')
  })
})
