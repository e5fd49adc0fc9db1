/** A JSON Schema node as `z.toJSONSchema` prints it. */
export type JsonSchema = Record<string, unknown>

/** The JSON Schema keywords zod emits for the wire format; any other makes a compile throw. */
const KNOWN_KEYWORDS = new Set([
  '$schema',
  'type',
  'properties',
  'required',
  'additionalProperties',
  'propertyNames',
  'items',
  'minItems',
  'maxItems',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'exclusiveMinimum',
  'exclusiveMaximum',
  'enum',
  'const',
  'anyOf',
  'description',
])

/**
 * The types a schema node allows (none: any JSON), after checking it only uses keywords both
 * fast checks (compileCheck.ts, exactCheck.ts) read. Throws on an unknown keyword (a future
 * refinement, a `$ref`) or constraints without a type, so the caller keeps zod for that event
 * type instead of checking less than zod would.
 */
export function typesOf(schema: JsonSchema): string[] {
  for (const key of Object.keys(schema)) {
    if (!KNOWN_KEYWORDS.has(key)) throw new Error(`unsupported JSON Schema keyword "${key}"`)
  }
  const type = schema.type as string | string[] | undefined
  if (type !== undefined) return Array.isArray(type) ? type : [type]
  if (Object.keys(schema).some((key) => key !== '$schema' && key !== 'description' && key !== 'anyOf')) {
    throw new Error('JSON Schema constraints without a type')
  }
  return []
}

/** The values a node is limited to by `const` or `enum`, or undefined. */
export function allowedValues(schema: JsonSchema): unknown[] | undefined {
  if ('const' in schema) return [schema.const]
  return Array.isArray(schema.enum) ? (schema.enum as unknown[]) : undefined
}
