// Every TypeScript/JavaScript example in README.md and docs/ runs as written (against the
// built package, with '../shared/data' meaning the test data), so the docs cannot rot. A block
// that cannot run in Node says why in a `<!-- not-run: reason -->` line right above it.
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { transformSync } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { DATA_DIR, HAVE_ML100K } from '../data/datadir.js';
import { requireFreshDist } from '../fresh-dist.js';

const ROOT = resolve(__dirname, '../..');
// Inside the repository, so that bare imports (papaparse) resolve from its node_modules.
const WORK = join(ROOT, 'node_modules/.cache/wasmrec-doc-examples');

interface Example {
  where: string;
  code: string;
  skip: string | null;
}

/** The ts/js fences of a Markdown file, with the not-run reason above each, if any. */
function examplesOf(file: string): Example[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const out: Example[] = [];
  for (let i = 0; i < lines.length; i++) {
    const fence = /^```(ts|typescript|js|javascript)\s*$/.exec(lines[i]);
    if (!fence) continue;
    const end = lines.indexOf('```', i + 1);
    const marker = /^<!-- not-run: (.+) -->$/.exec(lines[i - 1] ?? '');
    out.push({ where: `${file.slice(ROOT.length + 1)}:${i + 1}`, code: lines.slice(i + 1, end).join('\n'), skip: marker ? marker[1] : null });
    i = end;
  }
  return out;
}

const files = [join(ROOT, 'README.md'), ...readdirSync(join(ROOT, 'docs')).filter((f) => f.endsWith('.md')).map((f) => join(ROOT, 'docs', f))];
const examples = files.flatMap(examplesOf);

/** The example as a Node ES module: TypeScript stripped, the package and the data paths pointed at this checkout. */
function asModule(code: string): string {
  const js = transformSync(code, { loader: 'ts', format: 'esm', target: 'es2022' }).code;
  return js
    .replace(/from (['"])wasmrec\1/g, `from '${pathToFileURL(join(ROOT, 'dist/index.js')).href}'`)
    .replace(/from (['"])wasmrec\/node\1/g, `from '${pathToFileURL(join(ROOT, 'dist/node.js')).href}'`)
    .replace(/(['"])\.\.\/shared\/data/g, `$1${DATA_DIR}`);
}

describe.runIf(HAVE_ML100K)('examples in the docs', () => {
  beforeAll(() => {
    requireFreshDist();
    mkdirSync(WORK, { recursive: true });
  });

  it('every example either runs or says why it cannot', () => {
    expect(examples.length).toBeGreaterThan(8);
    for (const e of examples) if (e.skip !== null) expect(e.skip.length, e.where).toBeGreaterThan(10);
  });

  it.each(examples.filter((e) => e.skip === null).map((e) => [e.where, e] as const))('%s runs', async (where, e) => {
    const file = join(WORK, `${where.replace(/[^\w]/g, '_')}.mjs`);
    writeFileSync(file, asModule(e.code));
    try {
      await promisify(execFile)(process.execPath, [file], { cwd: WORK, timeout: 120_000 });
    } catch (err) {
      const { stderr } = err as { stderr?: string };
      throw new Error(`${where} failed:\n${stderr ?? err}`);
    }
  }, 150_000);
});
