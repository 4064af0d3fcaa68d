// For the tests that run the CLI as installed (bin/wasmrec.js → dist/): they must fail, not
// skip or quietly test older code, when dist/ is missing or older than src/.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

/**
 * What is wrong with dist/ (each src/X.ts needs a dist/X.js at least as new), or null when
 * it is up to date. tsc (tsconfig.build.json, not incremental) rewrites every output, so a
 * build after the last source change makes every output newer.
 *
 * @example
 * const stale = staleDist(); // "dist/cli/main.js is older than src/cli/main.ts: run `npm run build:ts`"
 */
export function staleDist(): string | null {
  const src = join(ROOT, 'src');
  for (const file of sources(src)) {
    const rel = relative(src, file);
    const built = join(ROOT, 'dist', rel.replace(/\.ts$/, '.js'));
    if (!existsSync(built)) return `dist/${relative(join(ROOT, 'dist'), built)} is missing: run \`npm run build:ts\``;
    if (statSync(built).mtimeMs < statSync(file).mtimeMs) return `dist/${relative(join(ROOT, 'dist'), built)} is older than src/${rel}: run \`npm run build:ts\``;
  }
  return null;
}

/** Throws (for a beforeAll) when dist/ is missing or older than src/. */
export function requireFreshDist(): void {
  const stale = staleDist();
  if (stale) throw new Error(`these tests run the built CLI, and ${stale}`);
}
