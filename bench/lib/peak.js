// Runs bench/train/peak.js in a fresh process and returns its JSON (or null on failure).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../train/peak.js', import.meta.url));

/** Peak RSS of training `epochs` epochs of model `id` on `system`, plus predict and top-k. */
export function peakMemory(id, system, epochs = 2) {
  const res = spawnSync(process.execPath, ['--expose-gc', SCRIPT, id, system, String(epochs)], { encoding: 'utf8' });
  if (res.status !== 0) {
    process.stderr.write(`  peak memory of ${id} on ${system} failed: ${res.stderr.split('\n').slice(-3).join(' ')}\n`);
    return null;
  }
  return JSON.parse(res.stdout.trim().split('\n').pop());
}
