/** A debug logger: `debug(code, detail)`, silent unless the tracker's `debug` option is on. */
export type Debug = (code: string, detail?: unknown) => void

/** Creates the tracker's logger; codes are short kebab strings such as `invalid-event-name`. */
export const createDebug =
  (isEnabled: boolean): Debug =>
  (code, detail) => {
    if (isEnabled) console.warn('[frictionlog] ' + code, detail ?? '')
  }
