// The project's test command. `npm test` is the fast inner loop: typecheck, lint (with the
// import-cycle check), format check, then vitest on everything but the slow sweeps and the
// browser tests (unit, tools, contract, build, integration on the built bundle).
// `npm run test:all` (CI and deploy) adds the kill-point and reminder-safety sweeps and the
// browser tests. The static checks run side by side; each step's time and the total are printed.
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const all = process.argv.includes('--all');
// Caches live in out/ (ignored by git), so a second run only re-checks what changed.
const cache = join(root, 'out', '.cache');
mkdirSync(cache, { recursive: true });

const bin = (name) => join(root, 'node_modules', '.bin', name);
const CHECKS = [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join(cache, 'tsbuildinfo')]],
  ['lint', bin('eslint'), ['.', '--cache', '--cache-location', join(cache, 'eslint')]],
  ['import cycles', process.execPath, [join(root, 'scripts/check-cycles.mjs')]],
  ['format check', bin('prettier'), ['--check', '.', '--log-level', 'warn', '--cache', '--cache-location', join(cache, 'prettier')]],
];
const VITEST = [
  'vitest',
  bin('vitest'),
  ['run', '--reporter=default', '--reporter=json', '--outputFile.json=out/test-results.json'],
  // vitest.config.ts reads this: the sweeps and the browser tests only in test:all.
  { ...process.env, MAYAR_TEST_ALL: all ? '1' : '' },
];

const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function step([name, command, args, env = process.env]) {
  const started = Date.now();
  return new Promise((done) => {
    const child = spawn(command, args, { cwd: root, env, stdio: 'inherit' });
    child.on('close', (code) => {
      const ms = Date.now() - started;
      console.log(`${code === 0 ? '✓' : '✗'} ${name} (${seconds(ms)})`);
      done({ name, ok: code === 0, ms });
    });
  });
}

const started = Date.now();
const results = await Promise.all(CHECKS.map(step));
if (results.every((r) => r.ok)) results.push(await step(VITEST));
const failed = results.filter((r) => !r.ok).map((r) => r.name);
console.log(
  `\n${all ? 'npm run test:all' : 'npm test'}: ${failed.length === 0 ? 'passed' : `FAILED (${failed.join(', ')})`} in ${seconds(Date.now() - started)} total`,
);
process.exit(failed.length === 0 ? 0 : 1);
