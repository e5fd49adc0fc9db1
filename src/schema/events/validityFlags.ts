// The ValidityState flags a `field_error` names as its reason, in the SPEC's order: the forms
// plugin reports the first true one, the schema accepts each. Like limits.ts this file imports
// nothing (no zod), so browser code may import it (ESLint allows exactly these two paths).
// https://developer.mozilla.org/en-US/docs/Web/API/ValidityState
export const VALIDITY_FLAGS = [
  'valueMissing',
  'typeMismatch',
  'patternMismatch',
  'tooShort',
  'tooLong',
  'rangeUnderflow',
  'rangeOverflow',
  'stepMismatch',
  'badInput',
  'customError',
] as const
