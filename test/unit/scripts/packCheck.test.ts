// @vitest-environment node
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkPack, referencedFiles } from '../../../scripts/packCheck.mjs'

const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as Record<
  string,
  unknown
>
const complete = [
  'package.json',
  'README.md',
  'CHANGELOG.md',
  'LICENSE',
  'dist/frictionlog.global.js',
  'dist/frictionlog.replay.js',
  ...referencedFiles(pkg),
]

describe('checkPack (the npm pack --dry-run assertion)', () => {
  it('lists every exports target, the bin and main/module/types as required', () => {
    const files = referencedFiles(pkg)
    for (const file of [
      'dist/index.js',
      'dist/index.cjs',
      'dist/index.d.ts',
      'dist/cli/bin.js',
      'dist/report/index.d.ts',
      'dist/replay/index.cjs',
    ]) {
      expect(files).toContain(file)
    }
  })

  it('accepts the complete list and this package.json', () => {
    expect(checkPack(complete, pkg)).toEqual([])
  })

  it.each([['LICENSE'], ['dist/frictionlog.global.js'], ['dist/collector/index.d.ts'], ['dist/cli/bin.js']])(
    'reports %s missing',
    (file) => {
      expect(
        checkPack(
          complete.filter((f) => f !== file),
          pkg,
        ),
      ).toEqual([`missing: ${file}`])
    },
  )

  it.each([
    ['src/index.ts'],
    ['test/unit/global.test.ts'],
    ['.frictionlog/events-2026-01-01.ndjson'],
    ['frictionlog-0.1.0.tgz'],
    ['examples/checkout/index.html'],
    ['.env'],
    ['dist/.env.local'],
  ])('reports %s as a file that must not ship', (file) => {
    expect(checkPack([...complete, file], pkg)).toEqual([`must not ship: ${file}`])
  })

  it('requires the metadata a provenance publish needs', () => {
    const { repository: _r, publishConfig: _p, ...bare } = pkg
    expect(checkPack(complete, bare)).toEqual([
      'package.json lacks "repository"',
      'package.json lacks publishConfig.provenance',
    ])
  })
})
