// Fails when modules under src/ import each other in a circle. A circle makes the bundle's
// module order decide which module sees the other half-initialised, and keeps layers from
// being read (or tested) one at a time. Type-only imports count too: they vanish from the
// bundle, but a circle of types still means no module of it can be read without the others.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function sourceFiles(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

// `import … from '…'`, `export … from '…'`, `import '…'` and `import('…')`, over several lines.
const IMPORT =
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]|(?:^|[;\n])\s*import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function withoutComments(text) {
  return text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"\\])\/\/.*$/gm, '$1');
}

function resolveImport(from, specifier) {
  if (!specifier.startsWith('.')) return undefined;
  const base = resolve(dirname(from), specifier);
  const candidates = [base, `${base}.ts`, `${base}.tsx`, join(base, 'index.ts')];
  if (/\.m?js$/.test(base)) candidates.push(base.replace(/\.m?js$/, '.ts'));
  return candidates.find((path) => existsSync(path) && statSync(path).isFile());
}

/** Module → the modules it imports (values and types). */
export function importGraph(dir) {
  const graph = new Map();
  for (const file of sourceFiles(dir)) {
    const needs = new Set();
    for (const m of withoutComments(readFileSync(file, 'utf8')).matchAll(IMPORT)) {
      const [, , , , fromSpecifier, bareSpecifier, dynamicSpecifier] = m;
      const target = resolveImport(file, fromSpecifier ?? bareSpecifier ?? dynamicSpecifier);
      if (target && target.startsWith(dir)) needs.add(target);
    }
    graph.set(file, [...needs].sort());
  }
  return graph;
}

/** Each group of modules that reach one another (Tarjan): its members and one circle among them. */
export function findCycles(graph) {
  let index = 0;
  const indices = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const groups = [];
  const visit = (node) => {
    indices.set(node, index);
    low.set(node, index++);
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!indices.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node), low.get(next)));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node), indices.get(next)));
      }
    }
    if (low.get(node) === indices.get(node)) {
      const group = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      const selfImport = (graph.get(node) ?? []).includes(node);
      if (group.length > 1 || selfImport) groups.push(group.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!indices.has(node)) visit(node);
  return groups.map((members) => ({ members, circle: circleThrough(graph, new Set(members), members[0]) }));
}

/** A shortest path from start back to start inside the group, for a readable report. */
function circleThrough(graph, group, start) {
  const previous = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift();
    for (const next of graph.get(node) ?? []) {
      if (!group.has(next)) continue;
      if (next === start) {
        const path = [node];
        while (previous.get(path[0]) !== null) path.unshift(previous.get(path[0]));
        return [...path, start];
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const src = join(root, 'src');
  const cycles = findCycles(importGraph(src));
  if (cycles.length === 0) {
    console.log('No import cycles in src/');
  } else {
    const show = (files) => files.map((file) => relative(root, file));
    for (const { members, circle } of cycles) {
      console.error(`Import cycle: ${show(circle).join(' -> ')}`);
      if (members.length > circle.length - 1) console.error(`  (all of these reach one another: ${show(members).join(', ')})`);
    }
    process.exit(1);
  }
}
