// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

describe('schema/events/limits.ts', () => {
  it('imports nothing, so browser code can share its values without pulling zod in', () => {
    const source = readFileSync(new URL('../../../src/schema/events/limits.ts', import.meta.url), 'utf8')
    expect(source.match(/^\s*import\b.*$/gm)).toBeNull()
  })
})
