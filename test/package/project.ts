// Fresh consumer projects for the package tests: `npm pack` of this checkout unpacked as
// node_modules/wasmrec, its dependencies linked from this checkout (no network).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; version: string };

/** `npm pack` of the built checkout; returns the tarball's path. */
export function packTarball(): string {
  if (!existsSync(join(ROOT, 'dist/index.js')) || !existsSync(join(ROOT, 'build/wasmrec.simd.wasm'))) throw new Error('build first (npm run build)');
  const out = mkdtempSync(join(tmpdir(), 'wasmrec-pack-'));
  execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', out], { cwd: ROOT, stdio: 'ignore' });
  return join(out, readdirSync(out).find((f) => f.endsWith('.tgz'))!);
}

/** A fresh project with the unpacked tarball as node_modules/wasmrec; `extra` dev tools are linked too. */
export function project(tarball: string, type: 'module' | 'commonjs', extra: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), `wasmrec-consumer-${type}-`));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type }));
  const modules = join(dir, 'node_modules');
  mkdirSync(join(modules, 'wasmrec'), { recursive: true });
  execFileSync('tar', ['xzf', tarball, '-C', join(modules, 'wasmrec'), '--strip-components=1']);
  mkdirSync(join(modules, '@types'), { recursive: true });
  for (const dep of [...Object.keys(pkg.dependencies), '@types/node', ...extra]) symlinkSync(join(ROOT, 'node_modules', dep), join(modules, dep), 'dir');
  return dir;
}

export const packageVersion = pkg.version;
