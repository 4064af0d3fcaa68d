// Bundles the demo into demo/dist/: the page script, the worker, the thread pool's worker,
// index.html and the three .wasm builds (SIMD, relaxed SIMD, shared memory). Usage: node demo/build.mjs (after `npm run build`, which makes build/*.wasm).

import { copyFile, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
export const DEMO_OUTDIR = join(here, 'dist');
const WASM_FILES = ['wasmrec.simd.wasm', 'wasmrec.relaxed.wasm', 'wasmrec.shared.wasm'];

/**
 * Builds the demo into `outdir` (emptied first) and returns the files written.
 *
 * @example
 * await buildDemo({ outdir: '/tmp/demo' });
 */
export async function buildDemo({ outdir = DEMO_OUTDIR, minify = true } = {}) {
  const wasmDir = resolve(here, '../build');
  const missing = WASM_FILES.filter((f) => !existsSync(join(wasmDir, f)));
  if (missing.length > 0) throw new Error(`demo: ${missing.join(', ')} missing in build/: run \`npm run build\` first`);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    // Two separate bundles: the worker is loaded by URL (`new URL('./worker.js', import.meta.url)`),
    // so it must be a file of its own next to main.js.
    // The thread pool's worker (../src/parallel/worker.ts) is a third file: the demo's worker
    // starts it by URL when asked for threads.
    entryPoints: [
      { in: join(here, 'main.ts'), out: 'main' },
      { in: join(here, 'worker.ts'), out: 'worker' },
      { in: join(here, '../src/parallel/worker.ts'), out: 'pool-worker' },
    ],
    outdir,
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome114', 'firefox120', 'safari16.4'],
    minify,
    sourcemap: 'linked',
    metafile: true,
    logLevel: 'silent',
  });
  // esbuild does not copy files named by `new URL('…', import.meta.url)`: the worker names
  // these copies explicitly (see wasmUrl in worker.ts).
  await Promise.all([
    copyFile(join(here, 'index.html'), join(outdir, 'index.html')),
    ...WASM_FILES.map((f) => copyFile(join(wasmDir, f), join(outdir, f))),
  ]);
  return [...Object.keys(result.metafile.outputs).map((p) => resolve(p)), join(outdir, 'index.html'), ...WASM_FILES.map((f) => join(outdir, f))];
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  try {
    const files = await buildDemo();
    console.log(`demo built in ${DEMO_OUTDIR}: ${files.filter((f) => !f.endsWith('.map')).map((f) => f.slice(DEMO_OUTDIR.length + 1)).join(', ')}`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
