// @vitest-environment node
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const ROOT = new URL('../../../', import.meta.url).pathname
const TREES = ['src', 'scripts', 'bench', 'docs']
// Listed as folders only: page fixtures and scratch output.
const FOLDERS_ONLY = ['bench/pages', 'bench/.tmp']

const walk = (dir: string): string[] =>
  readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = dir + '/' + entry.name
    if (FOLDERS_ONLY.includes(path)) return entry.name === '.tmp' ? [] : [path + '/']
    return entry.isDirectory() ? [path + '/', ...walk(path)] : [path]
  })

/** Paths named by ARCHITECTURE.md's code map: folders by indentation, files on their folder's lines. */
const mapped = (): string[] => {
  const text = readFileSync(join(ROOT, 'ARCHITECTURE.md'), 'utf8')
  const section = text.slice(text.indexOf('## Code map'))
  const block = section.slice(section.indexOf('```\n') + 4, section.indexOf('\n```', section.indexOf('```\n') + 4))
  const stack: string[] = []
  const paths: string[] = []
  for (const line of block.split('\n')) {
    const depth = (line.length - line.trimStart().length) / 2
    const tokens = line.trim().split(/[\s,]+/)
    let folder = stack.slice(0, depth).join('/')
    if (tokens[0].endsWith('/') && !tokens[0].slice(0, -1).includes('/')) {
      stack.length = depth
      stack.push(tokens[0].slice(0, -1))
      folder = stack.join('/')
      paths.push(folder + '/')
      tokens.shift()
    }
    for (const token of tokens) if (/^[\w.-]+\.(ts|mts|mjs|md|json|css)$/.test(token)) paths.push(folder + '/' + token)
  }
  return paths.filter((path) => TREES.some((tree) => path.startsWith(tree + '/')))
}

describe('ARCHITECTURE.md code map', () => {
  it('lists every folder and file of src/, scripts/, bench/ and docs/, and nothing that does not exist', () => {
    const onDisk = TREES.flatMap((tree) => [tree + '/', ...walk(tree)]).sort()
    expect([...new Set(mapped())].sort()).toEqual(onDisk)
  })
})
