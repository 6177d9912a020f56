/**
 * The built files (test/global-setup.ts builds dist/ before the run): every name the sidebars
 * call is a top-level function of Code.js, the sidebars carry no validation library, and the
 * sizes stay within budget.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BUNDLE_BUDGET, checkBudget, composition } from '../../scripts/build.mjs';
import { CALLED_BY_NAME } from '../../src/entry-names';
import { SIDEBAR_FUNCTIONS } from '../../src/ui/server';

const dist = (name: string) => new URL(`../../dist/${name}`, import.meta.url);
const entryPoints: string[] = JSON.parse(readFileSync(dist('entry-points.json'), 'utf8'));
const code = readFileSync(dist('Code.js'), 'utf8');

describe('dist/', () => {
  it('lists the entry points, each a top-level function of Code.js forwarding to the bundle', () => {
    expect(entryPoints).toContain('onOpen');
    expect(entryPoints).toContain('doPost');
    for (const name of entryPoints) {
      expect(code).toContain(`\nfunction ${name}() { return MayarSheets.${name}.apply(this, arguments); }\n`);
    }
  });

  it('exposes every server function the sidebars call through google.script.run', () => {
    for (const name of SIDEBAR_FUNCTIONS) expect(entryPoints).toContain(name);
  });

  it("exposes every trigger handler and menu item, today's and earlier versions' names", () => {
    for (const name of CALLED_BY_NAME) expect(entryPoints).toContain(name);
    expect(CALLED_BY_NAME).toEqual(expect.arrayContaining(['hourlyTick', 'processWebhookInbox', 'autoRefreshStatus', 'sendReminders', 'createPaymentLinks']));
  });

  it('keeps function names in the minified bundle, for readable stack traces', () => {
    // lineLimit may break a string across lines with a backslash continuation.
    expect(code.replace(/\\\n/g, '')).toContain('"examineRow"');
  });

  it('builds sidebars without zod', () => {
    for (const page of ['Settings.html', 'Progress.html']) {
      const html = readFileSync(dist(page), 'utf8');
      expect(html).not.toContain('$ZodType');
      expect(Buffer.byteLength(html)).toBeLessThanOrEqual(BUNDLE_BUDGET.sidebar);
    }
  });
});

describe('bundle budget', () => {
  const root = new URL('../../', import.meta.url).pathname.replace(/\/$/, '');
  it('fails a sidebar over its budget and passes one within it', () => {
    const files = [
      { file: `${root}/dist/Settings.html`, bytes: BUNDLE_BUDGET.sidebar + 1, budget: BUNDLE_BUDGET.sidebar },
      { file: `${root}/dist/Progress.html`, bytes: BUNDLE_BUDGET.sidebar, budget: BUNDLE_BUDGET.sidebar },
    ];
    const { lines, failures } = checkBudget(files);
    expect(failures).toEqual(['dist/Settings.html']);
    expect(lines[0]).toMatch(/^dist\/Settings\.html\s+60\.0 KB of 60\.0 KB {2}OVER BUDGET$/);
    expect(lines[1]).not.toContain('OVER');
  });

  it('fails Code.js over its budget', () => {
    const files = [{ file: `${root}/dist/Code.js`, bytes: BUNDLE_BUDGET.code + 1, budget: BUNDLE_BUDGET.code }];
    expect(checkBudget(files).failures).toEqual(['dist/Code.js']);
  });
});

describe('what Code.js is made of', () => {
  it('adds up the metafile by part: own code by folder, messages, zod/mini, and the rest as glue', () => {
    const parts = composition(
      {
        'src/core/parse.ts': { bytesInOutput: 300 },
        'src/core/amount.ts': { bytesInOutput: 200 },
        'src/core/catalogue/en-server.ts': { bytesInOutput: 400 },
        'src/app/kinds/create.ts': { bytesInOutput: 250 },
        'src/main.ts': { bytesInOutput: 50 },
        'node_modules/zod/v4/mini/schemas.js': { bytesInOutput: 350 },
      },
      1600,
    );
    expect(parts).toEqual([
      { part: 'own code: src/core', bytes: 500 },
      { part: 'messages (src/core/catalogue)', bytes: 400 },
      { part: 'zod/mini', bytes: 350 },
      { part: 'own code: src/app/kinds', bytes: 250 },
      { part: 'entry points and bundler glue', bytes: 50 },
      { part: 'own code: src/main.ts', bytes: 50 },
    ]);
  });
});
