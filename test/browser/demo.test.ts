// The browser demo, end to end in Debian's Chromium: the bundle builds, the page trains in
// its Web Worker on the wasm backend (loaded from the explicit URL the worker passes),
// reports relaxed SIMD, and gives a test RMSE that beats the global mean.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// @ts-expect-error: plain .mjs scripts without type declarations
import { buildDemo } from '../../demo/build.mjs';
// @ts-expect-error: plain .mjs scripts without type declarations
import { serveStatic } from '../../demo/serve.mjs';
import { generateSynthetic } from '../../src/data/synthetic.js';
import { toMovieLens100kFiles } from '../../src/data/movielens100k-files.js';

const CHROMIUM = '/usr/bin/chromium';
const IN_CI = process.env.CI === 'true' || process.env.CI === '1';
// Kept after the run (test-results/ is ignored by git): what the demo looked like.
const SCREENSHOT = join(fileURLToPath(new URL('../../test-results', import.meta.url)), 'demo.png');
/** Generous: a small model trains in well under a second; CI machines can be slow. */
const TRAIN_TIMEOUT_MS = 30_000;

interface Served {
  url: string;
  requests: { path: string; status: number; type: string }[];
  close(): Promise<void>;
}

// Outside CI a machine without Chromium skips (saying so); in CI that must be a failure,
// since .ci/run installs it.
const skip = !existsSync(CHROMIUM) && !IN_CI;
if (skip) console.warn(`test/browser: ${CHROMIUM} is missing, browser tests skipped (apt-get install chromium)`);

describe.skipIf(skip)('browser demo in Chromium', () => {
  let outdir = '';
  let profile = '';
  let server: Served;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: .ci/run should have installed Debian's chromium`);
    outdir = mkdtempSync(join(tmpdir(), 'wasmrec-demo-'));
    profile = mkdtempSync(join(tmpdir(), 'wasmrec-chromium-'));
    await buildDemo({ outdir });
    server = (await serveStatic({ root: outdir, port: 0 })) as Served;
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await context.newPage();
    page.on('pageerror', (err) => pageErrors.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') pageErrors.push(`console: ${msg.text()}`);
    });
    await page.goto(server.url);
  });

  afterAll(async () => {
    await context?.close();
    await server?.close();
    for (const dir of [outdir, profile]) if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Clicks Train and waits until the worker says done (or reports an error, which fails). */
  async function train(page: Page): Promise<void> {
    await page.click('#train');
    await page.waitForSelector('body[data-state="ready"], body[data-state="error"]', { timeout: TRAIN_TIMEOUT_MS });
    const state = await page.getAttribute('body', 'data-state');
    if (state !== 'ready') throw new Error(`demo failed: ${await page.textContent('#status')}`);
  }

  const listLength = (sel: string) => page.locator(`${sel} li`).count();

  it('is served cross-origin isolated, so SharedArrayBuffer is available', async () => {
    expect(await page.evaluate(() => [crossOriginIsolated, typeof SharedArrayBuffer])).toEqual([true, 'function']);
  });

  it("draws the chosen model's network (model.summary() as SVG) and redraws it when the choice changes", async () => {
    await page.check('#source-synthetic');
    await page.selectOption('#size', 'small');
    const drawn = async (model: string, part: string) => {
      await page.selectOption('#model', model);
      await page.waitForSelector(`#diagram[data-model="${model}"] svg`, { timeout: TRAIN_TIMEOUT_MS });
      const names = await page.$$eval('#diagram g.part', (gs) => gs.map((g) => g.getAttribute('data-name')));
      expect(names).toContain(part);
      expect(names[names.length - 1]).toBe('output');
      const params = Number(await page.getAttribute('#diagram', 'data-params'));
      expect(params).toBeGreaterThan(0);
      return params;
    };
    await drawn('two-tower', 'user_tower/dense0');
    await drawn('linear', 'user_linear');
    // MF on 300 users × 400 items with the default 100 factors and the biases.
    expect(await drawn('mf', 'user_factors')).toBe(301 * 100 + 401 * 100 + 301 + 401);
    expect(pageErrors).toEqual([]);
  });

  it('trains MF with wasm in the worker: finite RMSE below the baseline, relaxed SIMD, explicit wasm URL', async () => {
    await page.check('#source-synthetic');
    await page.selectOption('#size', 'small');
    await page.selectOption('#model', 'mf');
    await page.selectOption('#backend', 'wasm');
    await page.fill('#epochs', '8');
    await page.check('#compare');
    await train(page);

    const rmse = Number(await page.getAttribute('#rmse', 'data-value'));
    const baseline = Number(await page.getAttribute('#rmse', 'data-baseline'));
    expect(Number.isFinite(rmse)).toBe(true);
    // Node gives 0.93 against a 1.05 baseline for this data and model; 1.0 leaves room for
    // engine differences but not for a model that learned nothing.
    expect(rmse).toBeLessThan(1.0);
    expect(rmse).toBeLessThan(baseline - 0.05);
    expect(await listLength('#epoch-log')).toBe(8);
    // The chart: a line per series with a point per epoch; P@10 etc. next to the RMSE.
    expect(await page.getAttribute('#chart', 'data-points')).toBe('8');
    const lines = await page.$$eval('#chart polyline', (ps) => ps.map((p) => [p.getAttribute('data-series'), p.getAttribute('points')!.split(' ').length]));
    expect(lines).toEqual([['training loss', 8], ['validation rmse', 8]]);
    expect(Number(await page.getAttribute('#lists', 'data-auc'))).toBeGreaterThan(0.5);

    // Chromium validates relaxed SIMD, so the worker picks that build; the backend reports it.
    expect(await page.getAttribute('#backend-info', 'data-features')).toBe('relaxed-simd');
    const wasmRequests = server.requests.filter((r) => r.path.endsWith('.wasm'));
    expect(wasmRequests.length).toBeGreaterThan(0);
    // Every fetch went to the copy beside worker.js, with the type that allows streaming
    // compilation; none to the library's default ../../../build/ path.
    for (const r of wasmRequests) expect(r).toEqual({ path: '/wasmrec.relaxed.wasm', status: 200, type: 'application/wasm' });

    const wasmSeconds = Number(await page.getAttribute('#timing', 'data-wasm'));
    const jsSeconds = Number(await page.getAttribute('#timing', 'data-js'));
    expect(wasmSeconds).toBeGreaterThan(0);
    expect(jsSeconds).toBeGreaterThan(0);
    // The page kept drawing while the worker trained.
    expect(Number(await page.getAttribute('#heartbeat', 'data-frames'))).toBeGreaterThan(0);

    await page.click('#recommend');
    await page.waitForFunction(() => document.querySelectorAll('#recs li').length === 10);
    await page.click('#cold');
    await page.waitForFunction(() => document.querySelectorAll('#cold-recs li').length === 10);
    expect(await page.textContent('#cold-note')).toMatch(/uses no side features/);
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors).toEqual([]);
  });

  it('trains implicit MF, explains its list by the user\'s own items, downloads the model file and serves it again from an upload', async () => {
    await page.check('#source-synthetic');
    await page.selectOption('#size', 'small');
    await page.selectOption('#model', 'mf');
    await page.selectOption('#backend', 'wasm');
    await page.selectOption('#threads', '1');
    await page.fill('#epochs', '5');
    await page.uncheck('#compare');
    await page.check('#implicit');
    await train(page);
    expect(await page.textContent('#rmse')).toBe('implicit model: lists only');
    // Ranking the held-out positives: better than chance.
    expect(Number(await page.getAttribute('#lists', 'data-auc'))).toBeGreaterThan(0.6);
    expect(await page.$$eval('#chart polyline', (ps) => ps.map((p) => p.getAttribute('data-series')))).toEqual(['training loss', 'validation p@10']);

    await page.click('#recommend');
    await page.waitForFunction(() => document.querySelectorAll('#recs li').length === 10);
    const because = await page.$$eval('#recs li .because', (s) => s.map((x) => x.textContent));
    expect(because).toHaveLength(10);
    for (const b of because) expect(b).toMatch(/^ — because you liked Synthetic Movie \d+/);
    const firstList = await page.$$eval('#recs li', (lis) => lis.map((li) => li.getAttribute('data-id')));

    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download')]);
    expect(download.suggestedFilename()).toBe('mf.wasmrec');
    const file = join(outdir, 'downloaded.wasmrec');
    await download.saveAs(file);
    await page.setInputFiles('#upload', file);
    await page.waitForFunction(() => document.getElementById('status')!.textContent!.startsWith('serving downloaded.wasmrec'));
    await page.click('#recommend');
    await page.waitForFunction(() => document.querySelectorAll('#recs li').length === 10);
    // The uploaded file serves the same list.
    expect(await page.$$eval('#recs li', (lis) => lis.map((li) => li.getAttribute('data-id')))).toEqual(firstList);
    await page.uncheck('#implicit');
    expect(pageErrors).toEqual([]);
  });

  it('trains MF on 2 threads: the pool starts a nested module Web Worker on shared WASM memory (DSGD)', async () => {
    await page.check('#source-synthetic');
    await page.selectOption('#size', 'medium');
    await page.selectOption('#model', 'mf');
    await page.selectOption('#backend', 'wasm');
    await page.selectOption('#threads', '2');
    await page.fill('#epochs', '8');
    await page.uncheck('#compare');
    const before = server.requests.length;
    await train(page);
    expect(await page.getAttribute('#backend-info', 'data-threads')).toBe('2');
    expect(await page.getAttribute('#backend-info', 'data-features')).toBe('simd-shared');
    const rmse = Number(await page.getAttribute('#rmse', 'data-value'));
    const baseline = Number(await page.getAttribute('#rmse', 'data-baseline'));
    expect(rmse).toBeLessThan(baseline - 0.05);
    // The shared build and the pool's worker script came from beside the demo's worker.
    const fetched = server.requests.slice(before).map((r) => `${r.path} ${r.status}`);
    expect(fetched).toContain('/wasmrec.shared.wasm 200');
    expect(fetched).toContain('/pool-worker.js 200');
    await page.selectOption('#threads', '1');
    expect(pageErrors).toEqual([]);
  });

  it('gives a new user recommendations from their profile with the two-tower model', async () => {
    await page.selectOption('#model', 'two-tower');
    await page.fill('#epochs', '3');
    await page.uncheck('#compare');
    await train(page);
    const coldList = async (age: string, gender: string, occupation: string) => {
      await page.fill('#age', age);
      await page.selectOption('#gender', gender);
      await page.selectOption('#occupation', occupation);
      await page.evaluate(() => document.getElementById('cold-recs')!.replaceChildren());
      await page.click('#cold');
      await page.waitForFunction(() => document.querySelectorAll('#cold-recs li').length === 10);
      return page.locator('#cold-recs li').evaluateAll((lis) => lis.map((li) => li.textContent));
    };
    const young = await coldList('19', 'F', 'student');
    const retired = await coldList('68', 'M', 'retired');
    expect(await page.textContent('#cold-note')).toMatch(/recommendForFeatures/);
    // Scores (and so the lists) must depend on the profile: features carry the prediction.
    expect(retired).not.toEqual(young);
    expect(pageErrors).toEqual([]);
  });

  it('trains on MovieLens 100K files picked with the file input (Blobs read in the worker), on js', async () => {
    const files = toMovieLens100kFiles(generateSynthetic({ nUsers: 120, nItems: 150, nRatings: 5000, seed: 9 }));
    const picked = ['u.data', 'u.user', 'u.item', 'u1.base', 'u1.test'].map((name) => ({ name, mimeType: 'text/plain', buffer: Buffer.from(files[name], 'latin1') }));
    await page.setInputFiles('#files', picked);
    expect(await page.isChecked('#source-files')).toBe(true);
    await page.selectOption('#model', 'mf');
    await page.selectOption('#backend', 'js');
    await page.fill('#epochs', '5');
    await train(page);
    expect(await page.textContent('#data-info')).toMatch(/120 users × 150 items; split u1\.base \/ u1\.test: 4000 train \/ 1000 test/);
    expect(await page.getAttribute('#backend-info', 'data-features')).toBe('scalar');
    expect(Number.isFinite(Number(await page.getAttribute('#rmse', 'data-value')))).toBe(true);
    await page.fill('#user', '1');
    await page.click('#recommend');
    await page.waitForFunction(() => document.querySelectorAll('#recs li').length === 10);
    expect(pageErrors).toEqual([]);
  });
});
