// Scoring an mlp head over every user × item pair without re-running the towers per pair:
// the head's first layer over concat(u, v) splits as W·[u; v] + b = (U·W_u + b) + V·W_v,
// so A = U·W_u + b (users × h) and B = V·W_v (items × h) are two GEMMs, and each pair
// needs only act(A[u] + B[i]) and the layers above it.

import type { Backend } from '../backends/index.js';
import type { Tower } from '../nn/tower.js';

/** Most floats a block's hidden activations may take (4 MB), bounding memory for large catalogues. */
const MAX_BLOCK_FLOATS = 1 << 20;

/**
 * B = V·W_v (items × h), the item half of the head's first layer (no bias: A carries it).
 * `itemVectors` is items × the item tower's width, `userDim` the user tower's width.
 *
 * @example
 * const hidden = itemHalf(backend, head, itemVectors, userDim);
 */
export function itemHalf(be: Backend, head: Tower, itemVectors: Float32Array, userDim: number): Float32Array {
  const d0 = head.dense[0];
  const itemDim = d0.inDim - userDim;
  const nItems = itemVectors.length / itemDim;
  const v = be.allocF32(Math.max(1, itemVectors.length), itemVectors);
  const b = be.allocF32(Math.max(1, nItems * d0.outDim));
  try {
    // W is in×out row-major: the item rows of concat(u, v) start after userDim rows.
    be.kernels.gemm(b.ptr, v.ptr, d0.W.value.ptr + 4 * userDim * d0.outDim, 0, nItems, itemDim, d0.outDim, 0);
    return be.f32(b).slice(0, nItems * d0.outDim);
  } finally {
    be.free(v);
    be.free(b);
  }
}

/**
 * out[u*nItems + i] += head(concat(U[u], V[i])) for every user u and item i, given the
 * users' tower outputs U (users × userDim) and the items' first-layer half B from
 * `itemHalf`. Inference only: dropout is the identity. A head of one hidden layer with a
 * fused activation (relu, linear) is scored by `pairScore` without writing the hidden
 * layer; deeper heads run `pairHidden` over a block of pairs and their remaining layers
 * as GEMMs over that block.
 *
 * @example
 * addPairHead(backend, head, userVectors, userDim, itemHalf(backend, head, itemVectors, userDim), scores);
 */
export function addPairHead(be: Backend, head: Tower, userVectors: Float32Array, userDim: number, hidden: Float32Array, out: Float32Array): void {
  const k = be.kernels;
  const [d0, ...rest] = head.dense;
  const h = d0.outDim;
  const nUsers = userVectors.length / userDim;
  const nItems = hidden.length / h;
  if (nUsers === 0 || nItems === 0) return;
  const act0 = d0.fusedActivation;
  const oneLayer = rest.length === 1 && rest[0].outDim === 1 && rest[0].activation === 'linear' && act0 !== undefined;
  const width = oneLayer ? 1 : Math.max(h, ...rest.map((d) => d.outDim));
  const rowsCap = Math.max(1, Math.floor(MAX_BLOCK_FLOATS / width));
  // Whole catalogue per user when it fits, several users per block; else chunks of items.
  const itemBlock = Math.min(nItems, rowsCap);
  const userBlock = itemBlock < nItems ? 1 : Math.max(1, Math.min(nUsers, Math.floor(rowsCap / nItems)));
  const rows = userBlock * itemBlock;
  const u = be.allocF32(Math.max(1, userVectors.length), userVectors);
  const a = be.allocF32(nUsers * h);
  const b = be.allocF32(hidden.length, hidden);
  const x = be.allocF32(rows * width);
  const y = oneLayer ? x : be.allocF32(rows * width);
  try {
    k.gemm(a.ptr, u.ptr, d0.W.value.ptr, d0.b.value.ptr, nUsers, userDim, h, 0);
    const last = rest[rest.length - 1];
    const outBias = oneLayer ? be.f32(last.b.value)[0] : 0;
    for (let u0 = 0; u0 < nUsers; u0 += userBlock) {
      const mu = Math.min(userBlock, nUsers - u0);
      for (let i0 = 0; i0 < nItems; i0 += itemBlock) {
        const ni = Math.min(itemBlock, nItems - i0);
        const aPtr = a.ptr + 4 * u0 * h;
        const bPtr = b.ptr + 4 * i0 * h;
        let scorePtr: number;
        if (oneLayer) {
          k.pairScore(x.ptr, aPtr, bPtr, last.W.value.ptr, mu, ni, h, outBias, act0, 0);
          scorePtr = x.ptr;
        } else {
          k.pairHidden(x.ptr, aPtr, bPtr, mu, ni, h, act0 ?? 0);
          if (act0 === undefined && d0.activation !== 'linear') k[d0.activation as 'sigmoid' | 'tanh'](x.ptr, x.ptr, mu * ni * h);
          let from = x.ptr;
          let to = y.ptr;
          for (const d of rest) {
            d.forwardInto(to, from, mu * ni);
            [from, to] = [to, from];
          }
          scorePtr = from;
        }
        const s = be.heap.f32.subarray(scorePtr >> 2, (scorePtr >> 2) + mu * ni);
        for (let r = 0; r < mu; r++) {
          const at = (u0 + r) * nItems + i0;
          for (let j = 0; j < ni; j++) out[at + j] += s[r * ni + j];
        }
      }
    }
  } finally {
    for (const buf of oneLayer ? [u, a, b, x] : [u, a, b, x, y]) be.free(buf);
  }
}
