import { eventSchemas, validateTrackProps, type EventDefinitions, type EventType, type FrictionEvent } from '../schema/index'

/** The verdict on one raw event of a batch. */
export type EventCheck = { ok: true; event: FrictionEvent } | { ok: false; reason: string }

/**
 * Deepest nesting accepted inside one event. `props` and `traits` hold arbitrary JSON; without
 * a limit, a 1 MiB `[[[[…]]]]` passes validation and then overflows the stack of
 * `JSON.stringify` in the sink, which would answer 503 and make the client retry forever.
 */
export const MAX_EVENT_DEPTH = 32

/** Longest rejection reason: reasons embed client-sent paths and names. */
const MAX_REASON_LENGTH = 200

/**
 * Validates one raw event alone with its type's schema and, for `track` events, against the
 * custom event `definitions` if given. The reason says why, in a form fit for counting:
 * `not-an-object`, `unknown-type`, `too-deep`, `invalid:<path>`, `invalid-props:<name>`.
 */
export function validateEvent(raw: unknown, definitions?: EventDefinitions): EventCheck {
  if (!isRecord(raw)) return reject('not-an-object')
  const type = raw.type
  // hasOwn, so `constructor` or `__proto__` as a type name is unknown rather than a lookup.
  if (typeof type !== 'string' || !Object.hasOwn(eventSchemas, type)) return reject('unknown-type')
  if (exceedsDepth(raw, MAX_EVENT_DEPTH)) return reject('too-deep')

  const result = eventSchemas[type as EventType].safeParse(raw)
  if (!result.success) return reject(`invalid:${formatPath(result.error.issues[0]?.path ?? [])}`)
  const event = result.data as FrictionEvent

  if (definitions && event.type === 'track') {
    const check = validateTrackProps(definitions, event.name, event.props)
    if (!check.ok) return reject(`invalid-props:${event.name}`)
  }
  return { ok: true, event }
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

/** Iterative, so the check itself cannot overflow the stack it protects. */
function exceedsDepth(root: unknown, maxDepth: number): boolean {
  const stack: Array<[unknown, number]> = [[root, 1]]
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!
    if (typeof value !== 'object' || value === null) continue
    if (depth > maxDepth) return true
    for (const child of Object.values(value)) stack.push([child, depth + 1])
  }
  return false
}
