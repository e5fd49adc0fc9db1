/**
 * Deepest nesting accepted inside one event. `props` and `traits` hold arbitrary JSON; without
 * a limit, a 1 MiB `[[[[…]]]]` passes validation and then overflows the stack of
 * `JSON.stringify` in the sink, which would answer 503 and make the client retry forever.
 */
export const MAX_EVENT_DEPTH = 32

/** What {@link measure} returns for a value nested deeper than MAX_EVENT_DEPTH. */
export const TOO_DEEP = -1

/**
 * Estimates the JSON size of a value in characters (strings and keys by length plus quotes,
 * numbers as 8, punctuation as 1) and checks its depth in the same walk; `depth` is the value's
 * own (an event is at 1). Recursive, but never deeper than MAX_EVENT_DEPTH + 1 frames, so it
 * cannot overflow the stack it protects. The generated exact check (exactCheck.ts) computes the
 * same estimate as it checks, and calls this for the free JSON inside an event.
 */
export function measure(value: unknown, depth: number): number {
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
