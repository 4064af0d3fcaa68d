// Builds dist/edge/wasmrec.mjs: the core entry as one ESM file with no imports at all, for
// edge runtimes (Cloudflare Workers, Vercel Edge, Deno Deploy) that import it as is and
// hand the .wasm to createBackend('wasm', { wasm }) as a WebAssembly.Module.
//
// Usage: node scripts/build-edge.mjs [outfile]   (default dist/edge/wasmrec.mjs)

import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const EDGE_ENTRY = resolve(root, 'src/index.ts');
export const EDGE_OUTFILE = resolve(root, 'dist/edge/wasmrec.mjs');

/**
 * Bundles the core for edge runtimes and checks that nothing from Node got in.
 * `plugins` exists for the test that injects a Node import to prove the check fails.
 *
 * @example
 * const { outfile, bytes } = await buildEdge({ outfile: '/tmp/x/wasmrec.mjs' });
 */
export async function buildEdge({ outfile = EDGE_OUTFILE, plugins = [], minify = false } = {}) {
  const result = await build({
    entryPoints: [EDGE_ENTRY],
    outfile,
    bundle: true,
    format: 'esm',
    // 'neutral' assumes neither Node nor a browser: a Node built-in fails to resolve, which
    // is the point. Web-worker-like conditions and main fields pick the builds of
    // dependencies meant for browsers (papaparse's main file requires 'stream').
    platform: 'neutral',
    conditions: ['worker', 'browser'],
    mainFields: ['browser', 'module', 'main'],
    target: 'es2022',
    minify,
    sourcemap: false,
    legalComments: 'eof',
    metafile: true,
    logLevel: 'silent',
    plugins,
  });
  const builtins = new Set(builtinModules);
  const nodeImports = Object.values(result.metafile.inputs)
    .flatMap((input) => input.imports.map((i) => i.path))
    .filter((p) => p.startsWith('node:') || builtins.has(p));
  if (nodeImports.length > 0) throw new Error(`edge bundle imports Node built-ins: ${[...new Set(nodeImports)].join(', ')}`);
  const out = Object.entries(result.metafile.outputs).find(([path]) => resolve(path) === resolve(outfile));
  // What the written file still imports. A computed specifier, like the core's guarded
  // `import(NODE_FS)` that only runs for file: URLs under Node, is not listed.
  return { outfile, bytes: out ? out[1].bytes : 0, imports: out ? out[1].imports : [], warnings: result.warnings };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const outfile = process.argv[2] ? resolve(process.argv[2]) : EDGE_OUTFILE;
  try {
    const { bytes } = await buildEdge({ outfile });
    console.log(`wrote ${outfile} (${(bytes / 1024).toFixed(0)} KiB); pass the wasm module: createBackend('wasm', { wasm: module })`);
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  }
}
