// The layers of src/ as the README draws them, checked on the import graph so they stay
// true: no module imports one of a higher layer, and no modules import each other in a
// circle (type-only imports count: they tie the files' meaning together just as much).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/** Lowest first. A module may import its own folder and any folder of a lower layer. */
const LAYERS: readonly string[][] = [
  ['random.ts', 'version.ts'],
  ['backends', 'parallel'], // the kernels, and the threads that run them on shared memory
  ['data'],
  ['preprocessing'],
  ['training'],
  ['nn'],
  ['models'],
  ['analysis', 'evaluation', 'io'],
  ['cli'],
  ['index.ts', 'node.ts'],
];

/**
 * Folders of one layer that may import each other (file-level circles are still refused):
 * createBackend starts a pool and the pool runs the backend's kernels; node.ts re-exports
 * index.ts.
 */
const ALLOWED_SAME_LAYER = new Set(['backends -> parallel', 'parallel -> backends', 'node.ts -> index.ts']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : path.endsWith('.ts') ? [path] : [];
  });
}

/** Relative imports and re-exports of a file, as paths of .ts files under src/. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'";]*?\bfrom\s+['"](\.{1,2}\/[^'"]+)['"]/g), ...text.matchAll(/\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g)].map((m) => m[1]);
  return specs.map((s) => relative(SRC, resolve(dirname(file), s)).replace(/\.js$/, '.ts'));
}

const top = (path: string) => path.split('/')[0];
const layerOf = (path: string) => LAYERS.findIndex((l) => l.includes(top(path)));

const graph = new Map(sourceFiles(SRC).map((f) => [relative(SRC, f), importsOf(f)]));

describe('the import graph of src/', () => {
  it('knows every top-level folder and file', () => {
    const unknown = [...new Set([...graph.keys()].map(top))].filter((t) => layerOf(t) < 0);
    expect(unknown).toEqual([]);
  });

  it('every relative import names a file that exists', () => {
    const missing = [...graph].flatMap(([from, to]) => to.filter((t) => !graph.has(t)).map((t) => `${from} -> ${t}`));
    expect(missing).toEqual([]);
  });

  it('no module imports from a higher layer, or across folders of one layer', () => {
    const wrong: string[] = [];
    for (const [from, targets] of graph) {
      for (const to of targets) {
        if (top(from) === top(to)) continue;
        const edge = `${top(from)} -> ${top(to)}`;
        if (layerOf(to) > layerOf(from) || (layerOf(to) === layerOf(from) && !ALLOWED_SAME_LAYER.has(edge))) wrong.push(`${from} -> ${to}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no modules import each other in a circle', () => {
    // Tarjan's strongly connected components; every component must be a single file.
    const index = new Map<string, number>();
    const low = new Map<string, number>();
    const stack: string[] = [];
    const onStack = new Set<string>();
    const circles: string[][] = [];
    let next = 0;
    const visit = (v: string) => {
      index.set(v, next);
      low.set(v, next++);
      stack.push(v);
      onStack.add(v);
      for (const w of graph.get(v) ?? []) {
        if (!graph.has(w)) continue;
        if (!index.has(w)) {
          visit(w);
          low.set(v, Math.min(low.get(v)!, low.get(w)!));
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1) circles.push(scc.sort());
      }
    };
    for (const v of graph.keys()) if (!index.has(v)) visit(v);
    expect(circles).toEqual([]);
  });

  it('finds the layering wrong when it is (the check itself can fail)', () => {
    expect(layerOf('models/mf.ts')).toBeGreaterThan(layerOf('backends/backend.ts'));
    expect(importsOf(join(SRC, 'node.ts'))).toContain('index.ts');
  });
});
