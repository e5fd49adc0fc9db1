// @vitest-environment node
// The built `.d.ts` files as a strict consumer project meets them (`skipLibCheck: false`): the
// package linked into a fresh project's node_modules together with every package `npm install
// frictionlog` would install beside it (the closure of `dependencies` in package-lock.json, as
// npm hoists them), so an `@types/*` package a dependency drags in is type-checked too, as
// TypeScript includes every node_modules/@types package by default. Run after `npm run build`.
import { execFileSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TSC = join(ROOT, 'node_modules/typescript/bin/tsc')
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'))
const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8'))

interface LockEntry {
  dependencies?: Record<string, string>
  peerDependencies?: Record<string, string>
  peerDependenciesMeta?: Record<string, { optional?: boolean }>
}

/** Names npm installs for `names`: their dependencies and required peers, transitively. */
function installClosure(names: string[]): Set<string> {
  const seen = new Set<string>()
  const visit = (name: string) => {
    if (seen.has(name)) return
    const entry = lock.packages[`node_modules/${name}`] as LockEntry | undefined
    if (!entry) return
    seen.add(name)
    const optional = entry.peerDependenciesMeta ?? {}
    const peers = Object.keys(entry.peerDependencies ?? {}).filter((peer) => !optional[peer]?.optional)
    for (const dep of [...Object.keys(entry.dependencies ?? {}), ...peers]) visit(dep)
  }
  for (const name of names) visit(name)
  return seen
}

/** What `npm install frictionlog` puts beside it: dependencies and non-optional peers, transitively. */
const requiredPeers = Object.keys(pkg.peerDependencies ?? {}).filter(
  (peer) => !pkg.peerDependenciesMeta?.[peer]?.optional,
)
const INSTALLED = installClosure([...Object.keys(pkg.dependencies ?? {}), ...requiredPeers])

const projects: string[] = []
afterAll(() => {
  for (const dir of projects) rmSync(dir, { recursive: true, force: true })
})

/** A fresh consumer project with `files`, frictionlog and `packages` linked into node_modules. */
function consumer(
  files: Record<string, string>,
  packages: Iterable<string>,
  compilerOptions: Record<string, unknown>,
): string {
  const dir = mkdtempSync(join(tmpdir(), 'frictionlog-consumer-'))
  projects.push(dir)
  const link = (target: string, path: string) => {
    mkdirSync(dirname(path), { recursive: true })
    symlinkSync(target, path)
  }
  // The package as its tarball lays it out: package.json and dist/.
  link(join(ROOT, 'package.json'), join(dir, 'node_modules/frictionlog/package.json'))
  link(join(ROOT, 'dist'), join(dir, 'node_modules/frictionlog/dist'))
  for (const name of packages) link(join(ROOT, 'node_modules', name), join(dir, 'node_modules', name))
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }))
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        skipLibCheck: false,
        noEmit: true,
        target: 'es2022',
        lib: ['es2022', 'dom'],
        exactOptionalPropertyTypes: true,
        noUncheckedIndexedAccess: true,
        ...compilerOptions,
      },
      include: ['*.ts'],
    }),
  )
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text)
  return dir
}

/** tsc's diagnostics for the project, empty when it compiles. */
function typeErrors(dir: string): string[] {
  try {
    execFileSync(process.execPath, [TSC, '-p', dir, '--pretty', 'false'], { encoding: 'utf8', stdio: 'pipe' })
    return []
  } catch (error) {
    const out = `${(error as { stdout?: string }).stdout ?? ''}${(error as { stderr?: string }).stderr ?? ''}`
    return out.split('\n').filter((line) => /error TS\d+/.test(line))
  }
}

const BROWSER = `
import { createTracker, scrollDepth, clicks, errors, webVitals, forms, sections, type Tracker } from 'frictionlog'
import { eventSchema, type FrictionEvent, type EventOf } from 'frictionlog/schema'

type Events = { signup: { plan: 'free' | 'pro' } }
const fl: Tracker<Events> = createTracker<Events>({
  endpoint: '/e', site: 'landing', plugins: [scrollDepth(), clicks(), errors(), webVitals(), forms(), sections()],
})
fl.track('signup', { plan: 'pro' })
// @ts-expect-error: not a declared event
fl.track('nope', {})
const parsed = eventSchema.safeParse({})
const first: FrictionEvent | undefined = parsed.success ? parsed.data : undefined
const scroll: EventOf<'scroll'> | undefined = first?.type === 'scroll' ? first : undefined
export { scroll }
`

const SERVER = `
import { createCollector, createNdjsonSink } from 'frictionlog/collector'
import { buildReport, renderReportHtml, renderReportText, type Report } from 'frictionlog/report'

const collector = createCollector({ sink: createNdjsonSink({ dir: './.frictionlog' }) })
const response: Promise<Response> = collector.handle(new Request('http://x/e', { method: 'POST', body: '{}' }))
const report: Promise<Report> = buildReport('./.frictionlog', { site: 'landing', since: 0 })
report.then((r) => renderReportText(r) + renderReportHtml(r)).catch(() => {})
export { response }
`

/** tsc takes seconds per project, more on a loaded CI machine. */
const TSC_TIMEOUT_MS = 180_000

describe('the built .d.ts files in a strict consumer project (skipLibCheck: false)', () => {
  it('links the built package', () => {
    expect(existsSync(join(ROOT, 'dist/index.d.ts')), 'run `npm run build` first').toBe(true)
    expect(INSTALLED.has('zod')).toBe(true)
  })

  it('installs no @types package beside frictionlog (rrweb is an optional peer, for frictionlog/replay only)', () => {
    expect([...INSTALLED].filter((name) => name.startsWith('@types/'))).toEqual([])
    expect(INSTALLED.has('rrweb')).toBe(false)
  })

  it(
    'compiles a browser app importing frictionlog and frictionlog/schema (nodenext, no @types at all)',
    () => {
      const dir = consumer({ 'index.ts': BROWSER }, INSTALLED, {
        module: 'nodenext',
        moduleResolution: 'nodenext',
        types: [],
      })
      expect(typeErrors(dir)).toEqual([])
    },
    TSC_TIMEOUT_MS,
  )

  it(
    'compiles a server importing frictionlog/collector and frictionlog/report, beside the browser app (bundler)',
    () => {
      const packages = [...INSTALLED, '@types/node', 'undici-types']
      const dir = consumer({ 'server.ts': SERVER, 'browser.ts': BROWSER }, packages, {
        module: 'esnext',
        moduleResolution: 'bundler',
      })
      expect(typeErrors(dir)).toEqual([])
    },
    TSC_TIMEOUT_MS,
  )

  it(
    'would catch the leak: with rrweb installed beside it, its @types package breaks the same project',
    () => {
      const withRrweb = installClosure([...INSTALLED, 'rrweb'])
      expect(withRrweb.has('@types/css-font-loading-module')).toBe(true)
      const errors = typeErrors(
        consumer({ 'index.ts': BROWSER }, withRrweb, { module: 'nodenext', moduleResolution: 'nodenext' }),
      )
      expect(errors.length).toBeGreaterThan(0)
      expect(errors.join('\n')).toContain('css-font-loading-module')
    },
    TSC_TIMEOUT_MS,
  )
})
