import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findCycles, importGraph } from '../../scripts/check-cycles.mjs';

let dir: string | undefined;
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

function project(files: Record<string, string>): string {
  dir = mkdtempSync(join(tmpdir(), 'cycles-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

const names = (root: string, files: string[]) => files.map((f) => f.slice(root.length + 1));

describe('check-cycles', () => {
  it('finds a circle of three modules and names it in import order', () => {
    const root = project({
      'app/run.ts': "import { b } from './refresh';\nexport const a = 1;",
      'app/refresh.ts': "import {\n  c,\n} from './commands';\nexport const b = 2;",
      'app/commands.ts': "import { a } from './run';\nimport { x } from '../core/x';\nexport const c = 3;",
      'core/x.ts': 'export const x = 0;',
    });
    const cycles = findCycles(importGraph(root));
    expect(cycles).toHaveLength(1);
    expect(names(root, cycles[0]!.circle)).toEqual(['app/commands.ts', 'app/run.ts', 'app/refresh.ts', 'app/commands.ts']);
  });

  it('counts type-only imports: a circle of types is still a circle to read', () => {
    const root = project({
      'a.ts': "import { b } from './b';\nexport type A = number;",
      'b.ts': "import type { A } from './a';\nexport const b: A = 1;",
      'c.ts': "import { type D } from './d';\nexport type C = D;",
      'd.ts': "import type { C } from './c';\nexport type D = number | C[];",
    });
    expect(findCycles(importGraph(root)).map((c) => names(root, c.members))).toEqual([
      ['a.ts', 'b.ts'],
      ['c.ts', 'd.ts'],
    ]);
  });

  it('ignores imports in comments', () => {
    const root = project({
      'a.ts': "import { b } from './b';\nexport const a = 1;",
      'b.ts': "// import { a } from './a';\n/* import { a } from './a'; */\nexport const b = 1;",
    });
    expect(findCycles(importGraph(root))).toEqual([]);
  });

  it('counts re-exports and side-effect imports', () => {
    const root = project({
      'a.ts': "export { b } from './b';",
      'b.ts': "import './a';\nexport const b = 1;",
    });
    expect(names(root, findCycles(importGraph(root))[0]!.members)).toEqual(['a.ts', 'b.ts']);
  });
});
