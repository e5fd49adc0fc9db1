import { defineConfig } from 'vitest/config'

// Real Chromium against the real collector, built from dist/: run `npm run build` first.
// One file at a time (one browser at a time on a 2-core CI box), generous timeouts.
export default defineConfig({
  test: {
    include: ['test/e2e/**/*.e2e.test.ts'],
    environment: 'node',
    globalSetup: ['test/e2e/support/globalSetup.ts'],
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A flaky delivery test is a bug to find, not to retry away.
    retry: 0,
  },
})
