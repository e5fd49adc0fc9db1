import { describe, expect, it } from 'vitest'
import { DEFAULTS, resolveConfig } from '../../../src/core/config'
import type { TrackerOptions } from '../../../src/core/types'

describe('resolveConfig', () => {
  it('applies the SPEC defaults when only endpoint is given', () => {
    const { config, errors } = resolveConfig({ endpoint: '/e' })
    expect(errors).toEqual([])
    expect(config).toMatchObject({
      endpoint: '/e',
      plugins: [],
      maxEvents: 50,
      maxBytes: 16_384,
      intervalMs: 5000,
      persist: true,
      storage: 'local',
      sessionTimeoutMin: 30,
      sampleRate: 1,
      consent: 'granted',
      respectPrivacySignals: true,
      debug: false,
      hashRouting: false,
    })
    expect(config?.site).toBeUndefined()
  })

  it('keeps valid options', () => {
    const beforeSend = (e: any) => e
    const { config, errors } = resolveConfig({
      endpoint: '/e',
      site: 'landing',
      batch: { maxEvents: 10, maxBytes: 2048, intervalMs: 0 },
      persist: false,
      storage: 'memory',
      sessionTimeoutMin: 5,
      sampleRate: 0.5,
      consent: 'pending',
      respectPrivacySignals: false,
      beforeSend,
      debug: true,
    })
    expect(errors).toEqual([])
    expect(config).toMatchObject({
      site: 'landing',
      maxEvents: 10,
      maxBytes: 2048,
      intervalMs: 0,
      persist: false,
      storage: 'memory',
      sessionTimeoutMin: 5,
      sampleRate: 0.5,
      consent: 'pending',
      respectPrivacySignals: false,
      beforeSend,
      debug: true,
    })
  })

  it.each<[string, Partial<TrackerOptions>, string, unknown]>([
    ['site', { site: 42 as any }, 'site', undefined],
    ['site', { site: 'x'.repeat(201) }, 'site', undefined],
    ['plugins', { plugins: [{ name: 'x' }] as any }, 'plugins', []],
    ['plugins', { plugins: 'scroll' as any }, 'plugins', []],
    ['batch.maxEvents', { batch: { maxEvents: 0 } }, 'maxEvents', DEFAULTS.maxEvents],
    ['batch.maxBytes', { batch: { maxBytes: 100 } }, 'maxBytes', DEFAULTS.maxBytes],
    ['batch.maxBytes', { batch: { maxBytes: 1e9 } }, 'maxBytes', DEFAULTS.maxBytes],
    ['batch.intervalMs', { batch: { intervalMs: -1 } }, 'intervalMs', DEFAULTS.intervalMs],
    ['persist', { persist: 'yes' as any }, 'persist', true],
    ['storage', { storage: 'cookie' as any }, 'storage', 'local'],
    ['sessionTimeoutMin', { sessionTimeoutMin: 0 }, 'sessionTimeoutMin', 30],
    ['sampleRate', { sampleRate: 2 }, 'sampleRate', 1],
    ['sampleRate', { sampleRate: Number.NaN }, 'sampleRate', 1],
    ['consent', { consent: 'yes' as any }, 'consent', 'granted'],
    ['respectPrivacySignals', { respectPrivacySignals: 1 as any }, 'respectPrivacySignals', true],
    ['beforeSend', { beforeSend: 'no' as any }, 'beforeSend', undefined],
    ['scrubUrl', { scrubUrl: /token/ as any }, 'scrubUrl', undefined],
    ['transport', { transport: {} as any }, 'transport', undefined],
    ['debug', { debug: 'true' as any }, 'debug', false],
    ['hashRouting', { hashRouting: 'yes' as any }, 'hashRouting', false],
  ])('reports an invalid %s by name and falls back to its default', (name, options, key, fallback) => {
    const { config, errors } = resolveConfig({ endpoint: '/e', ...options })
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(`"${name}"`)
    expect(config?.[key as keyof typeof config]).toEqual(fallback)
  })

  it('reports every invalid option, not only the first', () => {
    expect(resolveConfig({ endpoint: '/e', sampleRate: -1, storage: 'x' as any }).errors).toHaveLength(2)
  })

  it.each([[{}], [{ endpoint: '' }], [{ endpoint: 42 }], [undefined], [null]])(
    'gives no config without an endpoint (%j)',
    (options) => {
      const { config, errors } = resolveConfig(options as any)
      expect(config).toBeUndefined()
      expect(errors[0]).toContain('"endpoint"')
    },
  )
})
