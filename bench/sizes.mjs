// Bundle sizes: every import is bundled by esbuild the same way (ESM, minified, browser,
// es2020, tree-shaken, no legal comments), then compressed with gzip -9 and brotli q11.
// frictionlog is imported from its build (dist/index.js) as an npm user would; the script-tag
// files are measured as shipped. Peers: their main entry plus an `init` call (bench/peers.mjs).
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import { build } from 'esbuild'
import { ensureTmp, markdownTable, ROOT, textTable } from './lib.mjs'
import { BUNDLE_OPTIONS, PEERS, peerVersion, writePeerEntries } from './peers.mjs'

const PLUGINS = ['scrollDepth', 'clicks', 'errors', 'webVitals', 'forms', 'sections']

const compressed = (code) => ({
  minified: code.length,
  gzip: gzipSync(code, { level: 9 }).length,
  brotli: brotliCompressSync(code, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: code.length },
  }).length,
})

const bundle = async (entry) => {
  const result = await build({ ...BUNDLE_OPTIONS, entryPoints: [entry], format: 'esm', write: false })
  return Buffer.from(result.outputFiles[0].contents)
}

export const run = async () => {
  const dir = ensureTmp('sizes')
  const dist = JSON.stringify(join(ROOT, 'dist/index.js'))
  const imports = [
    ['createTracker', ['createTracker']],
    ...PLUGINS.map((plugin) => [`${plugin} alone`, [plugin]]),
    ...PLUGINS.map((plugin) => [`createTracker + ${plugin}`, ['createTracker', plugin]]),
    ['createTracker + all 6 plugins', ['createTracker', ...PLUGINS]],
  ]
  const rows = []
  for (const [label, names] of imports) {
    const file = join(dir, `fl-${names.join('-')}.js`)
    writeFileSync(file, `export { ${names.join(', ')} } from ${dist}\n`)
    rows.push({
      group: 'frictionlog',
      name: `import { ${names.join(', ')} }`,
      label,
      ...compressed(await bundle(file)),
    })
  }
  for (const file of ['frictionlog.global.js', 'frictionlog.replay.js']) {
    rows.push({
      group: 'frictionlog',
      name: `dist/${file}`,
      label: `dist/${file} (as shipped)`,
      ...compressed(readFileSync(join(ROOT, 'dist', file))),
    })
  }
  const entries = writePeerEntries()
  for (const peer of PEERS) {
    rows.push({
      group: 'peer',
      name: `${peer.name}@${peerVersion(peer.pkg)}`,
      label: `${peer.name}@${peerVersion(peer.pkg)} (main entry + init)`,
      ...compressed(await bundle(entries[peer.name])),
    })
  }
  return {
    method:
      'esbuild bundle (ESM, minify, platform browser, target es2020, tree-shaking, legalComments none); gzip ' +
      'level 9; brotli quality 11',
    rows,
  }
}

const toKb = (bytes) => (bytes / 1024).toFixed(2)

export const tables = (result) => {
  const headers = ['bundle', 'minified kB', 'gzip kB', 'brotli kB']
  const rows = result.rows.map((row) => [row.label, toKb(row.minified), toKb(row.gzip), toKb(row.brotli)])
  return {
    text: textTable('Sizes (kB = 1024 B)', headers, rows),
    markdown: markdownTable(headers, rows),
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const result = await run()
  console.log(tables(result).text)
}
