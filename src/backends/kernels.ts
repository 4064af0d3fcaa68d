// The numeric ABI shared by the WASM core (assembly/) and the TypeScript reference
// (src/backends/reference/): only pointers, counts and scalars cross it.
//
// Conventions (both implementations):
// - Pointers are byte offsets into the backend's heap, 16-byte aligned when they come
//   from the allocator; a pointer computed as `buf.ptr + 4 * offset` (a batch slice) may
//   be only 4-byte aligned, so kernels must not assume 16-byte alignment for loads.
// - Matrices are row-major and contiguous unless a stride (in elements) is passed.
// - Output first, then inputs, then counts, strides and hyper-parameters.
// - `accumulate` = 1 adds into the output, 0 overwrites it.
// - Kernels never allocate, never draw random numbers and never throw on data: callers
//   validate shapes and indices once, above the backend.
// - The WASM export for kernel `fooBar` of family `fam` is `fam_foo_bar_<dtype>` (dtype:
//   f32, i32, b32 for raw 32-bit copies, f64 for the f64 call lists of runOps);
//   `kernelNameOf` in ./wasm/exports.ts maps one to the other and a test checks that
//   both lists agree.

/** Every kernel of the core. Implemented by the WASM exports and by the reference backend. */
export interface Kernels {
  // ---- embedding/ ----------------------------------------------------------------------
  /** out[r*outStride + c] = table[idx[r]*dim + c] for r < n, c < dim. */
  gather(outPtr: number, outStride: number, tablePtr: number, idxPtr: number, n: number, dim: number): void;
  /**
   * out[r*outStride + c] = mean over j in [offsets[r], offsets[r+1]) of table[ids[j]*dim + c]
   * (mean pooling of a multi-valued feature, e.g. genres); rows with no ids get zeros.
   */
  gatherMean(outPtr: number, outStride: number, tablePtr: number, idsPtr: number, offsetsPtr: number, n: number, dim: number): void;
  /** gradTable[idx[r]*dim + c] += gradRows[r*gradStride + c]: the backward of `gather`. */
  scatterAdd(gradTablePtr: number, gradRowsPtr: number, gradStride: number, idxPtr: number, n: number, dim: number): void;
  /** Backward of `gatherMean`: each id of row r receives gradRows[r] / count(r). */
  scatterAddMean(gradTablePtr: number, gradRowsPtr: number, gradStride: number, idsPtr: number, offsetsPtr: number, n: number, dim: number): void;
  /** out[r·outStride + c] = Σ_j w[j] · table[ids[j]·dim + c], j in [offsets[r], offsets[r+1]): a weighted pooling (GCN's normalised neighbours). */
  gatherWeighted(outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, offsetsPtr: number, n: number, dim: number): void;
  /** Backward of `gatherWeighted`: table row ids[j] receives w[j] · gradRows[r]. */
  scatterAddWeighted(gradTablePtr: number, gradRowsPtr: number, gradStride: number, idsPtr: number, weightsPtr: number, offsetsPtr: number, n: number, dim: number): void;
  /** out[r] = src[idx[r]] on 32-bit elements (i32 or f32 bit patterns): permuting columns. */
  take(outPtr: number, srcPtr: number, idxPtr: number, n: number): void;
  /** out[r·width + c] = src[idx[r]·width + c] on 32-bit elements: whole rows of an id table (a text's padded tokens). */
  takeRows(outPtr: number, srcPtr: number, idxPtr: number, n: number, width: number): void;
  /**
   * Appends the rows of idx[0..n) not yet listed to a sparse tensor's update list out, in
   * first-seen order; the list's length and stamp live in memory: state = [count,
   * stampValue] (i32), stamp[v] == stampValue marks v as listed (callers bump stampValue
   * per list instead of clearing stamp). offsetsPtr ≠ 0: idx is a CSR id list and the rows
   * are idx[offsets[0] .. offsets[n]). The count stays in memory so that a recorded step
   * can mark rows.
   */
  markRows(statePtr: number, outPtr: number, stampPtr: number, idxPtr: number, offsetsPtr: number, n: number): void;

  // ---- optim/ (lazy: only the listed rows are touched; each consumes, i.e. zeroes, its
  // gradient rows). Tables are rows×dim; a dense tensor is one row of dim = its size.
  // l2: g += l2*w (coupled L2). decay: w -= lr*decay*w (decoupled, AdamW). ---------------
  /** w -= lr * (g + l2 w) + lr*decay*w. */
  sgdSparse(paramPtr: number, gradPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, l2: number, decay: number): void;
  /** v = momentum*v + (g + l2 w); w -= lr*v + lr*decay*w. */
  momentumSparse(paramPtr: number, gradPtr: number, velPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, momentum: number, l2: number, decay: number): void;
  /** a += g'²; w -= lr * g' / (sqrt(a) + eps) + lr*decay*w, g' = g + l2 w. */
  adagradSparse(paramPtr: number, gradPtr: number, accPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, eps: number, l2: number, decay: number): void;
  /**
   * m = b1 m + (1-b1) g'; v = b2 v + (1-b2) g'²; w -= lr * (m/c1) / (sqrt(v/c2) + eps) + lr*decay*w,
   * g' = g + l2 w, c1 = 1 - b1^t, c2 = 1 - b2^t (bias corrections computed by the caller).
   */
  adamSparse(paramPtr: number, gradPtr: number, mPtr: number, vPtr: number, rowsPtr: number, nRows: number, dim: number, lr: number, beta1: number, beta2: number, eps: number, l2: number, decay: number, c1: number, c2: number): void;

  /** Σ g² over the listed rows of a rows×dim gradient (f64): for clipping by global norm. */
  sumSquaresRows(gradPtr: number, rowsPtr: number, nRows: number, dim: number): number;
  /** g *= scale on the listed rows of a rows×dim gradient. */
  scaleRows(gradPtr: number, rowsPtr: number, nRows: number, dim: number, scale: number): void;
  /** dst[row] += src[row]; src[row] = 0 on the listed rows: a data-parallel replica's gradient into the primary's. */
  accumulateRows(dstPtr: number, srcPtr: number, rowsPtr: number, nRows: number, dim: number): void;

  // ---- linalg/ -------------------------------------------------------------------------
  /** Y[m×n] (+)= X[m×k]·W[k×n] (+ b[n] broadcast over rows when bPtr != 0). */
  gemm(yPtr: number, xPtr: number, wPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void;
  /** Y[m×k] (+)= A[m×n]·B[k×n]ᵀ — the input gradient dX = dY·Wᵀ. */
  gemmNt(yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void;
  /** Y[k×n] (+)= A[m×k]ᵀ·B[m×n] — the weight gradient dW = Xᵀ·dY. */
  gemmTn(yPtr: number, aPtr: number, bPtr: number, m: number, k: number, n: number, accumulate: number): void;
  /** y[n] (+)= Σ_r X[r×n] — the bias gradient db. */
  colSum(yPtr: number, xPtr: number, m: number, n: number, accumulate: number): void;

  // ---- nn/ (elementwise over n values; y may alias x) ----------------------------------
  relu(yPtr: number, xPtr: number, n: number): void;
  /** dx = dy where y > 0 else 0 (uses the forward output y). */
  reluBackward(dxPtr: number, dyPtr: number, yPtr: number, n: number): void;
  sigmoid(yPtr: number, xPtr: number, n: number): void;
  /** dx = dy * y * (1 - y). */
  sigmoidBackward(dxPtr: number, dyPtr: number, yPtr: number, n: number): void;
  tanh(yPtr: number, xPtr: number, n: number): void;
  /** dx = dy * (1 - y²). */
  tanhBackward(dxPtr: number, dyPtr: number, yPtr: number, n: number): void;
  /** out[r] = Σ_c a[r,c] b[r,c] for r < n. */
  rowDot(outPtr: number, aPtr: number, bPtr: number, n: number, dim: number): void;
  /** da[r,c] (+)= dOut[r] b[r,c]; db[r,c] (+)= dOut[r] a[r,c]. */
  rowDotBackward(daPtr: number, dbPtr: number, dOutPtr: number, aPtr: number, bPtr: number, n: number, dim: number, accumulate: number): void;
  /** y[i] = a[i]·b[i] (applies a dropout mask); y may alias a or b. */
  mul(yPtr: number, aPtr: number, bPtr: number, n: number): void;
  /** y[i] = value for i < n. */
  fill(yPtr: number, n: number, value: number): void;

  // ---- loss/ ---------------------------------------------------------------------------
  /** Returns Σ (pred - target)² summed in f64; grad[r] = scale * 2 * (pred[r] - target[r]). */
  mse(gradPtr: number, predPtr: number, targetPtr: number, n: number, scale: number): number;
  /** Returns Σ softplus(x) − y·x (BCE on logits x, labels y; f64); grad[r] = scale · (σ(x[r]) − y[r]). */
  bceLogits(gradPtr: number, logitPtr: number, targetPtr: number, n: number, scale: number): number;
  /** Returns Σ −log σ(pos − neg) (f64); gradPos[r] = −scale · σ(neg[r] − pos[r]), gradNeg[r] = −gradPos[r]. */
  bpr(gradPosPtr: number, gradNegPtr: number, posPtr: number, negPtr: number, n: number, scale: number): number;
  /**
   * Softmax cross-entropy of each row of m×n logits against column target[r], with an
   * optional per-column −logQ[c] correction (logQPtr ≠ 0) and columns sharing key[target[r]]
   * left out (keyPtr ≠ 0). Returns Σ_r loss (f64); grad = scale · (softmax − one-hot).
   */
  softmaxXentRows(gradPtr: number, logitsPtr: number, targetPtr: number, keyPtr: number, logQPtr: number, m: number, n: number, scale: number): number;

  // ---- fused/mf (biased matrix factorisation: r̂ = mu + bu[u] + bi[i] + P[u]·Q[i]) -----------
  /**
   * The classic per-example SGD (Funk-SVD) over examples order[start .. start+count)
   * (orderPtr = 0: examples start .. start+count themselves, in storage order):
   * e = r - r̂; bu += lr (e - regB bu); bi += lr (e - regB bi);
   * P[u] += lr (e Q[i] - regF P[u]); Q[i] += lr (e P[u]old - regF Q[i]). Returns Σ e² (f64).
   */
  mfSgdChunk(pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, ratingsPtr: number, orderPtr: number, start: number, count: number, k: number, mu: number, lr: number, regFactor: number, regBias: number): number;
  /** pred[r] = mu + bu[users[r]] + bi[items[r]] + P[users[r]]·Q[items[r]] for r < n. */
  mfPredict(predPtr: number, pPtr: number, qPtr: number, buPtr: number, biPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number, mu: number): void;
  /**
   * Scatter-adds the gradients of a batch given dLoss/dPred: gP[u] += d Q[i]; gQ[i] += d P[u];
   * gBu[u] += d; gBi[i] += d.
   */
  mfBackward(gPPtr: number, gQPtr: number, gBuPtr: number, gBiPtr: number, dPredPtr: number, pPtr: number, qPtr: number, usersPtr: number, itemsPtr: number, n: number, k: number): void;

  // ---- fused/dense (one dense layer's forward, and its activation backward + bias grad) ---
  /** Y[m×n] = act(X[m×k]·W[k×n] + b[n]) (bPtr = 0: no bias); act is a DENSE_ACT code. Y must not alias X, W, b. */
  denseForward(yPtr: number, xPtr: number, wPtr: number, bPtr: number, m: number, k: number, n: number, act: number): void;
  /** dZ = dY ⊙ act'(Y) from the forward output Y (dZ may alias dY); gb[n] += Σ_r dZ[r,·]. */
  denseActBackward(dzPtr: number, gbPtr: number, dyPtr: number, yPtr: number, m: number, n: number, act: number): void;

  // ---- fused/pair (an mlp head over every user × item pair: its first layer W·[u; v] + b
  // split as A[u] = W_u·u + b and B[i] = W_v·v, each computed once by gemm) ----------------
  /** H[(u*n + i)*h + c] = act(A[u*h + c] + B[i*h + c]) for u < m, i < n (DENSE_ACT code). H must not alias A, B. */
  pairHidden(hPtr: number, aPtr: number, bPtr: number, m: number, n: number, h: number, act: number): void;
  /** S[u*n + i] (+)= bias + Σ_c w[c]·act(A[u*h + c] + B[i*h + c]): a one-hidden-layer head scored per pair. */
  pairScore(sPtr: number, aPtr: number, bPtr: number, wPtr: number, m: number, n: number, h: number, bias: number, act: number, accumulate: number): void;

  // ---- program/ (a recorded training step: src/backends/program.ts) -----------------
  /**
   * Runs the kernel calls listed at opsPtr (nValues f64: [kernel index, argument count,
   * mode word, arguments…]…; modes in assembly/program/args.ts, `base` added to batch
   * addresses) and returns the sum of their f64 results.
   */
  runOps(opsPtr: number, nValues: number, base: number): number;
  /** Skip-gram SGD over nPairs (center, context) pairs with nNeg negatives each (assembly/embed/skipgram.ts); returns Σ −log σ. */
  skipgramSgd(inPtr: number, outPtr: number, centersPtr: number, contextsPtr: number, negativesPtr: number, nPairs: number, nNeg: number, dim: number, lr: number, scratchPtr: number): number;

  // ---- fused/svdpp (SVD++ with implicit sets: rated items, trusted users) ----------
  /**
   * Per-user SGD over users userOrder[start .. start+count): z = P[u] + Σ w Y[row] over u's
   * implicit entries, MF's updates of her examples against z, then Y[row] += lr (w g − n_u regI Y[row])
   * with g = Σ e Q[i] over her n_u examples. Returns Σ e² (f64). scratch holds 2k f32. tablesPtr: the addresses of
   * P, Q, bu, bi, Y (i32 each); dataPtr: of userOrder, exStart, items, ratings, impStart, impRows, impWeights.
   */
  svdppSgd(tablesPtr: number, dataPtr: number, start: number, count: number, k: number, mu: number, lr: number, regFactor: number, regBias: number, regImplicit: number, scratchPtr: number): number;
  /** Z[u] = P[u] + Σ w Y[row] over u's implicit entries, u < nUsers (the vectors MF serves with). */
  svdppFold(zPtr: number, pPtr: number, yPtr: number, impStartPtr: number, impRowsPtr: number, impWeightsPtr: number, nUsers: number, k: number): void;
  /**
   * Link regression (TrustSVD's trust term): for links l in [start, start+count), e =
   * A[aRows[l]]·B[bRows[l]] − targets[l]; A[a] −= lr (weight e B[b] + reg A[a]); B[b] −=
   * lr (weight e A[a]_old + reg B[b]). Returns Σ e² (f64).
   */
  linkSgd(aPtr: number, bPtr: number, aRowsPtr: number, bRowsPtr: number, targetsPtr: number, start: number, count: number, k: number, lr: number, weight: number, reg: number): number;

  // ---- seq/pool (padded behaviour sequences: L ids per row, −1 = padding) -------------
  /**
   * out[r] = mean | sum | max (SEQ_POOL) of w_j·table[id_rj] over the row's events, id_rj at
   * ids[r·rowStride + j·slotStride] (weights alike; weightsPtr 0: w = 1); no events → 0.
   */
  seqPool(outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, rowStride: number, slotStride: number, m: number, L: number, dim: number, mode: number): void;
  /** gradTable[id] += each event's share of dOut[r] (max: where it was the first maximum of out[r]). */
  seqPoolBackward(gradTablePtr: number, dOutPtr: number, dOutStride: number, outPtr: number, outStride: number, tablePtr: number, idsPtr: number, weightsPtr: number, rowStride: number, slotStride: number, m: number, L: number, dim: number, mode: number): void;
  // ---- seq/gru (the recurrence of a GRU over m padded sequences of L steps; assembly/seq/gru.ts)
  /** H (m·L × d) and gates [z | r | g_n | n] (m·L × 4d) from input projections A = X·W + b_x (m·L × 3d), U (d × 3d), b (3d); id < 0: padding, h = 0. */
  seqGruForward(hPtr: number, gatesPtr: number, aPtr: number, uPtr: number, bPtr: number, idsPtr: number, m: number, L: number, d: number): void;
  /** Backpropagation through time from dH (every step; the carried gradient is added into it): dA =, dU +=, db +=. */
  seqGruBackward(dAPtr: number, dUPtr: number, dbPtr: number, dHPtr: number, hPtr: number, gatesPtr: number, uPtr: number, idsPtr: number, m: number, L: number, d: number): void;
  // ---- graph/ (CSR propagation) -------------------------------------------------------
  /**
   * Y[r] = α Σ_e val[e] X[col[e]] + β B[r] over row r's CSR edges (assembly/graph/spmm.ts):
   * Y = αÂX + βB; its backward dX = Âᵀ dY is the same call over the transposed CSR. Y may alias B, not X.
   */
  spmm(yPtr: number, rowPtrPtr: number, colPtr: number, valPtr: number, xPtr: number, bPtr: number, nRows: number, dim: number, alpha: number, beta: number): void;

  // ---- nn/layernorm and seq/attention (transformer blocks over padded sequences) -----
  /** Per row of z = x + res (rows×d; resPtr 0: z = x): xhat = (z − μ)/√(σ² + eps), y = gain ⊙ xhat + bias; stores xhat (rows×d) and rstd (rows). y may alias x or res. */
  layerNorm(yPtr: number, xhatPtr: number, rstdPtr: number, xPtr: number, resPtr: number, gainPtr: number, biasPtr: number, rows: number, d: number, eps: number): void;
  /** dx = rstd (g − mean g − xhat·mean(g ⊙ xhat)), g = dy ⊙ gain (dx overwritten, may alias dy); dGain += Σ dy ⊙ xhat; dBias += Σ dy. */
  layerNormBackward(dxPtr: number, dGainPtr: number, dBiasPtr: number, dyPtr: number, xhatPtr: number, rstdPtr: number, gainPtr: number, rows: number, d: number): void;
  /**
   * Scaled dot-product attention of m sequences of L positions, H heads over Q, K, V ((m·L)×d):
   * keys with id −1 (ids m×L) and, when causal ≠ 0, later keys are masked; probs (m×H×L×L)
   * are kept for the backward; a query with no visible key outputs 0.
   */
  seqAttention(outPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, idsPtr: number, m: number, L: number, d: number, heads: number, causal: number): void;
  /** Gradients of seqAttention into dQ, dK, dV (overwritten) from dOut and the stored probs; scratch holds L floats. */
  seqAttentionBackward(dqPtr: number, dkPtr: number, dvPtr: number, dOutPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, m: number, L: number, d: number, heads: number, causal: number, scratchPtr: number): void;
  /**
   * Target attention (DIN/BST): query r (q: n×d) attends over the keys j ≤ last[r] with id ≥ 0
   * of sequence seq[r] (k, v: (sequences·L)×d; ids: sequences×L); probs (n×L) kept for the
   * backward; a query with no visible key outputs 0.
   */
  seqTargetAttention(outPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, idsPtr: number, seqPtr: number, lastPtr: number, n: number, L: number, d: number): void;
  /** Gradients of seqTargetAttention into dQ (n×d), dK, dV (m·L×d), all overwritten; scratch holds L floats. */
  seqTargetAttentionBackward(dqPtr: number, dkPtr: number, dvPtr: number, dOutPtr: number, probsPtr: number, qPtr: number, kPtr: number, vPtr: number, seqPtr: number, n: number, m: number, L: number, d: number, scratchPtr: number): void;

  // ---- serve/ --------------------------------------------------------------------------
  /**
   * Every item's score for nUsers queries (nUsers×dim f32) against an int8 table (nItems×dim)
   * with per-row scales: ((q_u·t_i)·s_u)·s_i + bias[i] + userBias[u], the query quantised to int8 per row
   * (out nUsers×nItems; scratch ceil(nUsers·dim / 2) + nUsers floats).
   */
  scoreInt8(outPtr: number, queryPtr: number, itemsPtr: number, scalesPtr: number, biasPtr: number, userBiasPtr: number, nUsers: number, nItems: number, dim: number, scratchPtr: number): void;
}

export type KernelName = keyof Kernels;

/** The kernel list, in ABI order; a test checks it against the WASM exports. */
export const KERNEL_NAMES: readonly KernelName[] = [
  'gather', 'gatherMean', 'scatterAdd', 'scatterAddMean', 'gatherWeighted', 'scatterAddWeighted', 'take', 'takeRows', 'markRows',
  'sgdSparse', 'momentumSparse', 'adagradSparse', 'adamSparse', 'sumSquaresRows', 'scaleRows', 'accumulateRows',
  'gemm', 'gemmNt', 'gemmTn', 'colSum',
  'relu', 'reluBackward', 'sigmoid', 'sigmoidBackward', 'tanh', 'tanhBackward', 'rowDot', 'rowDotBackward',
  'mul', 'fill',
  'mse', 'bceLogits', 'bpr', 'softmaxXentRows',
  'mfSgdChunk', 'mfPredict', 'mfBackward',
  'denseForward', 'denseActBackward',
  'pairHidden', 'pairScore',
  'runOps',
  'skipgramSgd',
  'svdppSgd', 'svdppFold', 'linkSgd',
  'seqPool', 'seqPoolBackward',
  'seqGruForward', 'seqGruBackward',
  'spmm',
  'layerNorm', 'layerNormBackward', 'seqAttention', 'seqAttentionBackward',
  'seqTargetAttention', 'seqTargetAttentionBackward',
  'scoreInt8',
];

/** Pooling modes of the sequence kernels (assembly/seq/pool.ts uses the same numbers). */
export const SEQ_POOL = { mean: 0, sum: 1, max: 2 } as const;

/** Activation codes of the fused dense kernels (assembly/fused/dense.ts uses the same numbers). */
export const DENSE_ACT = { linear: 0, relu: 1 } as const;
