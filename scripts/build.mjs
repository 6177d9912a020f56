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
// `npm run build` prints what Code.js is made of (see `composition`). Apps Script compiles and
// evaluates all of it on every call; `npm run bench` prints what that costs. A change that
// grows it past this fails the build and has to say why in the budget's own change.
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
    metafile: true,
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  const inputs = Object.values(result.metafile.outputs)[0].inputs;
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
  return { entryPoints, bytes: files[0].bytes, files, parts: composition(inputs, files[0].bytes) };
}

/** Which part of Code.js a source file belongs to, for `composition`. */
function partOf(path) {
  if (path.startsWith('src/core/catalogue/')) return 'messages (src/core/catalogue)';
  if (/(^|\/)node_modules\/zod\//.test(path)) return 'zod/mini';
  if (/(^|\/)node_modules\//.test(path)) return `other packages (${path.replace(/^.*node_modules\//, '').split('/')[0]})`;
  const folder = /^src\/(.*)\/[^/]+$/.exec(path);
  if (folder) return `own code: src/${folder[1]}`;
  return path.startsWith('src/') ? `own code: ${path}` : path;
}

/**
 * What Code.js is made of, from esbuild's metafile (bytes each input left in the minified
 * output): the add-on's own code by folder, the messages, zod/mini; the rest is the entry-point
 * wrappers and esbuild's glue. Largest first.
 */
export function composition(inputs, totalBytes) {
  const parts = new Map();
  for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
    const part = partOf(path);
    parts.set(part, (parts.get(part) ?? 0) + bytesInOutput);
  }
  const counted = [...parts.values()].reduce((a, b) => a + b, 0);
  parts.set('entry points and bundler glue', Math.max(0, totalBytes - counted));
  return [...parts].map(([part, bytes]) => ({ part, bytes })).sort((a, b) => b.bytes - a.bytes || a.part.localeCompare(b.part));
}

/** One line per part of `composition`, with its share of the whole. */
export function compositionLines(parts) {
  const total = parts.reduce((sum, { bytes }) => sum + bytes, 0);
  return parts.map(({ part, bytes }) => `${part.padEnd(40)} ${kb(bytes).padStart(9)}  ${((100 * bytes) / total).toFixed(0).padStart(3)}%`);
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
  const { entryPoints, files, parts } = await build();
  const manifest = JSON.parse(readFileSync(join(dist, 'appsscript.json'), 'utf8'));
  console.log(`${entryPoints.length} entry points (${manifest.runtimeVersion})`);
  const { lines, failures } = checkBudget(files);
  for (const line of lines) console.log(line);
  console.log('dist/Code.js is made of:');
  for (const line of compositionLines(parts)) console.log(`  ${line}`);
  if (failures.length > 0) {
    console.error(`Bundle budget exceeded: ${failures.join(', ')}`);
    process.exit(1);
  }
}
