// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import * as schema from '../../../src/schema'
import * as limits from '../../../src/schema/events/limits'
import { generatedPart, renderWireFormatTables } from '../../../scripts/wireFormatDoc.mjs'

const doc = readFileSync(new URL('../../../docs/wire-format.md', import.meta.url).pathname, 'utf8')

describe('docs/wire-format.md', () => {
  it('has the event tables the zod schemas give (regenerate: npm run build && node scripts/wireFormatDoc.mjs)', () => {
    expect(generatedPart(doc)).toBe(renderWireFormatTables(schema))
  })

  it('has a section for every event type and none other', () => {
    const headings = [...doc.matchAll(/^### `([a-z_]+)`$/gm)].map((match) => match[1])
    expect(headings).toEqual([...schema.EVENT_TYPES])
  })

  it('lists every wire limit with its value, and no limit the schema lacks', () => {
    const listed = Object.fromEntries(
      [...doc.matchAll(/^\| `([A-Z][A-Z_]+)` \| (\d+) \|/gm)].map((match) => [match[1], Number(match[2])]),
    )
    expect(listed).toEqual({ ...limits })
  })
})
