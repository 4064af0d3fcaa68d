// The packed package as users get it: `npm pack` of this checkout, unpacked into fresh
// projects, then imported (ESM), required (CommonJS) and type-checked by TypeScript with the
// module resolutions projects use. Needs the build (dist/, build/*.wasm), as `npm test` after
// `npm ci` has it.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { packageVersion, packTarball, project, ROOT } from './project.js';

const TSC = join(ROOT, 'node_modules/typescript/bin/tsc');

const node = (dir: string, file: string) => execFileSync(process.execPath, [file], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

function typecheck(dir: string, compilerOptions: Record<string, unknown>, source: string, file = 'index.ts'): string {
  writeFileSync(join(dir, file), source);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({ compilerOptions: { strict: true, noEmit: true, target: 'ES2022', lib: ['ES2022', 'DOM'], types: ['node'], ...compilerOptions }, files: [file] }));
  try {
    return execFileSync(process.execPath, [TSC, '-p', dir], { cwd: dir, encoding: 'utf8' });
  } catch (err) {
    throw new Error(`tsc ${JSON.stringify(compilerOptions)} failed:\n${(err as { stdout?: string }).stdout}`);
  }
}

const USE = `
const backend = await createBackend('wasm');
const data = generateSynthetic({ nUsers: 50, nItems: 40, nRatings: 1000, seed: 1 });
const { model } = buildModel('mf', backend, data, data.ratings, { factors: 4 });
await model.fit(data.ratings, { epochs: 1 });
const list = model.recommend(data.userIndex.ids[0], 3);
console.log(backend.name, list.length, typeof loadDataset);
`;

describe('the packed package in fresh projects', () => {
  let tarball = '';

  beforeAll(() => {
    tarball = packTarball();
  }, 60_000);

  it('ships LICENSE, dist/edge and source maps that carry their sources (src/ is not shipped)', () => {
    const list = execFileSync('tar', ['tzf', tarball], { encoding: 'utf8' }).split('\n');
    expect(list).toContain('package/LICENSE');
    expect(list).toContain('package/dist/edge/wasmrec.mjs');
    expect(list.some((f) => f.startsWith('package/src/'))).toBe(false);
    const dir = project(tarball, 'module');
    const map = JSON.parse(readFileSync(join(dir, 'node_modules/wasmrec/dist/index.js.map'), 'utf8')) as { sourcesContent?: string[] };
    expect(map.sourcesContent?.[0]).toContain('export');
  });

  it('ESM: import works, the wasm build is found inside the package, types check with node16 and bundler resolution', async () => {
    const dir = project(tarball, 'module');
    writeFileSync(join(dir, 'main.mjs'), `import { createBackend, buildModel, generateSynthetic } from 'wasmrec';\nimport { loadDataset } from 'wasmrec/node';\n${USE}`);
    expect(node(dir, 'main.mjs').trim()).toBe('wasm 3 function');
    const ts = `import { createBackend, buildModel, generateSynthetic } from 'wasmrec';\nimport { loadDataset } from 'wasmrec/node';\nimport wasmUrl from 'wasmrec/wasm/simd';\nconst url: string = wasmUrl;\nvoid url;\n${USE}\nconst typed: { item: string; score: number }[] = list;\nvoid typed;\n`;
    typecheck(dir, { module: 'node16', moduleResolution: 'node16' }, ts);
    typecheck(dir, { module: 'esnext', moduleResolution: 'bundler' }, ts);
  }, 60_000);

  it('CommonJS: require works (Node ≥ 20.19 loads the ES modules), and TypeScript with nodenext compiles an import of it to require', () => {
    const dir = project(tarball, 'commonjs');
    writeFileSync(join(dir, 'main.cjs'), `const { createBackend, buildModel, generateSynthetic } = require('wasmrec');\nconst { loadDataset } = require('wasmrec/node');\n(async () => {${USE}})();`);
    expect(node(dir, 'main.cjs').trim()).toBe('wasm 3 function');
    typecheck(dir, { module: 'nodenext', moduleResolution: 'nodenext' }, `import { createBackend, buildModel, generateSynthetic } from 'wasmrec';\nimport { loadDataset } from 'wasmrec/node';\n(async () => {${USE}})();`, 'index.cts');
  }, 60_000);

  it('runs nothing when installed: no install-time scripts (npm 11 warns about them)', () => {
    const dir = project(tarball, 'module');
    const shipped = JSON.parse(readFileSync(join(dir, 'node_modules/wasmrec/package.json'), 'utf8')) as { scripts?: Record<string, string> };
    for (const hook of ['preinstall', 'install', 'postinstall', 'prepare']) expect(shipped.scripts?.[hook], hook).toBeUndefined();
  });

  it('the exports map names every file it points to, and the package version matches', () => {
    const dir = project(tarball, 'module');
    const shipped = JSON.parse(readFileSync(join(dir, 'node_modules/wasmrec/package.json'), 'utf8')) as { version: string; exports: Record<string, string | Record<string, string>> };
    expect(shipped.version).toBe(packageVersion);
    for (const [entry, target] of Object.entries(shipped.exports)) {
      for (const file of typeof target === 'string' ? [target] : Object.values(target)) {
        expect(existsSync(join(dir, 'node_modules/wasmrec', file)), `${entry} → ${file}`).toBe(true);
      }
    }
  });
});
