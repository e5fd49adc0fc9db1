// `npm run sizes`: runs size-limit and writes its figures into README.md between the
// <!-- sizes:start --> and <!-- sizes:end --> markers, so the table never drifts from the budgets.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const results = JSON.parse(
  execFileSync('npx', ['size-limit', '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }),
)
const kb = (bytes) => (bytes / 1000).toFixed(2) + ' kB'
const rows = results.map((r) => `| ${r.name} | ${kb(r.size)} | ${kb(r.sizeLimit)} |`)
const table = ['| entry (minified + brotli, dependencies included) | size | budget |', '|---|---|---|', ...rows].join(
  '\n',
)
const readme = readFileSync('README.md', 'utf8')
const updated = readme.replace(
  /<!-- sizes:start -->[\s\S]*<!-- sizes:end -->/,
  `<!-- sizes:start -->\n${table}\n<!-- sizes:end -->`,
)
writeFileSync('README.md', updated)
console.log(table)
