import { defineConfig } from 'vitest/config'

// Imports the *built* entries in plain Node, as SSR does: run after `npm run build`.
export default defineConfig({
  test: { include: ['test/node/**/*.test.ts'], environment: 'node' },
})
