import { availableParallelism } from 'node:os';

import { configDefaults, defineConfig } from 'vitest/config';

/**
 * Slow tests, run by `npm run test:all` (CI, deploy) and left out of `npm test`'s inner loop:
 * the sweeps that kill an execution at each of its service calls, and the sidebars in Chromium.
 */
export const SLOW_TESTS = ['test/integration/kill-points.test.ts', 'test/integration/reminders-safety.test.ts', 'test/browser/**'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // scripts/test.mjs sets MAYAR_TEST_ALL for test:all; to run one slow file on its own:
    // `MAYAR_TEST_ALL=1 npx vitest run test/integration/kill-points.test.ts`.
    exclude: process.env.MAYAR_TEST_ALL ? configDefaults.exclude : [...configDefaults.exclude, ...SLOW_TESTS],
    environment: 'node',
    testTimeout: 60_000,
    pool: 'forks',
    // Vitest leaves one core free by default: on a 2-core machine that is one worker, and the
    // suite takes half as long again. The tests are the only work while they run.
    maxWorkers: availableParallelism(),
    // Test files share a worker's module cache instead of importing the world afresh each (the
    // integration tests load the built bundle into their own vm contexts either way): import
    // time went from about half the run to a few seconds.
    isolate: false,
    globalSetup: ['test/global-setup.ts'],
  },
});
