// Writes dist/schema.json, the JSON Schema of a batch, for collectors not written in TypeScript.
// Reads the built entry, so run `npm run build` first (`npm run schema`).
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { toJSONSchema } from '../dist/schema/index.js'

const path = fileURLToPath(new URL('../dist/schema.json', import.meta.url))
writeFileSync(path, `${JSON.stringify(toJSONSchema(), null, 2)}\n`)
console.log(path)
