// The pool's worker for tests, bundled from src/ with esbuild: Node cannot start a
// TypeScript worker, and the built one in dist/ may be older than the source under test.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const WORKER_SOURCE = fileURLToPath(new URL('../../src/parallel/worker.ts', import.meta.url));

/**
 * Bundles src/parallel/worker.ts into a fresh temporary folder; `url` goes to
 * createBackend's `workerUrl`, `dispose` removes the folder.
 *
 * @example
 * const worker = await bundleWorker();
 * const be = await createBackend('wasm', { threads: 2, workerUrl: worker.url });
 */
export async function bundleWorker(): Promise<{ url: URL; dispose(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmrec-worker-'));
  const outfile = join(dir, 'worker.mjs');
  await build({ entryPoints: [WORKER_SOURCE], outfile, bundle: true, format: 'esm', platform: 'node', target: 'node20', logLevel: 'silent' });
  return { url: pathToFileURL(outfile), dispose: () => rm(dir, { recursive: true, force: true }) };
}
