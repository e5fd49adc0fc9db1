// `npm run test:pack` (part of `npm test`, after the build): asks npm which files the tarball
// of `npm publish` would hold (`npm pack --dry-run --json`, nothing written) and fails when one
// the package needs is missing (every `exports` target, `main`/`module`/`types`, the CLI, the
// script-tag files, README, CHANGELOG, LICENSE) or one it must not ship is in (sources, tests,
// examples, stored events, tarballs, env files). Prints the tarball's size on success.
import { execFileSync } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..')

/** Every file path a package.json field points at (exports conditions nest). */
export function referencedFiles(pkg) {
  const out = new Set()
  const walk = (value) => {
    if (typeof value === 'string') out.add(value.replace(/^\.\//, ''))
    else if (value && typeof value === 'object') for (const inner of Object.values(value)) walk(inner)
  }
  walk(pkg.exports)
  walk(pkg.bin)
  for (const field of ['main', 'module', 'types', 'unpkg']) walk(pkg[field])
  return [...out]
}

/** Files no tarball of this package may hold. */
export const FORBIDDEN = [
  /^src\//,
  /^test\//,
  /^examples\//,
  /^bench\//,
  /^scripts\//,
  /^\.ci\//,
  /^\.frictionlog/,
  /^node_modules\//,
  /\.tgz$/,
  /(^|\/)\.env/,
  /(^|\/)\.npmrc$/,
  /^tsconfig/,
  /^vitest\./,
  /^tsup\./,
  /^eslint\./,
]

/** Checks a list of tarball paths against package.json; returns the problems, empty if none. */
export function checkPack(paths, pkg) {
  const files = new Set(paths)
  const problems = []
  const required = new Set([
    'package.json',
    'README.md',
    'CHANGELOG.md',
    'LICENSE',
    'dist/frictionlog.global.js',
    'dist/frictionlog.replay.js',
    ...referencedFiles(pkg),
  ])
  for (const file of required) if (!files.has(file)) problems.push(`missing: ${file}`)
  for (const file of files) if (FORBIDDEN.some((pattern) => pattern.test(file))) problems.push(`must not ship: ${file}`)
  if (pkg.private) problems.push('package.json has "private": true')
  for (const field of ['repository', 'homepage', 'bugs', 'license'])
    if (!pkg[field]) problems.push(`package.json lacks "${field}"`)
  if (!pkg.publishConfig?.provenance) problems.push('package.json lacks publishConfig.provenance')
  return problems
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
  const output = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
  const [pack] = JSON.parse(output)
  const problems = checkPack(
    pack.files.map((f) => f.path),
    pkg,
  )
  if (problems.length > 0) {
    console.error(`npm pack --dry-run: the tarball is not what the package needs:\n  ${problems.join('\n  ')}`)
    console.error('(run `npm run build` first: dist/ is built, not committed)')
    process.exit(1)
  }
  console.log(
    `npm pack --dry-run: ${pack.filename}, ${pack.entryCount} files, ${(pack.size / 1024).toFixed(0)} KiB packed, ` +
      `${(pack.unpackedSize / 1024).toFixed(0)} KiB unpacked: every required file present, nothing forbidden`,
  )
}
