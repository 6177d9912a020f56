/**
 * `npx tsx scripts/bench-bundle.ts` (after `npm run build`): what it costs Apps Script to load the
 * add-on, which it does on every call (each menu click, trigger and sidebar poll). Each round
 * compiles and evaluates dist/Code.js in a fresh V8 context, with no code cache, as a cold
 * Apps Script execution does. Also times zod/mini alone and the message catalogue alone, the two
 * largest pieces. Prints a markdown table.
 */
import * as esbuild from 'esbuild';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createContext, Script } from 'node:vm';

const ROUNDS = 40;
const root = join(import.meta.dirname, '..');

/** Median compile and evaluate times; each round's source differs by a comment, so V8's cache never serves it. */
function medianLoadMs(code: string): { compile: number; evaluate: number } {
  const compile: number[] = [];
  const evaluate: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const context = createContext({});
    const start = process.hrtime.bigint();
    const script = new Script(`${code}\n// round ${round}`, { filename: 'Code.js' });
    const compiled = process.hrtime.bigint();
    script.runInContext(context);
    compile.push(Number(compiled - start) / 1e6);
    evaluate.push(Number(process.hrtime.bigint() - compiled) / 1e6);
  }
  const median = (times: number[]) => times.sort((a, b) => a - b)[Math.floor(times.length / 2)] ?? 0;
  return { compile: median(compile), evaluate: median(evaluate) };
}

/** One piece bundled and minified the way the build does it, so its size and load time compare. */
async function piece(contents: string): Promise<string> {
  const result = await esbuild.build({
    stdin: { contents, resolveDir: root, loader: 'ts' },
    bundle: true,
    format: 'iife',
    minify: true,
    keepNames: true,
    lineLimit: 160,
    write: false,
    logLevel: 'silent',
  });
  return result.outputFiles[0]?.text ?? '';
}

const rows: [string, string][] = [
  ['dist/Code.js (the add-on)', readFileSync(join(root, 'dist/Code.js'), 'utf8')],
  [
    'zod/mini, with the stored-settings and limiter schemas',
    await piece(
      `import { limiterStateSchema } from './src/core/limiter'; import { storedSettingsSchema } from './src/core/settings'; globalThis.s = [limiterStateSchema(), storedSettingsSchema()];`,
    ),
  ],
  ['message catalogue (server, both languages)', await piece(`import { t } from './src/core/messages'; globalThis.t = t;`)],
];

console.log(`| what | size (KB) | compile (ms) | evaluate (ms) | load (ms) |  ← medians of ${ROUNDS} cold rounds`);
console.log('|---|---:|---:|---:|---:|');
for (const [what, code] of rows) {
  const { compile, evaluate } = medianLoadMs(code);
  console.log(
    `| ${what} | ${(Buffer.byteLength(code) / 1024).toFixed(1)} | ${compile.toFixed(1)} | ${evaluate.toFixed(1)} | ${(compile + evaluate).toFixed(1)} |`,
  );
}
