// The sampling side of Word2Vec (Mikolov et al. 2013): negatives from the unigram
// distribution raised to 0.75 (an alias table), and the keep probability of frequent-token
// subsampling. All draws go through the seeded Rng, so both backends see identical pairs.
import type { Rng } from '../random.js';

/**
 * Walker's alias table over weights: one uniform draw picks an index in O(1) with exactly
 * the weights' probabilities (word2vec's 10⁸-entry unigram table approximates the same
 * distribution with 400 MB; the alias table needs 8 bytes per token).
 *
 * @example
 * const table = new AliasTable(Float64Array.of(1, 3));
 * table.sample(new Rng(1)); // 1 three times as often as 0
 */
export class AliasTable {
  private readonly prob: Float64Array;
  private readonly alias: Int32Array;
  readonly size: number;

  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    let total = 0;
    for (let k = 0; k < n; k++) total += weights[k];
    if (!(n > 0 && total > 0)) throw new Error('AliasTable: needs at least one positive weight');
    this.size = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    const scaled = Float64Array.from(weights, (w) => (w * n) / total);
    const small: number[] = [];
    const large: number[] = [];
    for (let k = 0; k < n; k++) (scaled[k] < 1 ? small : large).push(k);
    while (small.length > 0 && large.length > 0) {
      const s = small.pop()!;
      const l = large[large.length - 1];
      this.prob[s] = scaled[s];
      this.alias[s] = l;
      scaled[l] -= 1 - scaled[s];
      if (scaled[l] < 1) small.push(large.pop()!);
    }
    // What is left is 1 up to rounding.
    for (const k of large) this.prob[k] = 1;
    for (const k of small) this.prob[k] = 1;
  }

  /** One index, drawn with probability proportional to its weight. */
  sample(rng: Rng): number {
    const u = rng.uniform() * this.size;
    const k = u | 0;
    return u - k < this.prob[k] ? k : this.alias[k];
  }
}

/** Token counts over a corpus of `vocabSize` tokens. */
export function tokenCounts(tokens: Int32Array, vocabSize: number): Float64Array {
  const counts = new Float64Array(vocabSize);
  for (let k = 0; k < tokens.length; k++) counts[tokens[k]]++;
  return counts;
}

/** The negative-sampling distribution: count^power (0.75 in word2vec). */
export function negativeTable(counts: Float64Array, power = 0.75): AliasTable {
  return new AliasTable(Float64Array.from(counts, (c) => (c > 0 ? Math.pow(c, power) : 0)));
}

/**
 * word2vec's keep probability of a token with frequency f = count/total under threshold t:
 * (√(f/t) + 1)·t/f, capped at 1 (t ≤ 0 keeps everything). Frequent tokens are mostly
 * dropped, which both speeds training and improves rare tokens' vectors.
 */
export function keepProbabilities(counts: Float64Array, sample: number): Float64Array {
  let total = 0;
  for (const c of counts) total += c;
  return Float64Array.from(counts, (c) => {
    if (!(sample > 0) || c === 0) return 1;
    const ft = c / (sample * total);
    return Math.min(1, (Math.sqrt(ft) + 1) / ft);
  });
}
