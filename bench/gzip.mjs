// The page-exit compression (src/lib/gzipSync.ts): bytes on the wire and main-thread time per
// exit batch, beside zlib's gzip (dynamic Huffman, level 6) for the ratio a full deflate gets,
// and the code it adds to the bundle (esbuild, minified, brotli) beside fflate's gzipSync.
// Usage: node bench/gzip.mjs [--runs 50]. Node's V8 is Chromium's; timings are this machine's.
import { readFileSync, writeFileSync } from 'node:fs'
import { performance } from 'node:perf_hooks'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { brotliCompressSync, gunzipSync, gzipSync as zlibGzip } from 'node:zlib'
import { build } from 'esbuild'
import { mulberry32 } from './random.mjs'
import { ensureTmp, median, ROOT, round, textTable } from './lib.mjs'

const WORDS = ['checkout', 'pricing', 'plan', 'monthly', 'annual', 'coupon', 'cart', 'shipping', 'address', 'total']

const envelope = (i, random) => ({
  id: Math.floor(random() * 2 ** 52)
    .toString(36)
    .padEnd(21, 'x'),
  type: 'track',
  ts: 1_764_000_000_000 + i * 37,
  sessionId: 'Vd3kq1xYz0aB7cD9eF2gH',
  anonymousId: 'Qw8eR7tY6uI5oP4aS3dF2',
  pageId: 'Zx1cV2bN3mL4kJ5hG6fD7',
  url: 'https://shop.example/checkout?step=2',
  context: { vw: 1280, vh: 720, lang: 'en-US', tz: 'Europe/Berlin', variants: { hero: 'B' } },
})

/** Exit batches as the queue cuts them (16 KiB): 5 events of ~3 KB each. */
const INPUTS = {
  '5 × 3 KB repeated letter': (random) =>
    Array.from({ length: 5 }, (_, i) => ({ ...envelope(i, random), name: 'big', props: { pad: 'x'.repeat(3000) } })),
  '5 × 3 KB product JSON': (random) =>
    Array.from({ length: 5 }, (_, i) => ({
      ...envelope(i, random),
      name: 'cart',
      props: {
        products: Array.from({ length: 52 }, (_, j) => ({
          sku: 'SKU-' + Math.floor(random() * 1e6),
          title: WORDS[Math.floor(random() * 10)] + ' ' + WORDS[Math.floor(random() * 10)],
          price: Math.floor(random() * 10_000) / 100,
          j,
        })),
      },
    })),
  '50 small capture events': (random) =>
    Array.from({ length: 50 }, (_, i) => ({
      ...envelope(i, random),
      type: 'click',
      selector: 'main>section.pricing>button.cta',
      x: Math.floor(random() * 1280),
      y: Math.floor(random() * 4000),
      text: 'Start free trial',
    })),
  '5 × 3 KB random text': (random) =>
    Array.from({ length: 5 }, (_, i) => ({
      ...envelope(i, random),
      name: 'noise',
      props: { pad: Array.from({ length: 3000 }, () => String.fromCharCode(33 + Math.floor(random() * 90))).join('') },
    })),
}

const bundle = async (contents, resolveDir) => {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'ts' },
    bundle: true,
    minify: true,
    format: 'esm',
    write: false,
    platform: 'browser',
  })
  return result.outputFiles[0].text
}

export async function run({ runs = 50 } = {}) {
  const dir = ensureTmp('gzip')
  const source = await bundle("export { gzipSync } from './src/lib/gzipSync'", ROOT)
  const file = join(dir, 'gzipSync.mjs')
  writeFileSync(file, source)
  const { gzipSync } = await import(file)
  const codeBytes = brotliCompressSync(
    await bundle("import { gzipSync } from './src/lib/gzipSync'; console.log(gzipSync)", ROOT),
  ).length
  let fflateBytes = null
  try {
    const fflate = join(ROOT, 'node_modules/fflate/esm/browser.js')
    readFileSync(fflate)
    fflateBytes = brotliCompressSync(
      await bundle(`import { gzipSync } from ${JSON.stringify(fflate)}; console.log(gzipSync)`, ROOT),
    ).length
  } catch {
    // fflate is not installed (it is only a comparison here).
  }
  const rows = []
  for (const [name, make] of Object.entries(INPUTS)) {
    const text = JSON.stringify({ v: 1, site: 'bench', sentAt: 1_764_000_000_000, events: make(mulberry32(1)) })
    const ours = gzipSync(text)
    if (gunzipSync(ours).toString('utf8') !== text) throw new Error(`gzipSync round trip failed for ${name}`)
    for (let i = 0; i < 5; i++) gzipSync(text) // warm up
    const times = []
    for (let i = 0; i < runs; i++) {
      const start = performance.now()
      gzipSync(text)
      times.push(performance.now() - start)
    }
    const zlib = zlibGzip(text).length
    rows.push([
      name,
      text.length,
      ours.length,
      round(text.length / ours.length, 2),
      zlib,
      round(median(times), 2),
      round(times.sort((a, b) => a - b)[Math.floor(times.length * 0.95)], 2),
    ])
  }
  return { runs, codeBytes, fflateBytes, rows }
}

export const table = ({ runs, codeBytes, fflateBytes, rows }) =>
  textTable(
    `gzip at page exit (src/lib/gzipSync.ts, ${runs} runs; code ${codeBytes} B brotli, fflate gzipSync ` +
      `${fflateBytes ?? 'n/a'} B)`,
    ['exit batch', 'JSON B', 'gzipSync B', 'ratio', 'zlib -6 B', 'median ms', 'p95 ms'],
    rows,
  )

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '50' } } })
  console.log(table(await run({ runs: Number(values.runs) })))
}
