// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const read = (path: string) => readFileSync(new URL('../../../' + path, import.meta.url).pathname, 'utf8')
const doc = read('docs/collector.md')

describe('docs/collector.md', () => {
  it('lists every option of createCollector, and no other', () => {
    const source = read('src/collector/collector.ts')
    const body = source.slice(
      source.indexOf('export interface CollectorOptions'),
      source.indexOf('\n}\n', source.indexOf('export interface CollectorOptions')),
    )
    const options = [...body.matchAll(/^ {2}([a-zA-Z]+)\?:/gm)].map((match) => match[1])
    const listed = [...doc.matchAll(/^\| `([a-zA-Z]+)` \|/gm)].map((match) => match[1])
    expect(listed).toEqual(options)
  })

  it('names every error code the collector answers with', () => {
    const source = ['src/collector/handle.ts', 'src/collector/body.ts'].map(read).join('\n')
    const codes = [
      ...new Set([...source.matchAll(/(?:error: |fail\(\d+, )'([a-z-]+)'/g)].map((match) => match[1])),
    ].sort()
    expect(codes.length).toBeGreaterThan(5)
    expect(codes.filter((code) => !doc.includes('`' + code + '`'))).toEqual([])
  })
})
