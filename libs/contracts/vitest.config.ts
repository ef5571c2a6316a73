import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts'],
    // The property tests run thousands of cases: on a loaded machine they take longer than vitest's 5 s default.
    testTimeout: 60_000,
  },
});
