import { defineConfig } from 'vitest/config'
import './tests/support/node20-polyfills.ts'

// One Vitest run covers every suite under tests/ (see AGENTS.md). Integration and e2e suites
// start real servers and browsers, so files run one at a time on this 2-core machine.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 120_000,
    fileParallelism: false,
    setupFiles: ['tests/support/node20-polyfills.ts'],
    reporters: ['default', ['json', { outputFile: 'test-results/vitest.json' }]],
  },
})
