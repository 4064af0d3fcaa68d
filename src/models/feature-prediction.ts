// Running a feature model's forward pass over entities that a prediction names: their
// columns filled into batches the size of the model's buffers, predictions copied out.

import type { Backend, F32Buf } from '../backends/index.js';
import { FeatureInput, SideBatches, type SideTables } from '../nn/features.js';
import type { Lookup } from './feature-rows.js';

/** One side's batch columns for the rows of `l`, handed to `use` and freed after. */
export function withBatches<T>(be: Backend, l: Lookup, use: (b: SideBatches, tables: SideTables, idRows: Int32Array) => T): T {
  const b = new SideBatches(be, l.rows.length, l.tables.side, FeatureInput.idCounts(l.tables.side, l.rows));
  try {
    b.fill(l.tables, l.rows, l.idRows);
    return use(b, l.tables, l.idRows);
  } finally {
    b.dispose();
  }
}

/**
 * Predictions for the pairs (users row r, items row r), maxBatch rows at a time: `forward`
 * runs the model on rows [start, start + m) and returns the buffer holding their predictions.
 */
export function predictInBatches(be: Backend, users: Lookup, items: Lookup, maxBatch: number, forward: (ub: SideBatches, ib: SideBatches, start: number, m: number) => F32Buf): Float32Array {
  const n = users.rows.length;
  if (items.rows.length !== n) throw new Error('predictFeatures: users and items differ in length');
  const out = new Float32Array(n);
  withBatches(be, users, (ub) =>
    withBatches(be, items, (ib) => {
      for (let start = 0; start < n; start += maxBatch) {
        const m = Math.min(maxBatch, n - start);
        out.set(be.f32(forward(ub, ib, start, m)).subarray(0, m), start);
      }
    }),
  );
  return out;
}
