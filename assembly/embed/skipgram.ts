// Skip-gram with negative sampling (Mikolov et al., "Distributed representations of words
// and phrases and their compositionality", NeurIPS 2013): the SGD step of Word2Vec, item2vec
// and Node2Vec over a batch of (center, context) pairs.
import { hsum } from '../shared/simd';

// @ts-ignore: decorator
@inline function dot(a: usize, b: usize, dim: i32): f32 {
  const vecEnd = dim & ~3;
  let acc = f32x4.splat(0);
  let c = 0;
  for (; c < vecEnd; c += 4) acc = f32x4.add(acc, f32x4.mul(v128.load(a + (<usize>c << 2)), v128.load(b + (<usize>c << 2))));
  let s = hsum(acc);
  for (; c < dim; c++) s += load<f32>(a + (<usize>c << 2)) * load<f32>(b + (<usize>c << 2));
  return s;
}

/** y += g x over dim floats. */
// @ts-ignore: decorator
@inline function axpy(y: usize, g: f32, x: usize, dim: i32): void {
  const vecEnd = dim & ~3;
  const gV = f32x4.splat(g);
  let c = 0;
  for (; c < vecEnd; c += 4) {
    const off = <usize>c << 2;
    v128.store(y + off, f32x4.add(v128.load(y + off), f32x4.mul(gV, v128.load(x + off))));
  }
  for (; c < dim; c++) store<f32>(y + (<usize>c << 2), load<f32>(y + (<usize>c << 2)) + g * load<f32>(x + (<usize>c << 2)));
}

/**
 * For each pair p < nPairs, in order: the center's input vector v = IN[centers[p]] and the
 * targets t = contexts[p] (label 1), negatives[p·nNeg + j] (label 0, j < nNeg):
 *   s = v·OUT[t];  g = lr (label − σ(s));  acc += g OUT[t];  OUT[t] += g v
 * then IN[centers[p]] += acc. Returns Σ −log σ(±s) (f64): the loss before the updates.
 * IN and OUT are rows × dim row-major f32 tables (updated in place; they must not overlap);
 * centers, contexts, negatives i32; scratch holds dim f32 (acc).
 */
export function embed_skipgram_sgd_f32(inPtr: usize, outPtr: usize, centersPtr: usize, contextsPtr: usize, negativesPtr: usize, nPairs: i32, nNeg: i32, dim: i32, lr: f32, scratchPtr: usize): f64 {
  const rowBytes = <usize>dim << 2;
  let loss: f64 = 0;
  for (let p = 0; p < nPairs; p++) {
    const v = inPtr + <usize>load<i32>(centersPtr + (<usize>p << 2)) * rowBytes;
    memory.fill(scratchPtr, 0, rowBytes);
    for (let j = -1; j < nNeg; j++) {
      const target = j < 0 ? load<i32>(contextsPtr + (<usize>p << 2)) : load<i32>(negativesPtr + ((<usize>p * <usize>nNeg + <usize>j) << 2));
      const u = outPtr + <usize>target * rowBytes;
      const s = dot(v, u, dim);
      const label: f32 = j < 0 ? 1 : 0;
      // −log σ(z) = log(1 + e^−z), computed without overflow; z = s for the context, −s for negatives.
      const z: f64 = j < 0 ? <f64>s : -(<f64>s);
      loss += z > 0 ? Math.log1p(Math.exp(-z)) : -z + Math.log1p(Math.exp(z));
      const sig: f32 = <f32>(1 / (1 + Math.exp(-(<f64>s))));
      const g: f32 = lr * (label - sig);
      axpy(scratchPtr, g, u, dim);
      axpy(u, g, v, dim);
    }
    axpy(v, 1, scratchPtr, dim);
  }
  return loss;
}
