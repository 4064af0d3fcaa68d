// LightGCN propagation (He et al., SIGIR 2020): F = (1/(K+1)) Σ_{k=0..K} Â^k E over a CSR
// graph held in backend memory, and its backward, both as K calls of the SpMM kernel.

import type { Backend, F32Buf, I32Buf } from '../backends/index.js';

/** A weighted directed graph in CSR form: row r's edges are [rowPtr[r], rowPtr[r+1]). */
export interface CsrMatrix {
  readonly rows: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly val: Float32Array;
}

/**
 * The symmetric-normalised adjacency Â = D^-½ A D^-½ of the user–item graph with nodes
 * [users 0..nUsers-1 | items nUsers..], one undirected edge per distinct (user, item) pair
 * (duplicates count once). Nodes without edges keep empty rows.
 *
 * @example
 * const adj = bipartiteAdjacency(Int32Array.of(0, 1), Int32Array.of(0, 0), 2, 1); // 3 nodes
 */
export function bipartiteAdjacency(users: Int32Array, items: Int32Array, nUsers: number, nItems: number): CsrMatrix {
  const n = nUsers + nItems;
  const seen = new Set<number>();
  const pairs: number[] = [];
  for (let x = 0; x < users.length; x++) {
    const key = users[x] * nItems + items[x];
    if (seen.has(key)) continue;
    seen.add(key);
    pairs.push(users[x], nUsers + items[x]);
  }
  const degree = new Int32Array(n);
  for (const node of pairs) degree[node]++;
  const rowPtr = new Int32Array(n + 1);
  for (let r = 0; r < n; r++) rowPtr[r + 1] = rowPtr[r] + degree[r];
  const fill = rowPtr.slice(0, n);
  const col = new Int32Array(pairs.length);
  const val = new Float32Array(pairs.length);
  for (let p = 0; p < pairs.length; p += 2) {
    const a = pairs[p];
    const b = pairs[p + 1];
    const w = 1 / Math.sqrt(degree[a] * degree[b]);
    col[fill[a]] = b;
    val[fill[a]++] = w;
    col[fill[b]] = a;
    val[fill[b]++] = w;
  }
  return { rows: n, rowPtr, col, val };
}

/** Aᵀ in CSR form (for a graph with as many columns as rows). */
export function transposeCsr(a: CsrMatrix): CsrMatrix {
  const count = new Int32Array(a.rows + 1);
  for (const c of a.col) count[c + 1]++;
  for (let r = 0; r < a.rows; r++) count[r + 1] += count[r];
  const fill = count.slice(0, a.rows);
  const col = new Int32Array(a.col.length);
  const val = new Float32Array(a.col.length);
  for (let r = 0; r < a.rows; r++) {
    for (let e = a.rowPtr[r]; e < a.rowPtr[r + 1]; e++) {
      const at = fill[a.col[e]]++;
      col[at] = r;
      val[at] = a.val[e];
    }
  }
  return { rows: a.rows, rowPtr: count, col, val };
}

type CsrBufs = { rowPtr: I32Buf; col: I32Buf; val: F32Buf };

/**
 * K-layer propagation with the layer mean over a fixed graph, in backend memory. forward
 * and backward take and write rows × dim buffers; two scratch buffers are reused by both.
 *
 * @example
 * const prop = new GraphPropagation(be, bipartiteAdjacency(u, i, nU, nI), 3, 64);
 * prop.forward(final, E0.value); prop.backward(E0.grad, dFinal);
 */
export class GraphPropagation {
  private readonly forwardCsr: CsrBufs;
  private readonly backwardCsr: CsrBufs;
  private readonly ping: F32Buf;
  private readonly pong: F32Buf;
  readonly rows: number;
  /** Edges of the graph (each direction of an undirected edge counts). */
  readonly edges: number;

  constructor(
    private readonly be: Backend,
    graph: CsrMatrix,
    readonly layers: number,
    readonly dim: number,
  ) {
    if (!(Number.isInteger(layers) && layers >= 0)) throw new Error(`graph propagation: layers must be an integer ≥ 0, got ${layers}`);
    this.rows = graph.rows;
    this.edges = graph.col.length;
    this.forwardCsr = upload(be, graph);
    this.backwardCsr = upload(be, transposeCsr(graph));
    this.ping = be.allocF32(graph.rows * dim);
    this.pong = be.allocF32(graph.rows * dim);
  }


  /** out = (1/(K+1)) Σ_k Â^k x, by Horner (h ← Â h + x, K times), the mean's scale folded in. `out` must not alias `x`. */
  forward(out: F32Buf, x: F32Buf): void {
    this.horner(this.forwardCsr, out, x);
  }

  /** dx = (1/(K+1)) Σ_k (Âᵀ)^k dOut: the gradient of forward (dx is overwritten). */
  backward(dx: F32Buf, dOut: F32Buf): void {
    this.horner(this.backwardCsr, dx, dOut);
  }

  dispose(): void {
    for (const b of [...Object.values(this.forwardCsr), ...Object.values(this.backwardCsr), this.ping, this.pong]) this.be.free(b);
  }

  /**
   * out = s Σ_{k=0..K} M^k x with s = 1/(K+1): h_1 = s(M x + x), h_{j+1} = M h_j + s x; the
   * steps alternate between the scratch buffers and the last one lands in `out`.
   */
  private horner(m: CsrBufs, out: F32Buf, x: F32Buf): void {
    const K = this.layers;
    const s = 1 / (K + 1);
    const k = this.be.kernels;
    const n = this.rows;
    const d = this.dim;
    if (K === 0) {
      this.be.f32(out).set(this.be.f32(x));
      return;
    }
    let src = x;
    for (let step = 1; step <= K; step++) {
      const dst = step === K ? out : step % 2 === 1 ? this.ping : this.pong;
      const alpha = step === 1 ? s : 1;
      k.spmm(dst.ptr, m.rowPtr.ptr, m.col.ptr, m.val.ptr, src.ptr, x.ptr, n, d, alpha, s);
      src = dst;
    }
  }
}

function upload(be: Backend, m: CsrMatrix): CsrBufs {
  const rowPtr = be.allocI32(m.rowPtr.length, m.rowPtr);
  const col = be.allocI32(Math.max(1, m.col.length), m.col);
  const val = be.allocF32(Math.max(1, m.val.length), m.val);
  return { rowPtr, col, val };
}
