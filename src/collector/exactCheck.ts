import { allowedValues, typesOf, type JsonSchema } from './jsonSchema'
import { MAX_EVENT_DEPTH, measure } from './measure'

/**
 * A generated check: the value's size as `measure` estimates it when the value is valid and the
 * compiled check would return it with nothing stripped anywhere inside (so the value itself is
 * the checked event), else {@link NOT_EXACT}.
 */
export type ExactCheck = (value: unknown) => number

/** What an {@link ExactCheck} returns for anything but a valid value with nothing to strip. */
export const NOT_EXACT = -1

/**
 * Generates, from the JSON Schema zod prints for one event type, the source of an
 * {@link ExactCheck}: one function per object or array of the schema, every string, number and
 * enum test written inline, so V8 runs straight-line code instead of a closure call per field
 * (the compiled check's shape, which costs about as much as zod), and the size estimate summed
 * in the same walk instead of a second one. It only ever accepts or declines: a decline sends
 * the value on to `measure`, the compiled check, then zod, so where this is stricter than zod
 * (an own key holding `undefined`, an object with another prototype, a union it cannot read,
 * free JSON nested too deep) the value just takes the slower road, and zod has the last word.
 *
 * Returns undefined where code cannot be generated at run time (a CSP or an edge runtime that
 * forbids `new Function`) or for a schema it does not know, and the caller keeps the compiled
 * check alone. The source is built only from zod's output for our own schemas: property names
 * are written with JSON.stringify, bounds must be finite numbers, and enum sets are passed in.
 */
export function compileExactCheck(schema: JsonSchema): ExactCheck | undefined {
  try {
    const generator = createGenerator()
    const root = generator.functionOf(schema, 1)
    const locals = generator.sets.map((_, i) => `const s${i} = sets[${i}];`).join('\n')
    const source = `'use strict';\n${locals}\n${generator.functions.join('\n')}\nreturn ${root};`
    // Our schemas only, see above.
    const make = new Function('sets', 'OBJECT', 'measure', source) as (...args: unknown[]) => ExactCheck
    return make(generator.sets, Object.prototype, measure)
  } catch {
    return undefined
  }
}

/** The parts of the generated source: its functions, and the sets its enum tests read. */
function createGenerator() {
  const functions: string[] = []
  const sets: Array<Set<unknown>> = []

  const setOf = (values: unknown[]): string => {
    sets.push(new Set(values))
    return `s${sets.length - 1}`
  }
  const literal = (value: unknown): string => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error('exactCheck: bound is not a number')
    return String(value)
  }

  /**
   * Statements that check the variable `name` (a value at `depth`, the event being 1): they
   * `return -1` from the function they are in when it is not exact, else set `t` to its size.
   */
  const sizeOf = (schema: JsonSchema, name: string, depth: number): string => {
    const types = typesOf(schema)
    if (Array.isArray(schema.anyOf)) return union(schema.anyOf as JsonSchema[], name, depth)
    // Free JSON (`props`, `traits`): measured, which also refuses what is nested too deep.
    if (types.length === 0) return `t = measure(${name}, ${depth}); if (t < 0) return -1`
    if (types.length > 1) {
      return union(
        types.map((one) => ({ ...schema, type: one })),
        name,
        depth,
      )
    }
    const [type] = types
    if (type === 'array' || type === 'object') return `t = ${functionOf(schema, depth)}(${name}); if (t < 0) return -1`
    const tests = [typeTest(type, schema, name)]
    const allowed = allowedValues(schema)
    if (allowed) tests.push(`${setOf(allowed)}.has(${name})`)
    return `if (!(${tests.join(' && ')})) return -1; t = ${type === 'string' ? `${name}.length + 2` : '8'}`
  }

  // zod's union keeps the first option that parses, stripped as that option strips: an
  // alternative that could strip (an object inside) would make "first yes" differ, so only
  // unions of values that are never rebuilt are generated. Each option is a function of its own.
  const union = (options: JsonSchema[], name: string, depth: number): string => {
    if (options.some(mayStrip)) throw new Error('exactCheck: union of objects')
    const [first, ...rest] = options.map((option) => functionOf(option, depth))
    return [`t = ${first}(${name})`, ...rest.map((f) => `if (t < 0) t = ${f}(${name})`), 'if (t < 0) return -1'].join(
      '; ',
    )
  }

  const typeTest = (type: string, schema: JsonSchema, name: string): string => {
    const bounds = (keyword: string, operator: string, subject = name) =>
      schema[keyword] === undefined ? [] : [`${subject} ${operator} ${literal(schema[keyword])}`]
    switch (type) {
      case 'string':
        return [
          `typeof ${name} === 'string'`,
          ...bounds('minLength', '>=', `${name}.length`),
          ...bounds('maxLength', '<=', `${name}.length`),
        ].join(' && ')
      case 'number':
      case 'integer':
        return [
          type === 'integer' ? `Number.isSafeInteger(${name})` : `Number.isFinite(${name})`,
          ...bounds('minimum', '>='),
          ...bounds('maximum', '<='),
          ...bounds('exclusiveMinimum', '>'),
          ...bounds('exclusiveMaximum', '<'),
        ].join(' && ')
      case 'boolean':
        return `typeof ${name} === 'boolean'`
      case 'null':
        return `${name} === null`
      default:
        throw new Error(`exactCheck: unsupported type "${type}"`)
    }
  }

  /** Generates the function checking a value of `schema` at `depth`, and returns its name. */
  const functionOf = (schema: JsonSchema, depth: number): string => {
    typesOf(schema) // throws on a keyword neither check reads
    if (depth > MAX_EVENT_DEPTH) throw new Error('exactCheck: schema nested too deep')
    const index = functions.push('') - 1
    const body =
      schema.type === 'array'
        ? arrayBody(schema, depth)
        : schema.type === 'object'
          ? objectBody(schema, depth)
          : `let t\n${sizeOf(schema, 'v', depth)}\nreturn t`
    functions[index] = `function f${index}(v) {\n${body}\n}`
    return `f${index}`
  }

  const arrayBody = (schema: JsonSchema, depth: number): string => {
    const limits = [
      ...(schema.minItems === undefined ? [] : [` || v.length < ${literal(schema.minItems)}`]),
      ...(schema.maxItems === undefined ? [] : [` || v.length > ${literal(schema.maxItems)}`]),
    ]
    const items = (schema.items ?? {}) as JsonSchema
    return [
      `if (!Array.isArray(v)${limits.join('')}) return -1`,
      'let n = 2, t',
      `for (let i = 0; i < v.length; i++) { const x = v[i]; ${sizeOf(items, 'x', depth + 1)}; n += t + 1 }`,
      'return n',
    ].join('\n')
  }

  const objectBody = (schema: JsonSchema, depth: number): string => {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>
    const required = new Set((schema.required as string[] | undefined) ?? [])
    const lines = [
      `if (typeof v !== 'object' || v === null || Array.isArray(v)) return -1`,
      // Plain objects only, as JSON.parse makes them: inherited keys and getters are zod's to judge.
      `const p = Object.getPrototypeOf(v); if (p !== OBJECT && p !== null) return -1`,
      'let kept = 0, n = 2, x, t',
    ]
    for (const [key, child] of Object.entries(properties)) {
      const read = JSON.stringify(key)
      // Absent, as zod reads it: missing, or `undefined` (which the compiled check would strip).
      const absent = key in Object.prototype ? `x === undefined || !Object.hasOwn(v, ${read})` : 'x === undefined'
      lines.push(
        `x = v[${read}]`,
        `if (${absent}) { ${required.has(key) ? 'return -1' : ''} }`,
        `else { ${sizeOf(child, 'x', depth + 1)}; n += ${key.length + 4} + t; kept++ }`,
      )
    }
    const extra = schema.additionalProperties
    const keys = schema.propertyNames as JsonSchema | undefined
    if ((extra === undefined || extra === false) && keys === undefined) {
      lines.push('return kept === Object.keys(v).length ? n : -1')
      return lines.join('\n')
    }
    const declared = Object.keys(properties)
    const value = extra === undefined || extra === false || extra === true ? {} : (extra as JsonSchema)
    lines.push(
      'const keys = Object.keys(v)',
      'for (let i = 0; i < keys.length; i++) {',
      '  const k = keys[i]',
      ...(declared.length > 0 ? [`  if (${setOf(declared)}.has(k)) continue`] : []),
      // A `__proto__` key is dropped by zod's records (and the compiled check): not exact.
      `  if (k === '__proto__') return -1`,
      ...(keys ? [`  ${sizeOf(keys, 'k', depth + 1)}`] : []),
      `  x = v[k]; ${sizeOf(value, 'x', depth + 1)}; n += k.length + 4 + t; kept++`,
      '}',
      'return kept === keys.length ? n : -1',
    )
    return lines.join('\n')
  }

  return { functions, sets, functionOf }
}

/** Whether the compiled check could return a value of this schema with something stripped. */
function mayStrip(schema: JsonSchema): boolean {
  const type = schema.type
  const types = Array.isArray(type) ? type : [type]
  if (types.includes('object')) return true
  // An array is only rebuilt when an item is (replay's `events` hold any JSON: `items: {}`).
  if (types.includes('array') && schema.items !== undefined && mayStrip(schema.items as JsonSchema)) return true
  return Array.isArray(schema.anyOf) && (schema.anyOf as JsonSchema[]).some(mayStrip)
}
