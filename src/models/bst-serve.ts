// BST's serving (./bst.ts): the stored latest events of users (items and their rating
// buckets), and scoring candidates against histories with the network in chunks.

import type { Backend } from '../backends/index.js';
import type { Param } from '../training/param.js';
import type { BstNet } from './bst-net.js';

/** The stored rows (nUsers × L) of `users`; unknown users and users without events: `fill`. */
export function rowsOf(stored: Int32Array | null, users: Int32Array, nUsers: number, L: number, fill: number): Int32Array {
  const rows = new Int32Array(users.length * L).fill(fill);
  users.forEach((u, r) => {
    if (stored && u >= 0 && u < nUsers) rows.set(stored.subarray(u * L, (u + 1) * L), r * L);
  });
  return rows;
}

/**
 * The logits of candidates items[q] for sequences seq[q] (ascending) of `rows` (S × L, their
 * event attributes in `attrs`, null: unknown; with the user input, userCodes[f][s] is
 * sequence s's user's code of feature f): each chunk of sequences encoded once, its
 * candidates scored in chunks of the net's rows.
 */
export function scoreQueries(be: Backend, net: BstNet, Q: Param, bi: Param, rows: Int32Array, attrs: Int32Array | null, S: number, seq: Int32Array, items: Int32Array, userCodes: readonly Int32Array[] = []): Float32Array {
  const L = net.shape.L;
  const chunk = net.maxQueries;
  const out = new Float32Array(seq.length);
  const ids = be.allocI32(net.maxSeqs * L);
  const attrIds = attrs ? be.allocI32(net.maxSeqs * L) : null;
  const cand = be.allocI32(chunk);
  const seqBuf = be.allocI32(chunk);
  const codeBufs = userCodes.map(() => be.allocI32(chunk));
  const codePtrs = codeBufs.map((b) => b.ptr);
  // Serving sees every event: the last visible position is L − 1 for every candidate.
  const last = be.allocI32(chunk, new Int32Array(chunk).fill(L - 1));
  try {
    let q = 0;
    for (let s0 = 0; s0 < S; s0 += net.maxSeqs) {
      const m = Math.min(net.maxSeqs, S - s0);
      be.write(ids, rows.subarray(s0 * L, (s0 + m) * L));
      if (attrIds) be.write(attrIds, attrs!.subarray(s0 * L, (s0 + m) * L));
      const h = net.encode(Q, ids.ptr, m, false, attrIds ? attrIds.ptr : 0);
      let end = q;
      while (end < seq.length && seq[end] < s0 + m) end++;
      for (let q0 = q; q0 < end; q0 += chunk) {
        const c = Math.min(chunk, end - q0);
        be.write(cand, items.subarray(q0, q0 + c));
        be.write(seqBuf, Int32Array.from(seq.subarray(q0, q0 + c), (s) => s - s0));
        userCodes.forEach((codes, f) => be.write(codeBufs[f], Int32Array.from(seq.subarray(q0, q0 + c), (s) => codes[s])));
        const z = net.score(Q, bi, h, ids.ptr, cand.ptr, seqBuf.ptr, last.ptr, c, false, codePtrs) >> 2;
        out.set(be.heap.f32.subarray(z, z + c), q0);
      }
      q = end;
    }
  } finally {
    for (const b of [ids, cand, seqBuf, last, ...codeBufs, ...(attrIds ? [attrIds] : [])]) be.free(b);
  }
  return out;
}

/** The block's output at the last position of n histories (rows n × L) into out (n × d). */
export function lastPositions(be: Backend, net: BstNet, Q: Param, rows: Int32Array, n: number, out: Float32Array): void {
  const { d, L } = net.shape;
  const ids = be.allocI32(net.maxSeqs * L);
  try {
    for (let s0 = 0; s0 < n; s0 += net.maxSeqs) {
      const m = Math.min(net.maxSeqs, n - s0);
      be.write(ids, rows.subarray(s0 * L, (s0 + m) * L));
      const h = net.encode(Q, ids.ptr, m, false) >> 2;
      const y = be.heap.f32;
      for (let r = 0; r < m; r++) out.set(y.subarray(h + (r * L + L - 1) * d, h + (r * L + L) * d), (s0 + r) * d);
    }
  } finally {
    be.free(ids);
  }
}

/** Pairs grouped by user for scoring: one sequence per distinct user (`who`), the pairs in that order (`order[k]`: the pair scored k-th), items out of range → the unknown row nItems. */
export function pairsByUser(users: Int32Array, items: Int32Array, nItems: number): { who: Int32Array; seq: Int32Array; known: Int32Array; order: Int32Array } {
  const distinct = [...new Set(users)];
  const at = new Map(distinct.map((u, s) => [u, s]));
  const order = Int32Array.from({ length: users.length }, (_, r) => r).sort((a, b) => at.get(users[a])! - at.get(users[b])!);
  const seq = Int32Array.from(order, (r) => at.get(users[r])!);
  const known = Int32Array.from(order, (r) => (items[r] >= 0 && items[r] < nItems ? items[r] : nItems));
  return { who: Int32Array.from(distinct), seq, known, order };
}

/** Adds μ and, with user biases `bu`, b_u of users[q / perUser] (unknown users and sessions: none). */
export function onRatingScale(scores: Float32Array, users: Int32Array | null, perUser: number, mean: number, bu: Float32Array | null): Float32Array {
  for (let q = 0; q < scores.length; q++) {
    const u = users ? users[Math.floor(q / perUser)] : -1;
    scores[q] += mean + (bu && u >= 0 && u < bu.length - 1 ? bu[u] : 0);
  }
  return scores;
}
