import { defineConfig } from 'vitest/config'

export default defineConfig({
  define: { __FL_VERSION__: JSON.stringify('test') },
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'happy-dom',
    restoreMocks: true,
  },
})
