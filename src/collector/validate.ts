import { z } from 'zod'
import {
  eventSchemas,
  MAX_EVENT_CHARS,
  timestampIssue,
  validateTrackProps,
  type EventDefinitions,
  type EventType,
  type FrictionEvent,
} from '../schema/index'
import { compileCheck, INVALID, type Check } from './compileCheck'

/** The verdict on one raw event of a batch; `chars` estimates its stored JSON size. */
export type EventCheck = { ok: true; event: FrictionEvent; chars: number } | { ok: false; reason: string }

/**
 * Deepest nesting accepted inside one event. `props` and `traits` hold arbitrary JSON; without
 * a limit, a 1 MiB `[[[[…]]]]` passes validation and then overflows the stack of
 * `JSON.stringify` in the sink, which would answer 503 and make the client retry forever.
 */
export const MAX_EVENT_DEPTH = 32

/** Longest rejection reason: reasons embed client-sent paths and names. */
const MAX_REASON_LENGTH = 200

/**
 * The fast checks, compiled once from each type's JSON Schema as zod prints it; a type whose
 * schema cannot be compiled keeps zod alone (undefined here).
 */
let fastChecks: Map<string, Check | undefined> | undefined
const fastCheckOf = (type: EventType): Check | undefined => {
  fastChecks ??= new Map(
    Object.entries(eventSchemas).map(([name, schema]) => {
      try {
        return [name, compileCheck(z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>)]
      } catch {
        return [name, undefined]
      }
    }),
  )
  return fastChecks.get(type)
}

/** Options of {@link validateEvent}. */
export interface ValidateOptions {
  /** Custom event definitions: `track` props are checked against them by name. */
  definitions?: EventDefinitions
  /** The batch's `sentAt`: timestamps outside the window around it are refused (`invalid:<field>`). */
  sentAt?: number
  /** Skip the compiled check and use zod alone (for tests comparing the two). */
  zodOnly?: boolean
}

/**
 * Validates one raw event alone with its type's schema and, for `track` events, against the
 * custom event `definitions` if given. The reason says why, in a form fit for counting:
 * `not-an-object`, `unknown-type`, `too-deep`, `too-large`, `invalid:<path>`,
 * `invalid-props:<name>`. The compiled check accepts first; anything it refuses goes through
 * zod, whose first issue names the reason (and whose verdict wins if they ever disagree).
 */
export function validateEvent(raw: unknown, options: ValidateOptions = {}): EventCheck {
  if (!isRecord(raw)) return reject('not-an-object')
  const type = raw.type
  // hasOwn, so `constructor` or `__proto__` as a type name is unknown rather than a lookup.
  if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) return reject('unknown-type')
  const chars = measure(raw, 1)
  if (chars === TOO_DEEP) return reject('too-deep')
  if (chars > MAX_EVENT_CHARS) return reject('too-large')

  const fast = options.zodOnly ? undefined : fastCheckOf(type as EventType)
  let event = fast ? fast(raw) : INVALID
  if (event === INVALID) {
    const result = eventSchemas[type as EventType].safeParse(raw)
    if (!result.success) return reject(`invalid:${formatPath(result.error.issues[0]?.path ?? [])}`)
    event = result.data
  }
  const checked = event as FrictionEvent

  if (options.sentAt !== undefined) {
    const field = timestampIssue(checked as unknown as Record<string, unknown>, options.sentAt)
    if (field) return reject(`invalid:${field}`)
  }
  if (options.definitions && checked.type === 'track') {
    const check = validateTrackProps(options.definitions, checked.name, checked.props)
    if (!check.ok) return reject(`invalid-props:${checked.name}`)
  }
  return { ok: true, event: checked, chars }
}

function reject(reason: string): EventCheck {
  return { ok: false, reason: reason.slice(0, MAX_REASON_LENGTH) }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function formatPath(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(root)' : path.map(String).join('.')
}

const TOO_DEEP = -1

/**
 * Estimates the JSON size of a value in characters (strings and keys by length plus quotes,
 * numbers as 8, punctuation as 1) and checks its depth in the same walk. Recursive, but never
 * deeper than MAX_EVENT_DEPTH + 1 frames, so it cannot overflow the stack it protects.
 */
function measure(value: unknown, depth: number): number {
  if (typeof value === 'string') return value.length + 2
  if (typeof value !== 'object' || value === null) return 8
  if (depth > MAX_EVENT_DEPTH) return TOO_DEEP
  let chars = 2
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i += 1) {
      const size = measure(value[i], depth + 1)
      if (size === TOO_DEEP) return TOO_DEEP
      chars += size + 1
    }
    return chars
  }
  // Object.keys (own keys, from V8's enum cache) rather than for-in with a hasOwn per key.
  const keys = Object.keys(value)
  for (let i = 0; i < keys.length; i += 1) {
    const size = measure((value as Record<string, unknown>)[keys[i]], depth + 1)
    if (size === TOO_DEEP) return TOO_DEEP
    chars += keys[i].length + size + 4
  }
  return chars
}
