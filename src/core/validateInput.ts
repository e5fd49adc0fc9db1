import type { Debug } from '../lib/debug'
import { MAX_NAME_LENGTH } from '../schema/events/limits'

/** True for `{…}` objects (not null, not arrays). */
export const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** Checks of what the host app passes to the tracker's API. */
export interface InputValidator {
  /** A non-empty string of at most `maxLength` characters (the wire limit of names by default). */
  name(value: unknown, code: string, maxLength?: number): value is string
  /** Undefined or a plain object. */
  props(value: unknown, code: string): value is Record<string, unknown> | undefined
  /** Drops the value: counted as `invalid` in sdk_health and explained when debug is on. */
  reject(code: string, value: unknown): false
}

/** Bad input from the host app is dropped alone, counted, and explained when debug is on. */
export const createInputValidator = (countInvalid: () => void, debug: Debug): InputValidator => {
  const reject = (code: string, value: unknown): false => {
    countInvalid()
    debug(code, value)
    return false
  }
  return {
    name: (value, code, maxLength = MAX_NAME_LENGTH): value is string =>
      (typeof value === 'string' && value.length > 0 && value.length <= maxLength) || reject(code, value),
    props: (value, code): value is Record<string, unknown> | undefined =>
      value === undefined || isPlainObject(value) || reject(code, value),
    reject,
  }
}
