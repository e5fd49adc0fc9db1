import { defineConfig } from 'tsup'
import pkg from './package.json' with { type: 'json' }

// Replaced at build time so the SDK reports its own version without importing package.json.
const define = { __FL_VERSION__: JSON.stringify(pkg.version) }

// The two script-tag files are minified by terser instead of esbuild: its output
// brotli-compresses about 6 % smaller (the tag 1.1 kB, the replay file 2 kB; measured with the
// same input). Three compress passes and `inline: 1` (terser inlines simple functions only,
// not those with arguments or variables, which it copies into every caller by default): the
// tag 32 B and the replay file 76 B smaller again than two passes at the default. The npm
// build stays unminified: consumers' bundlers minify it.
const scriptTagMinify = {
  minify: 'terser' as const,
  terserOptions: { ecma: 2020 as const, compress: { passes: 3, inline: 1 as const } },
}
// `//# allFunctionsCalledOnLoad` (V8's explicit compile hint, Chrome 136+) first in the file:
// V8 then compiles every function while it streams the file on a background thread, instead
// of compiling each one lazily on the main thread the first time it runs (at load, the first
// click, the first error): on the bench visit about 18 ms less main-thread time at load and
// 19 ms over the whole visit. Other engines read it as a comment. Only the tag: most of rrweb
// in the replay file never runs on a visit, and would be compiled for nothing.
const compileHinted = {
  ...scriptTagMinify,
  terserOptions: { ...scriptTagMinify.terserOptions, format: { preamble: '//# allFunctionsCalledOnLoad' } },
}

export default defineConfig([
  // Browser library entries: consumers minify, so keep them readable with source maps.
  {
    entry: { index: 'src/index.ts', 'schema/index': 'src/schema/index.ts', 'replay/index': 'src/replay/index.ts' },
    format: ['esm', 'cjs'],
    dts: true,
    platform: 'browser',
    target: 'es2020',
    splitting: true,
    sourcemap: true,
    clean: true,
    define,
  },
  // Server side: the reference collector (ingest), the report engine and the CLI over both.
  {
    entry: {
      'collector/index': 'src/collector/index.ts',
      'report/index': 'src/report/index.ts',
      'cli/bin': 'src/cli/bin.ts',
    },
    format: ['esm', 'cjs'],
    dts: { entry: { 'collector/index': 'src/collector/index.ts', 'report/index': 'src/report/index.ts' } },
    platform: 'node',
    target: 'node20',
    sourcemap: true,
    // The dashboard finds its client files from import.meta.url, in the CJS build too.
    shims: true,
    define,
  },
  // Dashboard client, served by the collector from dist/dashboard/: minified ESM, the replay
  // player (rrweb) split into a chunk that only the replay page loads.
  {
    entry: { app: 'src/dashboard/client/app.ts' },
    outDir: 'dist/dashboard',
    format: ['esm'],
    platform: 'browser',
    target: 'es2020',
    splitting: true,
    minify: true,
    sourcemap: true,
    // Bundled, not imported: the browser gets no node_modules.
    noExternal: [/.*/],
    define,
  },
  // Script tag: one minified IIFE that assigns window.frictionlog itself.
  {
    entry: { frictionlog: 'src/global.ts' },
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    ...compileHinted,
    define,
  },
  // Replay for the script tag: rrweb's recorder in its own IIFE, dist/frictionlog.replay.js,
  // loaded on demand (data-replay) from the main file's folder.
  {
    entry: { 'frictionlog.replay': 'src/replay/global.ts' },
    format: ['iife'],
    platform: 'browser',
    target: 'es2020',
    ...scriptTagMinify,
    outExtension: () => ({ js: '.js' }),
    define,
  },
])
