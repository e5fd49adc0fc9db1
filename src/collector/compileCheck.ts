import { allowedValues, typesOf, type JsonSchema } from './jsonSchema'

/** What a compiled check returns for a value that does not match. */
export const INVALID: unique symbol = Symbol('invalid')

/** A compiled check: the value as the zod schema would output it (unknown keys stripped), or {@link INVALID}. */
export type Check = (value: unknown) => unknown

/**
 * Compiles the JSON Schema that `z.toJSONSchema(schema, { io: 'input' })` gives for one event
 * type into a check made of closures (no `eval`, so it runs where a CSP or an edge runtime
 * forbids it). zod stays the single source of the wire format: this is a faster reading of the
 * same schema, and the collector falls back to zod for every value this check refuses, so the
 * reasons stay zod's. It mirrors zod's semantics where JSON Schema is looser: numbers must be
 * finite, strings are measured in UTF-16 units, objects are plain (not arrays or null) and are
 * rebuilt with their declared keys only, as `z.object` strips the rest.
 *
 * Throws on a keyword it does not know (a future refinement, a `$ref`), so the caller can keep
 * zod for that type instead of checking less than zod would.
 */
export function compileCheck(schema: JsonSchema): Check {
  const types = typesOf(schema)
  if (Array.isArray(schema.anyOf)) return anyOf((schema.anyOf as JsonSchema[]).map(compileCheck))
  if (types.length === 0) return (value) => value
  const checks = types.map((type) => compileType(type, schema))
  return checks.length === 1 ? checks[0] : anyOf(checks)
}

function anyOf(checks: Check[]): Check {
  return (value) => {
    for (const check of checks) {
      const out = check(value)
      if (out !== INVALID) return out
    }
    return INVALID
  }
}

function compileType(type: string, schema: JsonSchema): Check {
  switch (type) {
    case 'string':
      return stringCheck(schema)
    case 'number':
    case 'integer':
      return numberCheck(schema, type === 'integer')
    case 'boolean':
      return (value) => (typeof value === 'boolean' ? value : INVALID)
    case 'null':
      return (value) => (value === null ? null : INVALID)
    case 'array':
      return arrayCheck(schema)
    case 'object':
      return objectCheck(schema)
    default:
      throw new Error(`compileCheck: unsupported type "${type}"`)
  }
}

function stringCheck(schema: JsonSchema): Check {
  const min = (schema.minLength as number | undefined) ?? 0
  const max = (schema.maxLength as number | undefined) ?? Infinity
  const allowed = setOf(allowedValues(schema))
  return (value) => {
    if (typeof value !== 'string' || value.length < min || value.length > max) return INVALID
    return allowed && !allowed.has(value) ? INVALID : value
  }
}

function numberCheck(schema: JsonSchema, isInteger: boolean): Check {
  const min = (schema.minimum as number | undefined) ?? -Infinity
  const max = (schema.maximum as number | undefined) ?? Infinity
  const exclusiveMin = (schema.exclusiveMinimum as number | undefined) ?? -Infinity
  const exclusiveMax = (schema.exclusiveMaximum as number | undefined) ?? Infinity
  const allowed = setOf(allowedValues(schema))
  return (value) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) return INVALID
    if (isInteger && !Number.isSafeInteger(value)) return INVALID
    if (value < min || value > max || value <= exclusiveMin || value >= exclusiveMax) return INVALID
    return allowed && !allowed.has(value) ? INVALID : value
  }
}

const setOf = (values: unknown[] | undefined) => (values ? new Set(values) : undefined)

function arrayCheck(schema: JsonSchema): Check {
  const min = (schema.minItems as number | undefined) ?? 0
  const max = (schema.maxItems as number | undefined) ?? Infinity
  const items = schema.items === undefined ? undefined : compileCheck(schema.items as JsonSchema)
  return (value) => {
    if (!Array.isArray(value) || value.length < min || value.length > max) return INVALID
    if (!items) return value.slice()
    // The input itself when no item changed (nothing stripped): no copy to allocate and collect.
    // Object.is, so a NaN in free JSON (`props`) is not taken for a change.
    let out: unknown[] | undefined
    for (let i = 0; i < value.length; i += 1) {
      const item = items(value[i])
      if (item === INVALID) return INVALID
      if (!Object.is(item, value[i])) {
        out ??= value.slice(0, i)
      }
      if (out) out[i] = item
    }
    return out ?? value
  }
}

function objectCheck(schema: JsonSchema): Check {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
  const names = Object.keys(properties)
  const checks = names.map((name) => compileCheck(properties[name]))
  const required = new Set((schema.required as string[] | undefined) ?? [])
  const isRequired = names.map((name) => required.has(name))
  const extra = schema.additionalProperties
  const extraCheck = extra === undefined || extra === false ? undefined : compileCheck(extra as JsonSchema)
  const keyCheck = schema.propertyNames === undefined ? undefined : compileCheck(schema.propertyNames as JsonSchema)
  const declared = new Set(names)
  // A name Object.prototype also has (`constructor`, `toString`…) is looked up with hasOwn; any
  // other reads as absent when `undefined`, so the common case costs one property read.
  const isInherited = names.map((name) => name in Object.prototype)
  const isAbsent = (input: Record<string, unknown>, i: number): boolean => {
    const item = input[names[i]]
    // As zod: an optional key holding `undefined` is absent (JSON cannot send one anyway). A
    // required one is then refused here, and zod, which the caller falls back to, decides.
    return item === undefined || (isInherited[i] && !Object.hasOwn(input, names[i]))
  }
  // Rebuilds the object with its declared (and pattern-allowed) keys: only reached when the
  // input has a key to strip or a child that was rebuilt, so valid events allocate nothing.
  const rebuild = (input: Record<string, unknown>): Record<string, unknown> => {
    const out: Record<string, unknown> = {}
    for (let i = 0; i < names.length; i += 1) {
      if (!isAbsent(input, i)) out[names[i]] = checks[i](input[names[i]])
    }
    if (extraCheck || keyCheck) {
      for (const key of Object.keys(input)) {
        if (declared.has(key) || key === '__proto__') continue
        out[key] = extraCheck ? extraCheck(input[key]) : input[key]
      }
    }
    return out
  }
  return (value) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return INVALID
    // Only plain objects (as JSON.parse makes): anything else, with its inherited keys and
    // getters, is left to zod.
    const prototype = Object.getPrototypeOf(value) as unknown
    if (prototype !== Object.prototype && prototype !== null) return INVALID
    const input = value as Record<string, unknown>
    // Whether the output differs from `input`: a child rebuilt, or a key dropped (counted below).
    let isChanged = false
    let kept = 0
    for (let i = 0; i < names.length; i += 1) {
      if (isAbsent(input, i)) {
        if (isRequired[i]) return INVALID
        continue
      }
      const value = input[names[i]]
      const item = checks[i](value)
      if (item === INVALID) return INVALID
      if (!Object.is(item, value)) isChanged = true
      kept += 1
    }
    if (extraCheck || keyCheck) {
      for (const key of Object.keys(input)) {
        // zod's records drop a `__proto__` key (its assignment sets the prototype): so do we.
        if (declared.has(key) || key === '__proto__') continue
        if (keyCheck && keyCheck(key) === INVALID) return INVALID
        const item = extraCheck ? extraCheck(input[key]) : input[key]
        if (item === INVALID) return INVALID
        if (!Object.is(item, input[key])) isChanged = true
        kept += 1
      }
    }
    // Unchanged and every own key kept: the input is the output, as checked (no unknown key).
    // Checks are pure, so the rebuild's second call of each gives the same (valid) result.
    return !isChanged && kept === countKeys(input) ? input : rebuild(input)
  }
}

/** Own enumerable keys; `Object.keys` reads V8's enum cache, cheaper than a for-in with hasOwn. */
function countKeys(object: Record<string, unknown>): number {
  return Object.keys(object).length
}
