// The core entry must run in browsers, workers and edge runtimes: bundling it for the
// browser must succeed without any Node built-in (fs, path, Buffer, http, node:*).
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';

const entry = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/index.ts');

describe('src/index.ts', () => {
  it('bundles for the browser with no Node built-in imports', async () => {
    const result = await build({ entryPoints: [entry], bundle: true, platform: 'browser', format: 'esm', write: false, metafile: true, logLevel: 'silent' });
    expect(result.errors).toEqual([]);
    const imported = Object.values(result.metafile.inputs).flatMap((input) => input.imports.map((i) => i.path));
    const builtins = new Set(builtinModules);
    expect(imported.filter((p) => p.startsWith('node:') || builtins.has(p))).toEqual([]);
    const code = result.outputFiles[0].text;
    expect(code).not.toMatch(/from\s*["']node:|require\(["'](node:)?(fs|path|http|https|os|crypto|stream|buffer)["']\)/);
    expect(code).not.toMatch(/\bBuffer\.(from|alloc)/);
  });
});
