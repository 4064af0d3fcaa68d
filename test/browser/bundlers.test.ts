// The README's bundler recipes, from the packed package in a fresh project: the app in
// examples/bundlers built by esbuild (and by Vite), served cross-origin isolated, run in
// Debian's Chromium on one thread and on two.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs script without type declarations
import { serveStatic } from '../../demo/serve.mjs';
import { packTarball, project, ROOT } from '../package/project.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
const skip = !existsSync(CHROMIUM) && !IN_CI;

interface Served {
  url: string;
  close(): Promise<void>;
}

describe.skipIf(skip)('bundler recipes in Chromium', () => {
  let browser: Browser;
  let tarball = '';
  const servers: Served[] = [];

  beforeAll(async () => {
    tarball = packTarball();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
  });

  /** Builds the recipe with `build` (a command run in the project), serves `outdir`, runs the app on 1 and 2 threads. */
  async function check(tools: string[], build: string[], outdir: string, page = '') {
    const dir = project(tarball, 'module', tools);
    cpSync(join(ROOT, 'examples/bundlers'), dir, { recursive: true });
    execFileSync(process.execPath, build, { cwd: dir, stdio: 'pipe' });
    const server = (await serveStatic({ root: join(dir, outdir), port: 0 })) as Served;
    servers.push(server);
    const pageName = page;
    for (const threads of [1, 2]) {
      const page = await browser.newPage();
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(`${server.url}${pageName}?threads=${threads}`);
      await page.waitForSelector('body[data-done="yes"]', { timeout: 30_000 });
      expect(errors).toEqual([]);
      expect(await page.getAttribute('body', 'data-threads')).toBe(String(threads));
      expect(Number(await page.getAttribute('body', 'data-rmse'))).toBeLessThan(1.0);
      await page.close();
    }
  }

  it('esbuild: the .wasm files by the file loader, the pool worker as a second entry from wasmrec/worker', async () => {
    await check(['esbuild'], ['build-esbuild.mjs', 'public'], 'public');
  }, 120_000);

  it('Vite: ?url for the .wasm files, ?worker&url for the pool worker, vite build', async () => {
    await check(['vite'], ['node_modules/vite/bin/vite.js', 'build', '--config', 'vite.config.mjs', '--logLevel', 'warn'], 'vite-dist', 'vite.html');
  }, 120_000);
});

