// Random walks over a CSR graph as sentences for skip-gram: DeepWalk (Perozzi et al. 2014,
// weighted first-order walks) and Node2Vec's biased second-order walks (Grover & Leskovec
// 2016: return parameter p, in-out parameter q).
import { Rng } from '../random.js';
import type { TokenCorpus } from './token-corpus.js';

/** What a walk needs of a graph (data/edges.ts CsrGraph has it): neighbours of n are col[rowPtr[n]..rowPtr[n+1]). */
export interface WalkGraph {
  readonly nodes: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  /** Edge weights (default 1). */
  readonly weight?: Float32Array;
}

export interface WalkOptions {
  /** Walks started from every node with neighbours (default 10). */
  walksPerNode?: number;
  /** Nodes per walk, the start included (default 80). */
  length?: number;
  /** Return parameter: 1/p weighs stepping back to the previous node (default 1). */
  p?: number;
  /** In-out parameter: 1/q weighs moving away from the previous node; q < 1 explores outward, DFS-like (default 1). */
  q?: number;
  seed?: number;
}

/**
 * Walks as a corpus of node ids. With p = q = 1 each step picks a neighbour in proportion to
 * the edge weight (DeepWalk); otherwise the step from v (having come from t) to x weighs
 * w(v,x)·α with α = 1/p when x = t, 1 when x is a neighbour of t, 1/q otherwise. A walk
 * stops early at a node without out-edges. Starts are visited in a fresh random order per
 * round, as node2vec's reference code does.
 *
 * @example
 * const walks = randomWalks(graph, { walksPerNode: 10, length: 40, p: 1, q: 0.5, seed: 42 });
 */
export function randomWalks(graph: WalkGraph, opts: WalkOptions = {}): TokenCorpus {
  const walksPerNode = opts.walksPerNode ?? 10;
  const length = opts.length ?? 80;
  const p = opts.p ?? 1;
  const q = opts.q ?? 1;
  if (!(Number.isInteger(walksPerNode) && walksPerNode >= 1)) throw new Error(`random walks: walksPerNode must be an integer ≥ 1, got ${walksPerNode}`);
  if (!(Number.isInteger(length) && length >= 2)) throw new Error(`random walks: length must be an integer ≥ 2, got ${length}`);
  if (!(p > 0 && q > 0)) throw new Error(`random walks: p and q must be > 0, got p=${p}, q=${q}`);
  const { nodes, rowPtr, col } = graph;
  const weight = graph.weight ?? new Float32Array(col.length).fill(1);
  const rng = new Rng(opts.seed ?? 42);
  // Cumulative weights within each row (restarting at 0) for first-order steps by binary search.
  const cum = new Float64Array(col.length);
  for (let n = 0; n < nodes; n++) {
    let acc = 0;
    for (let e = rowPtr[n]; e < rowPtr[n + 1]; e++) cum[e] = acc += Math.max(0, weight[e]);
  }
  const biased = p !== 1 || q !== 1;
  // stamp[x] === step marks x as a neighbour of the previous node without clearing between steps.
  const stamp = new Float64Array(nodes).fill(-1);
  const stepWeights = new Float64Array(maxDegree(rowPtr, nodes));
  const starts = new Int32Array(nodes);
  const tokens: number[] = [];
  const offsets: number[] = [0];
  let step = 0;

  const firstOrder = (v: number): number => {
    const lo = rowPtr[v];
    const hi = rowPtr[v + 1];
    const target = rng.uniform() * cum[hi - 1];
    let a = lo;
    let b = hi - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (cum[mid] > target) b = mid;
      else a = mid + 1;
    }
    return col[a];
  };

  const secondOrder = (t: number, v: number): number => {
    step++;
    for (let e = rowPtr[t]; e < rowPtr[t + 1]; e++) stamp[col[e]] = step;
    let total = 0;
    const lo = rowPtr[v];
    for (let e = lo; e < rowPtr[v + 1]; e++) {
      const x = col[e];
      const alpha = x === t ? 1 / p : stamp[x] === step ? 1 : 1 / q;
      total += stepWeights[e - lo] = Math.max(0, weight[e]) * alpha;
    }
    let r = rng.uniform() * total;
    const last = rowPtr[v + 1] - 1;
    for (let e = lo; e < last; e++) if ((r -= stepWeights[e - lo]) < 0) return col[e];
    return col[last];
  };

  for (let round = 0; round < walksPerNode; round++) {
    rng.permutation(starts);
    for (const start of starts) {
      if (!(degreeWeight(cum, rowPtr, start) > 0)) continue;
      tokens.push(start);
      let prev = -1;
      let cur = start;
      for (let k = 1; k < length; k++) {
        if (!(degreeWeight(cum, rowPtr, cur) > 0)) break;
        const next = biased && prev >= 0 ? secondOrder(prev, cur) : firstOrder(cur);
        tokens.push(next);
        prev = cur;
        cur = next;
      }
      offsets.push(tokens.length);
    }
  }
  return { tokens: Int32Array.from(tokens), offsets: Int32Array.from(offsets) };
}

function maxDegree(rowPtr: Int32Array, nodes: number): number {
  let m = 0;
  for (let n = 0; n < nodes; n++) m = Math.max(m, rowPtr[n + 1] - rowPtr[n]);
  return m;
}

/** The total out-weight of node n. */
function degreeWeight(cum: Float64Array, rowPtr: Int32Array, n: number): number {
  return rowPtr[n + 1] === rowPtr[n] ? 0 : cum[rowPtr[n + 1] - 1];
}
