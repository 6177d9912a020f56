// npm run test:mutation: Stryker mutates the pure core (src/core) and runs the unit tests
// (test/unit) against each mutant. The message catalogue (src/core/catalogue) is left out: it is
// text, checked by the catalogue tests for completeness, not logic a mutant could bend.
// Incremental: reports/stryker-incremental.json (committed) keeps every mutant's result, so a
// run only tests the mutants in changed code or covered by changed tests.
import { EQUIVALENT_MUTANTS } from './scripts/equivalent-mutants.mjs';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: 'npm',
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutation.config.ts', related: false },
  plugins: ['@stryker-mutator/vitest-runner', './scripts/equivalent-mutants.mjs'],
  mutate: ['src/core/**/*.ts', '!src/core/catalogue/**'],
  // Mutants that cannot change what the code does (listed, each with its reason, in
  // scripts/equivalent-mutants.mjs): reported as ignored, left out of the score.
  ignorers: EQUIVALENT_MUTANTS.length > 0 ? ['equivalent-mutants'] : [],
  coverageAnalysis: 'perTest',
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  concurrency: 2,
  timeoutMS: 10_000,
  ignoreStatic: true,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'out/mutation/index.html' },
  jsonReporter: { fileName: 'out/mutation/mutation.json' },
  clearTextReporter: { allowColor: false, logTests: false, reportScoreTable: true, reportMutants: false },
  // The sandbox needs the sources, the unit tests and the configs, not the bundle or the reports.
  ignorePatterns: ['dist', 'out', 'docs', 'test/browser', 'test/integration', 'test/contract'],
  tempDirName: 'out/.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 85, low: 75, break: null },
};
