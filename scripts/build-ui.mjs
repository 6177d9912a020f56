// Builds the sidebars into self-contained HTML files (dist/Settings.html, dist/Progress.html, dist/WhatsApp.html).
// HtmlService serves them in a sandboxed iframe with no module loading, so each client bundle
// and the shared stylesheets are inlined into its template.
import * as esbuild from 'esbuild';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ui = join(root, 'src/ui');

// Every sidebar shares one page (src/ui/sidebar.html); the server gives it its visible title.
export const PAGES = [
  { name: 'Settings', title: 'Mayar settings', entry: 'settings.client.ts' },
  { name: 'Progress', title: 'Mayar progress', entry: 'progress.client.ts' },
  { name: 'WhatsApp', title: 'Send by WhatsApp', entry: 'whatsapp.client.ts' },
];

export const STYLESHEETS = ['sidebar.css', 'sidebar-views.css'];

/** Keeps inlined code from ending its own element early (`</script` inside a string, say). */
function inlineSafe(code, tag) {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1').replace(/<!--/g, '<\\!--');
}

function fill(template, marker, content) {
  if (!template.includes(marker)) throw new Error(`template is missing ${marker}`);
  // A function replacement, so `$&` and friends in the bundle are not treated as patterns.
  return template.replace(marker, () => content);
}

/** Writes one <distDir>/<name>.html per page; returns their paths and sizes. */
export async function buildUi(distDir) {
  mkdirSync(distDir, { recursive: true });
  const template = readFileSync(join(ui, 'sidebar.html'), 'utf8');
  // The shared stylesheet, then each sidebar's own parts: one <style> for every page.
  const stylesheet = STYLESHEETS.map((name) => readFileSync(join(ui, name), 'utf8')).join('\n');
  const css = await esbuild.transform(stylesheet, {
    loader: 'css',
    minify: true,
    target: ['chrome90', 'firefox90', 'safari14'],
  });
  const written = [];
  for (const page of PAGES) {
    const result = await esbuild.build({
      entryPoints: [join(ui, page.entry)],
      bundle: true,
      format: 'iife',
      target: 'es2019',
      platform: 'browser',
      minify: true,
      legalComments: 'none',
      charset: 'utf8',
      write: false,
      logLevel: 'warning',
    });
    const js = result.outputFiles[0].text;
    let html = fill(template, '<!-- @title -->', page.title);
    html = fill(html, '<!-- @style -->', `<style>${inlineSafe(css.code, 'style')}</style>`);
    html = fill(html, '<!-- @script -->', `<script>${inlineSafe(js, 'script')}</script>`);
    const file = join(distDir, `${page.name}.html`);
    writeFileSync(file, html);
    written.push({ file, bytes: Buffer.byteLength(html) });
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const { file, bytes } of await buildUi(process.argv[2] ?? join(root, 'dist'))) {
    console.log(`${file}: ${(bytes / 1024).toFixed(1)} KB`);
  }
}
