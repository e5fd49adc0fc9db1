// The generated part of docs/wire-format.md: one table per event type (and for the batch and
// the envelope), rendered from the zod schemas through their JSON Schema, so the document
// cannot drift from what the collector validates. test/unit/docs/wireFormat.test.ts fails when
// the file and the schemas disagree.
// Usage: node scripts/wireFormatDoc.mjs [--check]   (reads dist/schema: run `npm run build` first)
import { readFileSync, writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { parseArgs } from 'node:util'
import { z as zod } from 'zod'

export const START = '<!-- generated from src/schema by scripts/wireFormatDoc.mjs: do not edit by hand -->'
export const END = '<!-- end of generated part -->'
const SAFE = Number.MAX_SAFE_INTEGER

const code = (value) => '`' + JSON.stringify(value) + '`'

const typeOf = (p) => {
  if (p.anyOf) return p.anyOf.map(typeOf).join(' or ')
  if (Array.isArray(p.type)) return p.type.join(' or ')
  if (p.const !== undefined) return code(p.const)
  if (p.enum) return p.enum.map(code).join(', ')
  if (p.type === 'array') return `array of ${p.items ? typeOf(p.items) : 'any'}`
  if (p.type === 'object' && !p.properties)
    return p.additionalProperties ? `record of ${typeOf(p.additionalProperties)}` : 'object'
  return p.type ?? 'any'
}

const limitsOf = (p) => {
  const parts = []
  const range = (min, max, unit) => {
    if (min !== undefined && max !== undefined) parts.push(`${min}–${max}${unit}`)
    else if (max !== undefined) parts.push(`≤ ${max}${unit}`)
    else if (min !== undefined) parts.push(`≥ ${min}${unit}`)
  }
  range(p.minLength, p.maxLength, ' chars')
  range(p.minItems, p.maxItems, ' items')
  const min = p.minimum === -SAFE ? undefined : p.minimum
  const max = p.maximum === SAFE ? undefined : p.maximum
  if (p.exclusiveMinimum !== undefined) parts.push(`> ${p.exclusiveMinimum}`)
  range(min, max, '')
  if (p.items && !p.items.properties) parts.push(...limitsOf(p.items).map((limit) => 'each ' + limit))
  if (p.anyOf) p.anyOf.forEach((branch) => parts.push(...limitsOf(branch)))
  if (p.type === 'object' && !p.properties && typeof p.additionalProperties === 'object')
    parts.push(...limitsOf(p.additionalProperties).map((limit) => 'each ' + limit))
  return parts
}

/** Rows `[field, type, required, limits]`, nested objects flattened as `a.b` and arrays of objects as `a[].b`. */
const rowsOf = (schema, prefix = '', skip = () => false) => {
  const rows = []
  const required = new Set(schema.required ?? [])
  for (const [key, p] of Object.entries(schema.properties ?? {})) {
    if (skip(key, p, required.has(key))) continue
    const name = prefix + key
    if (p.type === 'object' && p.properties) {
      rows.push([name, 'object', required.has(key) ? 'yes' : 'no', ''])
      rows.push(...rowsOf(p, name + '.'))
      if (typeof p.additionalProperties === 'object')
        rows.push([name + '.*', typeOf(p.additionalProperties), 'no', limitsOf(p.additionalProperties).join(', ')])
    } else if (p.type === 'array' && p.items?.properties) {
      rows.push([name, 'array of objects', required.has(key) ? 'yes' : 'no', limitsOf(p).join(', ')])
      rows.push(...rowsOf(p.items, name + '[].'))
    } else rows.push([name, typeOf(p), required.has(key) ? 'yes' : 'no', limitsOf(p).join(', ')])
  }
  return rows
}

const table = (rows) =>
  [
    '| field | type | required | limits |',
    '| --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.map((cell) => `${cell}`.replace(/\|/g, '\\|')).join(' | ')} |`),
  ].join('\n')

/**
 * Renders the generated part from the `frictionlog/schema` module (source or build).
 * @param {Record<string, any>} schema the module namespace
 */
export const renderWireFormatTables = (schema) => {
  const z = (zodSchema) => zod.toJSONSchema(zodSchema, { io: 'input', unrepresentable: 'any' })
  const envelope = z(schema.envelopeSchema)
  const envelopeRequired = new Set(envelope.required)
  // `type` is the heading; envelope fields are listed once, unless a type redefines one (identify's userId).
  const isEnvelope = (key, p, isRequired) =>
    key === 'type' ||
    (key in envelope.properties &&
      JSON.stringify(p) === JSON.stringify(envelope.properties[key]) &&
      isRequired === envelopeRequired.has(key))
  const batch = z(schema.batchEnvelopeSchema)
  const out = [
    START,
    '',
    '### Batch',
    '',
    table(rowsOf(batch).map((row) => (row[0] === 'events' ? [row[0], 'array of events', row[2], row[3]] : row))),
    '',
    '### Envelope (every event)',
    '',
    table(rowsOf(envelope)),
    '',
  ]
  for (const type of schema.EVENT_TYPES) {
    out.push(`### \`${type}\``, '')
    const rows = rowsOf(z(schema.eventSchemas[type]), '', isEnvelope)
    out.push(rows.length ? table(rows) : 'No fields beyond the envelope.', '')
  }
  out.push(END)
  return out.join('\n')
}

/** The generated part of a document, or undefined when its markers are missing. */
export const generatedPart = (text) => {
  const start = text.indexOf(START)
  const end = text.indexOf(END)
  return start >= 0 && end > start ? text.slice(start, end + END.length) : undefined
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { check: { type: 'boolean', default: false } } })
  const schema = await import('../dist/schema/index.js')
  const path = fileURLToPath(new URL('../docs/wire-format.md', import.meta.url))
  const text = readFileSync(path, 'utf8')
  const current = generatedPart(text)
  const next = renderWireFormatTables(schema)
  if (values.check) {
    if (current !== next) {
      console.error('docs/wire-format.md is out of date: run `npm run build && node scripts/wireFormatDoc.mjs`')
      process.exit(1)
    }
  } else {
    writeFileSync(path, current ? text.replace(current, next) : `${text.trimEnd()}\n\n${next}\n`)
    console.log(path)
  }
}
