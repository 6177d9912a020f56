// Bundles src/main.ts into one Apps Script file and copies the manifest and sidebars into dist/.
// Apps Script only sees top-level `function` declarations, so every export of the entry module
// gets a small wrapper that forwards to the bundle's global namespace.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync, readFileSync, copyFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const GLOBAL = 'MayarSheets';

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
    minify: false,
    legalComments: 'none',
    write: false,
    logLevel: 'warning',
  });
  const output = result.outputFiles[0];
  const entryPoints = await exportedNames(join(root, 'src/main.ts'));
  if (entryPoints.length === 0) throw new Error('src/main.ts exports no entry points');

  const wrappers = entryPoints
    .map((name) => `function ${name}() { return ${GLOBAL}.${name}.apply(this, arguments); }`)
    .join('\n');
  const code = `${output.text}\n// Entry points Apps Script can see (generated from src/main.ts exports).\n${wrappers}\n`;
  assertAppsScriptSafe(code);
  writeFileSync(join(dist, 'Code.js'), code);
  copyFileSync(join(root, 'appsscript.json'), join(dist, 'appsscript.json'));

  const uiBuild = join(root, 'scripts/build-ui.mjs');
  if (existsSync(uiBuild)) {
    const { buildUi } = await import(uiBuild);
    await buildUi(dist);
  }
  return { entryPoints, bytes: Buffer.byteLength(code) };
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

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { entryPoints, bytes } = await build();
  const manifest = JSON.parse(readFileSync(join(dist, 'appsscript.json'), 'utf8'));
  console.log(`dist/Code.js: ${(bytes / 1024).toFixed(1)} KB, ${entryPoints.length} entry points (${manifest.runtimeVersion})`);
}
