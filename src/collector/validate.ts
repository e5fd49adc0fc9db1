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
import { compileExactCheck, NOT_EXACT, type ExactCheck } from './exactCheck'
import { measure, TOO_DEEP } from './measure'

/** The verdict on one raw event of a batch; `chars` estimates its stored JSON size. */
export type EventCheck = { ok: true; event: FrictionEvent; chars: number } | { ok: false; reason: string }

/** Longest rejection reason: reasons embed client-sent paths and names. */
const MAX_REASON_LENGTH = 200

/** The two fast readings of one type's schema; either is undefined where it cannot be made. */
interface FastChecks {
  /** Generated: is the value valid with nothing to strip (the common case, straight-line code). */
  exact: ExactCheck | undefined
  /** Closures: the checked value, stripped as zod strips, or INVALID. */
  check: Check | undefined
}

/**
 * The fast checks, compiled once from each type's JSON Schema as zod prints it; a type whose
 * schema cannot be compiled keeps zod alone.
 */
let fastChecks: Map<string, FastChecks> | undefined
const fastChecksOf = (type: EventType): FastChecks => {
  fastChecks ??= new Map(
    Object.entries(eventSchemas).map(([name, schema]): [string, FastChecks] => {
      try {
        const json = z.toJSONSchema(schema, { io: 'input' }) as Record<string, unknown>
        // The generated check goes in front of the closures, never alone: a schema the closures
        // cannot read has something neither knows.
        const check = compileCheck(json)
        return [name, { exact: compileExactCheck(json), check }]
      } catch {
        return [name, { exact: undefined, check: undefined }]
      }
    }),
  )
  return fastChecks.get(type)!
}

/** Options of {@link validateEvent}. */
export interface ValidateOptions {
  /** Custom event definitions: `track` props are checked against them by name. */
  definitions?: EventDefinitions
  /** The batch's `sentAt`: timestamps outside the window around it are refused (`invalid:<field>`). */
  sentAt?: number
  /** Skip the fast checks and use zod alone (for tests comparing them). */
  zodOnly?: boolean
}

/**
 * Validates one raw event alone with its type's schema and, for `track` events, against the
 * custom event `definitions` if given. The reason says why, in a form fit for counting:
 * `not-an-object`, `unknown-type`, `too-deep`, `too-large`, `invalid:<path>`,
 * `invalid-props:<name>`. The generated exact check accepts first what needs no stripping, the
 * compiled check what does; anything they refuse goes through zod, whose first issue names the
 * reason (and whose verdict wins if they ever disagree).
 */
export function validateEvent(raw: unknown, options: ValidateOptions = {}): EventCheck {
  if (!isRecord(raw)) return reject('not-an-object')
  const type = raw.type
  // hasOwn, so `constructor` or `__proto__` as a type name is unknown rather than a lookup.
  if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) return reject('unknown-type')
  const fast = options.zodOnly ? undefined : fastChecksOf(type as EventType)
  // The common case in one walk: valid with nothing to strip, measured as it is checked.
  const exactChars = fast?.exact ? fast.exact(raw) : NOT_EXACT
  const chars = exactChars === NOT_EXACT ? measure(raw, 1) : exactChars
  if (chars === TOO_DEEP) return reject('too-deep')
  if (chars > MAX_EVENT_CHARS) return reject('too-large')

  let event: unknown = exactChars !== NOT_EXACT ? raw : fast?.check ? fast.check(raw) : INVALID
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
