// examples/cloudflare: the Worker bundled as wrangler's rules say (the .wasm as a compiled
// WebAssembly.Module, the saved model as an ArrayBuffer, both inside the one script), then
// asked for lists through its fetch handler.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { buildModel } from '../../src/models/factory.js';
import { serializeModel } from '../../src/io/model-file.js';
import { requireFreshDist } from '../fresh-dist.js';

const ROOT = resolve(__dirname, '../..');

/** wrangler.toml's [[rules]], as an esbuild plugin: CompiledWasm → WebAssembly.Module, Data → ArrayBuffer. */
function wranglerRules(toml: string): Plugin {
  const rules = [...toml.matchAll(/\[\[rules\]\]\s*type = "(\w+)"\s*globs = \["\*\*\/\*\.(\w+)"\]/g)].map((m) => ({ type: m[1], ext: m[2] }));
  return {
    name: 'wrangler-rules',
    setup(b) {
      for (const { type, ext } of rules) {
        b.onLoad({ filter: new RegExp(`\\.${ext}$`) }, (args) => {
          const base64 = readFileSync(args.path).toString('base64');
          const bytes = `Uint8Array.from(atob(${JSON.stringify(base64)}), (c) => c.charCodeAt(0))`;
          return { contents: type === 'CompiledWasm' ? `export default new WebAssembly.Module(${bytes});` : `export default ${bytes}.buffer;`, loader: 'js' };
        });
      }
    },
  };
}

describe('examples/cloudflare', () => {
  let worker: { fetch(request: Request): Promise<Response> };

  beforeAll(async () => {
    requireFreshDist();
    const dir = mkdtempSync(join(tmpdir(), 'wasmrec-cloudflare-'));
    cpSync(join(ROOT, 'examples/cloudflare'), dir, { recursive: true });
    const data = generateSynthetic({ nUsers: 120, nItems: 90, nRatings: 4000, seed: 9 });
    const { model } = buildModel('two-tower', await createBackend('wasm'), data, data.ratings, { head: 'dot' });
    await model.fit(data.ratings, { epochs: 2 });
    writeFileSync(join(dir, 'model.wasmrec'), serializeModel(model));
    const toml = readFileSync(join(dir, 'wrangler.toml'), 'utf8');
    const main = /^main = "(.+)"$/m.exec(toml)![1];
    const outfile = join(dir, 'dist/worker.mjs');
    await build({
      entryPoints: [join(dir, main)],
      outfile,
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      alias: { 'wasmrec/edge': join(ROOT, 'dist/edge/wasmrec.mjs'), 'wasmrec/wasm/simd': join(ROOT, 'build/wasmrec.simd.wasm') },
      plugins: [wranglerRules(toml)],
      logLevel: 'silent',
    });
    worker = ((await import(pathToFileURL(outfile).href)) as { default: typeof worker }).default;
  }, 60_000);

  const get = async (path: string) => {
    const res = await worker.fetch(new Request(`https://worker.example${path}`));
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('recommends for a known user, a brand-new user from features, and items like an item', async () => {
    const known = await get('/recommend?user=1&k=5');
    expect(known.status).toBe(200);
    expect(known.body.basis).toBe('known user');
    expect((known.body.items as unknown[]).length).toBe(5);
    const fresh = await get('/recommend?age=30&gender=F&k=3');
    expect(fresh.status).toBe(200);
    expect((fresh.body.items as { item: string }[]).map((r) => typeof r.item)).toEqual(['string', 'string', 'string']);
    const similar = await get('/similar?item=1&k=4');
    expect((similar.body.items as { item: string }[]).some((r) => r.item === '1')).toBe(false);
  });

  it('answers bad requests with a status and a reason', async () => {
    expect((await get('/recommend?user=1&k=0')).status).toBe(400);
    expect((await get('/recommend')).status).toBe(400);
    expect((await get('/similar?item=no-such')).status).toBe(404);
    expect((await get('/nowhere')).status).toBe(404);
  });
});
