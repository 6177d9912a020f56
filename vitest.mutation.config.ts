import { defineConfig } from 'vitest/config';

/** The unit tests alone, for Stryker (npm run test:mutation): no bundle to build, no runtime. */
export default defineConfig({
  test: {
    include: ['test/unit/**/*.test.ts'],
    environment: 'node',
    testTimeout: 60_000,
  },
});
