// Alternating epochs between systems: every system runs epoch e before any runs epoch e+1,
// so a slow spell on the machine lands on all of them instead of on whoever ran then.

import { summarize } from './stats.js';

/**
 * Drives a training run one epoch at a time. `start(onEpochEnd)` begins training and must
 * await `onEpochEnd(info)` after each epoch (wasmrec's fit awaits its onEpochEnd callback);
 * the run stays paused there until the next step().
 */
export function epochStepper(start) {
  let resume = null;
  let pending = null;
  let running = null;
  const onEpochEnd = (info) =>
    new Promise((res) => {
      resume = res;
      const p = pending;
      pending = null;
      p?.resolve(info);
    });
  return {
    /** Runs one more epoch; resolves with what the trainer passed to onEpochEnd. */
    step() {
      return new Promise((resolve, reject) => {
        pending = { resolve, reject };
        if (!running) {
          running = start(onEpochEnd).then(
            () => pending?.reject(new Error('training ended before the requested epoch')),
            (err) => {
              pending?.reject(err);
              throw err;
            },
          );
          running.catch(() => {});
        } else {
          const r = resume;
          resume = null;
          r();
        }
      });
    },
    /** Lets the paused run return (so fit can free its training buffers). */
    async finish() {
      const r = resume;
      resume = null;
      r?.();
      await running;
    },
  };
}

/**
 * Runs `epochs` epochs of each system, alternating (rotating who goes first). Each system
 * is { name, step(): Promise<info>, finish?() }. A system whose step throws is dropped and
 * its error kept. Returns per system { epochMs[], infos[], error? }.
 */
export async function alternateEpochs(systems, epochs, onEpoch = () => {}) {
  const results = systems.map(() => ({ epochMs: [], infos: [], error: null }));
  for (let e = 0; e < epochs; e++) {
    for (let j = 0; j < systems.length; j++) {
      const k = (j + e) % systems.length;
      if (results[k].error) continue;
      const t0 = performance.now();
      try {
        const info = await systems[k].step();
        results[k].epochMs.push(performance.now() - t0);
        results[k].infos.push(info);
        onEpoch(systems[k].name, e, performance.now() - t0);
      } catch (err) {
        results[k].error = err;
      }
    }
  }
  for (let k = 0; k < systems.length; k++) {
    if (!results[k].error) await systems[k].finish?.();
  }
  return results;
}

/** First epoch on its own (compilation, allocation, warm-up), the rest summarised. */
export function epochSummary(epochMs) {
  return { first: epochMs[0] ?? NaN, steady: summarize(epochMs.slice(1)) };
}
