// Bundles src/main.ts into one Apps Script file and copies the manifest and sidebars into dist/.
// Apps Script only sees top-level `function` declarations, so every export of the entry module
// gets a small wrapper that forwards to the bundle's global namespace.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const GLOBAL = 'MayarSheets';

/** Largest sizes, in bytes, the build accepts. */
// Code.js: the add-on's own code is about 130 KB of it (12 KB of that keeps function names for
// stack traces), the server's messages in both languages 35 KB and zod/mini 30 KB. Apps Script
// compiles and evaluates all of it on every call; `npm run bench` prints what that costs. A
// change that grows it past this fails the build and has to say why in the budget's own change.
export const BUNDLE_BUDGET = { code: 288 * 1024, sidebar: 60 * 1024 };

export async function build() {
  rmSync(dist, { recursive: true, force: true });
  mkdirSync(dist, { recursive: true });

  const result = await esbuild.build({
    entryPoints: [join(root, 'src/main.ts')],
    bundle: true,
    format: 'iife',
    globalName: GLOBAL,
    target: 'es2020',
    platform: 'neutral',
    mainFields: ['module', 'main'],
    // Fully minified (half the size of syntax and whitespace minification alone), but:
    // keepNames sets each function's `name`, which V8 (and so Apps Script) prints in stack
    // traces, so a logged error still names examineRow rather than `r`; lineLimit keeps lines
    // short, so a trace's line and column point at a readable stretch of code.
    minify: true,
    keepNames: true,
    lineLimit: 160,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  const entryPoints = await exportedNames(join(root, 'src/main.ts'));
  if (entryPoints.length === 0) throw new Error('src/main.ts exports no entry points');

  const wrappers = entryPoints.map((name) => `function ${name}() { return ${GLOBAL}.${name}.apply(this, arguments); }`).join('\n');
  const code = `${output.text}\n// Entry points Apps Script can see (generated from src/main.ts exports).\n${wrappers}\n`;
  assertAppsScriptSafe(code);
  writeFileSync(join(dist, 'Code.js'), code);
  // For tests and tools; clasp pushes only appsscript.json of the JSON files, so it stays local.
  writeFileSync(join(dist, 'entry-points.json'), `${JSON.stringify(entryPoints, null, 2)}\n`);
  copyFileSync(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));

  const files = [{ file: join(dist, 'Code.js'), bytes: Buffer.byteLength(code), budget: BUNDLE_BUDGET.code }];
  const uiBuild = join(root, 'scripts/build-ui.mjs');
  if (existsSync(uiBuild)) {
    const { buildUi } = await import(uiBuild);
    for (const page of await buildUi(dist)) files.push({ ...page, budget: BUNDLE_BUDGET.sidebar });
  }
  return { entryPoints, bytes: files[0].bytes, files };
}

/** The entry module's export names: an ESM build's metafile lists them (an IIFE's does not). */
async function exportedNames(entry) {
  const esm = await esbuild.build({ entryPoints: [entry], bundle: false, format: 'esm', write: false, metafile: true, logLevel: 'silent' });
  return [...Object.values(esm.metafile.outputs)[0].exports].sort();
}

function assertAppsScriptSafe(code) {
  if (/^\s*export\s/m.test(code)) throw new Error('bundle still contains an `export` statement');
  // Class private members (this.#x, #x = ...) can't be parsed by Apps Script's V8 front end.
  if (/this\.#[A-Za-z_]|^\s*#[A-Za-z_][\w$]*\s*[=;(]/m.test(code)) {
    throw new Error('bundle contains a private #field, which Apps Script cannot parse');
  }
}

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;

/** One line per built file with its size against its budget, and the files over it. */
export function checkBudget(files) {
  const lines = [];
  const failures = [];
  for (const { file, bytes, budget } of files) {
    const name = file.slice(root.length + 1);
    const over = bytes > budget;
    lines.push(`${name.padEnd(22)} ${kb(bytes).padStart(9)} of ${kb(budget)}${over ? '  OVER BUDGET' : ''}`);
    if (over) failures.push(name);
  }
  return { lines, failures };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { entryPoints, files } = await build();
  const manifest = JSON.parse(readFileSync(join(dist, 'appsscript.json'), 'utf8'));
  console.log(`${entryPoints.length} entry points (${manifest.runtimeVersion})`);
  const { lines, failures } = checkBudget(files);
  for (const line of lines) console.log(line);
  if (failures.length > 0) {
    console.error(`Bundle budget exceeded: ${failures.join(', ')}`);
    process.exit(1);
  }
}
