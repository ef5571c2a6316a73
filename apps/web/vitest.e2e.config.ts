import { defineConfig } from 'vitest/config';

/**
 * Browser end-to-end tests: real Chromium (playwright-core) against the real API, database and
 * production build. The global setup builds both apps and starts the API on a free port.
 */
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.test.ts'],
    globalSetup: ['./e2e/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 300_000,
    teardownTimeout: 60_000,
  },
});
