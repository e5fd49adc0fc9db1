import type { Consent, Plugin, Transport, TrackerOptions } from './types'

/** Defaults of every option but `endpoint` (README "Options"). */
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
  hashRouting: false,
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
  scrubUrl?: TrackerOptions['scrubUrl']
  transport?: Transport
  debug: boolean
  hashRouting: boolean
}

/** A number range [min, max], a list of allowed values, or a predicate with what it expects. */
type Rule = [number, number] | unknown[] | [(value: any) => boolean, string]

const BOOLEAN = [true, false]
const FUNCTION: Rule = [(value) => typeof value === 'function', 'a function']

// config key → rule. Kept as data: one loop validates them all and writes a message naming
// the option (the batch limits as `batch.<key>`) and what it expects.
const RULES: Record<string, Rule> = {
  site: [(value) => typeof value === 'string' && value.length <= 200, 'a string of at most 200 characters'],
  plugins: [
    (value) => Array.isArray(value) && value.every((p) => typeof p?.setup === 'function'),
    'an array of plugins',
  ],
  maxEvents: [1, 1000],
  maxBytes: [1024, 65_536],
  intervalMs: [0, 3_600_000],
  persist: BOOLEAN,
  storage: ['local', 'memory'],
  sessionTimeoutMin: [1, 1440],
  sampleRate: [0, 1],
  consent: ['granted', 'denied', 'pending'],
  respectPrivacySignals: BOOLEAN,
  beforeSend: FUNCTION,
  scrubUrl: FUNCTION,
  transport: FUNCTION,
  debug: BOOLEAN,
  hashRouting: BOOLEAN,
}
const BATCH_KEYS = ['maxEvents', 'maxBytes', 'intervalMs']

const check = (rule: Rule, value: unknown): string | undefined => {
  if (typeof rule[0] === 'function')
    return (rule[0] as (value: unknown) => boolean)(value) ? undefined : (rule[1] as string)
  if (typeof rule[0] === 'number') {
    const [min, max] = rule as [number, number]
    return typeof value === 'number' && value >= min && value <= max ? undefined : `a number from ${min} to ${max}`
  }
  const allowed = rule as unknown[]
  return allowed.includes(value) ? undefined : 'one of ' + allowed.map((item) => JSON.stringify(item)).join(', ')
}

/**
 * Applies defaults and validates. An invalid option is reported with its name and what it
 * expects, and its default is used; only a missing endpoint leaves the tracker inert.
 */
export const resolveConfig = (options: TrackerOptions): { config?: Config; errors: string[] } => {
  const given = (options ?? {}) as TrackerOptions
  if (typeof given.endpoint !== 'string' || !given.endpoint) {
    return { errors: ['option "endpoint" is required: the collector URL'] }
  }
  const errors: string[] = []
  const batch = given.batch ?? {}
  const values: Record<string, unknown> = { ...given }
  for (const key of BATCH_KEYS) values[key] = batch[key as keyof typeof batch]
  const config: Record<string, unknown> = { ...DEFAULTS, plugins: [], endpoint: given.endpoint }
  for (const key in RULES) {
    const value = values[key]
    if (value === undefined) continue
    const name = BATCH_KEYS.includes(key) ? 'batch.' + key : key
    const expected = check(RULES[key], value)
    if (expected) errors.push(`option "${name}" must be ${expected}, got ${JSON.stringify(value) ?? typeof value}`)
    else config[key] = value
  }
  return { config: config as unknown as Config, errors }
}
