/** Hesitation on one form field, as sent in `form_submit` and `form_abandon`: never a value. */
export interface FieldHesitation {
  field: string
  /** Total time the field had focus, including a focus still running at the report. */
  focusMs: number
  /** Times focus came back to the field after it left (focus count minus the first). */
  returns: number
  /** Runs of deletions: ten Backspace presses in a row are one correction. */
  corrections: number
}

/** Per-field focus time, returns and corrections of one form, fed by the forms plugin. */
export interface FieldHesitationLog {
  /** The field got focus at `at` (ms). A second focus without a blur in between is ignored. */
  focus(field: string, at: number): void
  /** The field lost focus at `at`. */
  blur(field: string, at: number): void
  /** The field's content changed; `isDeletion` for a deletion (InputEvent.inputType `delete…`). */
  input(field: string, isDeletion: boolean): void
  /** The hesitation of `fields`, in their order (fields never focused nor edited report zeros). */
  report(fields: readonly string[], at: number): FieldHesitation[]
}

// Fields followed per form: the events list at most 100 fields (schema MAX_FORM_FIELDS); a page
// generating thousands of inputs cannot grow the log beyond this.
const MAX_LOGGED_FIELDS = 100

// A tuple, not an object: property names survive minification, indexes cost one byte each.
// focusedAt is -1 while the field does not have focus.
type FieldStats = [focusMs: number, focuses: number, corrections: number, focusedAt: number, isDeleting: boolean]

/**
 * Pure bookkeeping of field hesitation (no DOM): time focused, returns to a field and
 * corrections, the signals of a field that makes visitors think twice (Zuko's and Hotjar's
 * form analytics report the same three). Field names come from the caller, already bounded.
 *
 * @example
 * const log = createFieldHesitationLog()
 * log.focus('email', 0); log.input('email', true); log.blur('email', 1500); log.focus('email', 4000)
 * log.report(['email'], 5000) // [{ field: 'email', focusMs: 2500, returns: 1, corrections: 1 }]
 */
export const createFieldHesitationLog = (): FieldHesitationLog => {
  const stats = new Map<string, FieldStats>()
  const statsOf = (field: string) => {
    let entry = stats.get(field)
    if (!entry) {
      entry = [0, 0, 0, -1, false]
      if (stats.size < MAX_LOGGED_FIELDS) stats.set(field, entry)
    }
    return entry
  }
  // Time of the running focus up to `at`, never negative (a clock set back).
  const running = (entry: FieldStats, at: number) => (entry[3] < 0 ? 0 : Math.max(0, at - entry[3]))
  return {
    focus(field, at) {
      const entry = statsOf(field)
      if (entry[3] < 0) {
        entry[1]++
        entry[3] = at
      }
    },
    blur(field, at) {
      const entry = statsOf(field)
      entry[0] += running(entry, at)
      entry[3] = -1
    },
    input(field, isDeletion) {
      const entry = statsOf(field)
      if (isDeletion && !entry[4]) entry[2]++
      entry[4] = isDeletion
    },
    report: (fields, at) =>
      fields.map((field) => {
        const entry = statsOf(field)
        const focusMs = Math.round(entry[0] + running(entry, at))
        return { field, focusMs, returns: Math.max(0, entry[1] - 1), corrections: entry[2] }
      }),
  }
}
