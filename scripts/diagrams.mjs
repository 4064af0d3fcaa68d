// Regenerates the README's network diagrams (docs/diagrams/*.svg) with the CLI, on MovieLens
// 100K u1: `npm run diagrams`. test/cli/summary.test.ts fails when they are stale.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const data = process.env.WASMREC_DATA ?? resolve(root, '../shared/data');
/** File name → the `wasmrec train` model flags it shows. */
export const DIAGRAMS = {
  'linear.svg': ['--model', 'linear'],
  'two-tower-mlp.svg': ['--model', 'two-tower', '--head', 'mlp'],
  'two-tower-dot.svg': ['--model', 'two-tower', '--head', 'dot'],
};

const tmp = mkdtempSync(join(tmpdir(), 'wasmrec-diagrams-'));
try {
  for (const [file, flags] of Object.entries(DIAGRAMS)) {
    const model = join(tmp, 'model.wasmrec');
    const cli = (args) => execFileSync(process.execPath, [join(root, 'bin/wasmrec.js'), ...args], { stdio: ['ignore', 'ignore', 'inherit'] });
    cli(['train', '--data', data, '--split', 'u1', ...flags, '--epochs', '1', '--save', model]);
    cli(['summary', '--model-file', model, '--svg', join(root, 'docs/diagrams', file)]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
