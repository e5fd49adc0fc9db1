import { type z } from 'zod'

/** Custom event definitions: event name → zod schema of its `props`. */
export type EventDefinitions = Record<string, z.ZodType>

/**
 * The `Events` map for `createTracker<Events>()`, inferred from `defineEvents` definitions.
 * It uses each schema's input type: that is what `track()` must be given, and it differs from
 * the parsed output only for schemas with defaults or transforms.
 *
 * @example
 * import type { InferEvents } from 'frictionlog/schema'
 * import type { events } from './events'
 * const fl = createTracker<InferEvents<typeof events>>({ endpoint: '/e' })
 */
export type InferEvents<D extends EventDefinitions> = { [K in keyof D]: z.input<D[K]> }

/** Options of {@link validateTrackProps}. */
export interface ValidateTrackPropsOptions {
  /** Reject `track` events whose name has no definition. @default false */
  strict?: boolean
}

/** Result of {@link validateTrackProps}: `reason` is short and safe to log or count. */
export type TrackPropsResult = { ok: true } | { ok: false; reason: string }

const isZodSchema = (value: unknown): value is z.ZodType =>
  typeof value === 'object' &&
  value !== null &&
  '_zod' in value &&
  typeof (value as { safeParse?: unknown }).safeParse === 'function'

// Own keys only: a `track('constructor')` must not find Object.prototype.constructor.
const hasOwn = (object: object, key: string): boolean => Object.prototype.hasOwnProperty.call(object, key)

/**
 * Declares custom events once, with zod: the same object types `track()` in the browser
 * (through `import type` and {@link InferEvents}) and validates `track` props at the collector.
 * Returns `defs` unchanged; throws a TypeError if it is not an object of zod schemas.
 *
 * @example
 * export const events = defineEvents({
 *   signup: z.object({ plan: z.enum(['free', 'pro']) }),
 *   cta_click: z.object({ position: z.string() }),
 * })
 */
export const defineEvents = <const D extends EventDefinitions>(defs: D): D => {
  if (typeof defs !== 'object' || defs === null || Array.isArray(defs)) {
    throw new TypeError('defineEvents: expected an object of zod schemas')
  }
  for (const [name, schema] of Object.entries(defs)) {
    if (!isZodSchema(schema)) throw new TypeError(`defineEvents: "${name}" is not a zod schema`)
  }
  return defs
}

/**
 * Checks a `track` event's `props` against the definition of its `name`. Names without a
 * definition pass unless `strict` is set, so a site can adopt definitions one event at a time.
 *
 * @example
 * const result = validateTrackProps(events, event.name, event.props, { strict: true })
 * if (!result.ok) reject(result.reason) // 'props.plan: Invalid option: expected one of "free"|"pro"'
 */
export const validateTrackProps = (
  defs: EventDefinitions,
  name: string,
  props: unknown,
  options: ValidateTrackPropsOptions = {},
): TrackPropsResult => {
  if (!hasOwn(defs, name)) {
    return options.strict ? { ok: false, reason: `unknown event name "${name}"` } : { ok: true }
  }
  const result = defs[name].safeParse(props)
  if (result.success) return { ok: true }
  const reason = result.error.issues
    .map((issue) => `${['props', ...issue.path.map(String)].join('.')}: ${issue.message}`)
    .join('; ')
  return { ok: false, reason }
}
