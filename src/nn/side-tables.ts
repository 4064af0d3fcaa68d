// One side's features uploaded to backend memory for a model's life: continuous values
// (with "as cold" copies), categorical codes, and recurrent texts' padded token rows.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import { paddedTokens } from './recurrent-text.js';

/**
 * An EncodedSide uploaded to backend memory: codes and continuous values per entity row.
 * Multi-valued CSR stays in TypeScript: batches need it re-laid per epoch.
 *
 * With `coldColumns`, the continuous table has a second block of n rows: each entity as it
 * would look without training ratings (those columns copied from the unknown row). Id
 * dropout reads these rows, so the simulated cold entities match real ones.
 */
export class SideTables {
  readonly continuous: F32Buf;
  readonly codes: I32Buf[];
  /** Per multi feature: a recurrent text's padded token rows (n × L, see paddedTokens), else null. */
  readonly tokens: (I32Buf | null)[];
  /** Row offset of the "as cold" copies in the continuous table, or 0 when there are none. */
  readonly coldOffset: number;

  constructor(
    readonly backend: Backend,
    readonly side: EncodedSide,
    coldColumns: readonly number[] = [],
  ) {
    const w = side.contNames.length;
    let values = side.continuous;
    this.coldOffset = coldColumns.length > 0 && w > 0 ? side.n : 0;
    if (this.coldOffset > 0) {
      values = new Float32Array(2 * side.n * w);
      values.set(side.continuous);
      values.set(side.continuous, side.n * w);
      const unknown = (side.n - 1) * w;
      for (let r = 0; r < side.n; r++) for (const c of coldColumns) values[(side.n + r) * w + c] = side.continuous[unknown + c];
    }
    this.continuous = backend.allocF32(Math.max(1, values.length), values);
    this.codes = side.categorical.map((c) => backend.allocI32(side.n, c.codes));
    this.tokens = side.multi.map((mf) => (mf.recurrentTokens ? backend.allocI32(side.n * mf.recurrentTokens, paddedTokens(mf)) : null));
  }

  dispose(): void {
    this.backend.free(this.continuous);
    for (const c of [...this.codes, ...this.tokens]) if (c) this.backend.free(c);
  }
}
