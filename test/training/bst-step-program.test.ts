// BST as recorded step programs: every objective trains the same bit for bit whether each
// batch runs as one recorded program or kernel by kernel, although its count of scored
// positions differs per batch (a symbolic count, src/backends/program-counts.ts); and a
// step crosses into the kernels once.
import { describe, expect, it } from 'vitest';
import { Backend } from '../../src/backends/backend.js';
import { createBackend, type BackendName } from '../../src/backends/index.js';
import { KERNEL_NAMES, type Kernels } from '../../src/backends/kernels.js';
import { BST, type BstOptions } from '../../src/models/bst.js';
import type { LossConfig } from '../../src/training/losses.js';
import { positivesOf } from '../../src/cli/implicit.js';
import { ring } from '../models/ring-walks.js';
import { synthetic } from '../models/fixtures.js';

const SMALL: BstOptions = { factors: 8, historyLength: 4, heads: 2, dropout: 0.2, mlpLayers: [8] };

interface Case {
  label: string;
  loss: LossConfig;
  options?: BstOptions;
  /** Ratings vary by item and user (mse targets, event rating buckets). */
  rated?: boolean;
  /** The synthetic fixture with item features (else the ring walks). */
  features?: boolean;
}

const CASES: Case[] = [
  { label: 'bce over sampled negatives, dropout', loss: { name: 'bce', negatives: 3 } },
  { label: 'sampled softmax over the same candidates', loss: { name: 'softmax', negatives: 3 } },
  { label: 'popularity-sampled negatives', loss: { name: 'bce', negatives: 2, sampling: 'popularity' } },
  { label: 'mse on ratings (one candidate per position)', loss: { name: 'mse' }, rated: true },
  { label: 'bce with event ratings on the tokens', loss: { name: 'bce', negatives: 3 }, options: { eventRatings: true }, rated: true },
  { label: 'bce with event ratings and time gaps on the tokens', loss: { name: 'bce', negatives: 3 }, options: { eventRatings: true, timeGaps: true }, rated: true },
  { label: 'bce with the item tower (itemFeatures) inside the step', loss: { name: 'bce', negatives: 2 }, options: { itemFeatures: true }, features: true },
  { label: "bce with the user's features in the MLP (demographics)", loss: { name: 'bce', negatives: 2 }, options: { demographics: true }, features: true },
];

function data(c: Case) {
  if (c.features) {
    const fx = synthetic();
    return { indexes: fx.dataset, features: fx.features, train: positivesOf(fx.split.train, 4) };
  }
  const { data: events, indexes } = ring();
  const ratings = c.rated ? Float32Array.from(events.items, (i, r) => 1 + (i % 4) + (events.users[r] % 2 === 0 ? 0.5 : 0)) : events.ratings;
  return { indexes, features: null, train: { ...events, ratings } };
}

async function train(name: BackendName, c: Case, stepPrograms: boolean) {
  const { indexes, features, train: events } = data(c);
  const model = new BST(await createBackend(name), indexes, { ...SMALL, ...c.options, stepPrograms }, features);
  model.compile({ loss: c.loss, optimizer: { name: 'adam', lr: 0.01 } });
  // 120 ring windows in batches of 16: full batches and a tail, each with its own count of scored positions.
  const history = await model.fit(events, { epochs: 3, batchSize: 16, seed: 5 });
  return { losses: history.epochs.map((e) => e.loss), tensors: model.exportState().tensors };
}

describe('bst step programs', () => {
  for (const name of ['wasm', 'js'] as const) {
    it.each(CASES)(`train as the kernel-by-kernel step does, bit for bit (${name}: $label)`, async (c) => {
      const recorded = await train(name, c, true);
      const direct = await train(name, c, false);
      expect(recorded.losses).toEqual(direct.losses);
      expect(Object.keys(recorded.tensors).sort()).toEqual(Object.keys(direct.tensors).sort());
      for (const [key, t] of Object.entries(recorded.tensors)) expect(Array.from(t), key).toEqual(Array.from(direct.tensors[key]));
      expect(recorded.losses[2]).toBeLessThan(recorded.losses[0]);
    }, 60_000);
  }

  it('a bst step (embedding, the block with dropout, target attention over the scored positions, the MLP, the loss, Adam) is one crossing', async () => {
    const real = await createBackend('wasm');
    let calls = 0;
    const counted: Record<string, unknown> = {};
    for (const k of KERNEL_NAMES) {
      const fn = real.kernels[k] as unknown as (...a: number[]) => number;
      counted[k] = (...a: number[]) => {
        calls++;
        return fn(...a);
      };
    }
    const be = new Backend(real.name, counted as unknown as Kernels, real.heap, real.features);
    const { data: events, indexes } = ring();
    const model = new BST(be, indexes, SMALL).compile({ loss: { name: 'bce', negatives: 3 } });
    // Kernel calls between the ends of two batches (the first batch of an epoch also has the epoch's layout calls).
    const perStep: number[] = [];
    let before = 0;
    await model.fit(events, {
      epochs: 2,
      batchSize: 16,
      callbacks: {
        onBatchEnd: (batch) => {
          if (batch > 0) perStep.push(calls - before);
          before = calls;
        },
      },
    });
    expect(perStep.length).toBe(14);
    expect(new Set(perStep)).toEqual(new Set([1]));
  });
});
