import type { Consent, Plugin, Transport, TrackerOptions } from './types'

/** Defaults of every option but `endpoint` (SPEC). */
export const DEFAULTS = {
  maxEvents: 50,
  maxBytes: 16_384,
  intervalMs: 5000,
  persist: true,
  storage: 'local' as 'local' | 'memory',
  sessionTimeoutMin: 30,
  sampleRate: 1,
  consent: 'granted' as Consent,
  respectPrivacySignals: true,
  debug: false,
}

/** Options after defaults and validation. */
export interface Config {
  endpoint: string
  site?: string
  plugins: Plugin[]
  maxEvents: number
  maxBytes: number
  intervalMs: number
  persist: boolean
  storage: 'local' | 'memory'
  sessionTimeoutMin: number
  sampleRate: number
  consent: Consent
  respectPrivacySignals: boolean
  beforeSend?: TrackerOptions['beforeSend']
  transport?: Transport
  debug: boolean
}

const isNumberIn = (min: number, max: number) => (value: unknown) =>
  typeof value === 'number' && value >= min && value <= max
const isOneOf = (...values: unknown[]) => (value: unknown) => values.includes(value)
const isBoolean = isOneOf(true, false)
const isFunction = (value: unknown) => typeof value === 'function'

// option → [check, what it expects]: the message names both, so a typo is found at once.
const CHECKS: Record<string, [(value: unknown) => boolean, string]> = {
  site: [(value) => typeof value === 'string' && value.length <= 200, 'a string of at most 200 characters'],
  plugins: [(value) => Array.isArray(value) && value.every((p) => p && typeof p.setup === 'function'), 'an array of plugins'],
  'batch.maxEvents': [isNumberIn(1, 1000), 'a number from 1 to 1000'],
  'batch.maxBytes': [isNumberIn(1024, 65_536), 'a number of bytes from 1024 to 65536'],
  'batch.intervalMs': [isNumberIn(0, 3_600_000), 'milliseconds from 0 to 3600000'],
  persist: [isBoolean, 'true or false'],
  storage: [isOneOf('local', 'memory'), "'local' or 'memory'"],
  sessionTimeoutMin: [isNumberIn(1, 1440), 'minutes from 1 to 1440'],
  sampleRate: [isNumberIn(0, 1), 'a number from 0 to 1'],
  consent: [isOneOf('granted', 'denied', 'pending'), "'granted', 'denied' or 'pending'"],
  respectPrivacySignals: [isBoolean, 'true or false'],
  beforeSend: [isFunction, 'a function'],
  transport: [isFunction, 'a function'],
  debug: [isBoolean, 'true or false'],
}

/**
 * Applies defaults and validates. An invalid option is reported with its name and what it
 * expects, and its default is used; only a missing endpoint leaves the tracker inert.
 */
export const resolveConfig = (options: TrackerOptions): { config?: Config; errors: string[] } => {
  const errors: string[] = []
  const given = (options ?? {}) as TrackerOptions
  const pick = <T>(name: string, value: unknown, fallback: T): T => {
    if (value === undefined) return fallback
    if (CHECKS[name][0](value)) return value as T
    errors.push(`option "${name}" must be ${CHECKS[name][1]}, got ${JSON.stringify(value) ?? typeof value}`)
    return fallback
  }
  const endpoint = given.endpoint
  if (typeof endpoint !== 'string' || !endpoint) {
    errors.push('option "endpoint" is required: the collector URL, e.g. "https://collect.example.com/e"')
    return { errors }
  }
  const batch = given.batch ?? {}
  const config: Config = {
    endpoint,
    site: pick('site', given.site, undefined),
    plugins: pick('plugins', given.plugins, []),
    maxEvents: pick('batch.maxEvents', batch.maxEvents, DEFAULTS.maxEvents),
    maxBytes: pick('batch.maxBytes', batch.maxBytes, DEFAULTS.maxBytes),
    intervalMs: pick('batch.intervalMs', batch.intervalMs, DEFAULTS.intervalMs),
    persist: pick('persist', given.persist, DEFAULTS.persist),
    storage: pick('storage', given.storage, DEFAULTS.storage),
    sessionTimeoutMin: pick('sessionTimeoutMin', given.sessionTimeoutMin, DEFAULTS.sessionTimeoutMin),
    sampleRate: pick('sampleRate', given.sampleRate, DEFAULTS.sampleRate),
    consent: pick('consent', given.consent, DEFAULTS.consent),
    respectPrivacySignals: pick('respectPrivacySignals', given.respectPrivacySignals, DEFAULTS.respectPrivacySignals),
    beforeSend: pick('beforeSend', given.beforeSend, undefined),
    transport: pick('transport', given.transport, undefined),
    debug: pick('debug', given.debug, DEFAULTS.debug),
  }
  return { config, errors }
}
