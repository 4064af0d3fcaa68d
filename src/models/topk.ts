// Top-k selection over a score vector, skipping excluded entries.

export interface Ranked {
  /** Indices of the k best scores, best first. */
  indices: Int32Array;
  scores: Float32Array;
}

/**
 * The k highest scores, best first; ties broken by the lower index so results are
 * deterministic. `exclude[i] !== 0` skips entry i (e.g. items the user already rated).
 * O(n log k) with a small binary heap.
 *
 * @example
 * topK(new Float32Array([0.1, 0.9, 0.5]), 2).indices; // Int32Array [1, 2]
 */
export function topK(scores: ArrayLike<number>, k: number, exclude?: ArrayLike<number>): Ranked {
  const heapIdx: number[] = [];
  // Min-heap on (score, -index): the root is the worst of the current best k.
  const worse = (a: number, b: number) => scores[a] < scores[b] || (scores[a] === scores[b] && a > b);
  const siftDown = (i: number) => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heapIdx.length && worse(heapIdx[l], heapIdx[m])) m = l;
      if (r < heapIdx.length && worse(heapIdx[r], heapIdx[m])) m = r;
      if (m === i) return;
      [heapIdx[i], heapIdx[m]] = [heapIdx[m], heapIdx[i]];
      i = m;
    }
  };
  // The worst kept score: once the heap is full, most entries of a large catalogue fall below
  // it and are dropped by one comparison (which NaN fails too) instead of a call to `worse`.
  let floor = -Infinity;
  for (let i = 0; i < scores.length; i++) {
    if (!(scores[i] >= floor)) continue;
    if (exclude && exclude[i]) continue;
    if (heapIdx.length < k) {
      heapIdx.push(i);
      for (let c = heapIdx.length - 1; c > 0; ) {
        const p = (c - 1) >> 1;
        if (!worse(heapIdx[c], heapIdx[p])) break;
        [heapIdx[c], heapIdx[p]] = [heapIdx[p], heapIdx[c]];
        c = p;
      }
      if (heapIdx.length === k) floor = scores[heapIdx[0]];
    } else if (k > 0 && worse(heapIdx[0], i)) {
      heapIdx[0] = i;
      siftDown(0);
      floor = scores[heapIdx[0]];
    }
  }
  const indices = Int32Array.from(heapIdx).sort((a, b) => (worse(a, b) ? 1 : worse(b, a) ? -1 : 0));
  return { indices, scores: Float32Array.from(indices, (i) => scores[i]) };
}
