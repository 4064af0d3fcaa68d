// The skip-gram trainer: tokens that share contexts end up close, runs repeat per seed, both
// backends train on the same pairs to nearly the same vectors, and the sampling helpers draw
// what they promise.
import { describe, expect, it } from 'vitest';
import { createBackend } from '../../src/backends/index.js';
import { Rng } from '../../src/random.js';
import { AliasTable, keepProbabilities } from '../../src/training/skipgram-sampling.js';
import { corpusOf } from '../../src/preprocessing/token-corpus.js';
import { trainSkipGram } from '../../src/training/skipgram-trainer.js';

/** Two topics of 10 tokens each: sentences mix tokens of one topic only. */
function topicCorpus(seed: number, sentences = 400) {
  const rng = new Rng(seed);
  return corpusOf(Array.from({ length: sentences }, (_, s) => Array.from({ length: 8 }, () => (s % 2) * 10 + rng.int(10))));
}

const cosine = (v: Float32Array, dim: number, a: number, b: number) => {
  let ab = 0, aa = 0, bb = 0;
  for (let c = 0; c < dim; c++) {
    ab += v[a * dim + c] * v[b * dim + c];
    aa += v[a * dim + c] ** 2;
    bb += v[b * dim + c] ** 2;
  }
  return ab / Math.sqrt(aa * bb);
};

describe('trainSkipGram', () => {
  it('puts tokens of the same topic closer than tokens of different topics, and the loss falls', async () => {
    const be = await createBackend('wasm');
    const dim = 16;
    const r = trainSkipGram(be, topicCorpus(1), 20, { dim, epochs: 10, sample: 0, seed: 3 });
    expect(r.losses[r.losses.length - 1]).toBeLessThan(r.losses[0] * 0.9);
    let same = 0, other = 0, nSame = 0, nOther = 0;
    for (let a = 0; a < 20; a++) for (let b = a + 1; b < 20; b++) {
      const c = cosine(r.vectors, dim, a, b);
      if ((a < 10) === (b < 10)) (same += c), nSame++;
      else (other += c), nOther++;
    }
    expect(same / nSame).toBeGreaterThan(other / nOther + 0.5);
  });

  it('repeats per seed, differs across seeds, and both backends give the same vectors up to float rounding', async () => {
    const corpus = topicCorpus(2, 200);
    const opts = { dim: 13, epochs: 3, seed: 9, window: 3 };
    const wasm = await createBackend('wasm');
    const js = await createBackend('js');
    const a = trainSkipGram(wasm, corpus, 20, opts);
    const b = trainSkipGram(wasm, corpus, 20, opts);
    const c = trainSkipGram(wasm, corpus, 20, { ...opts, seed: 10 });
    const d = trainSkipGram(js, corpus, 20, opts);
    expect(Array.from(b.vectors)).toEqual(Array.from(a.vectors));
    expect(Array.from(c.vectors)).not.toEqual(Array.from(a.vectors));
    expect(d.pairs).toBe(a.pairs);
    let maxDiff = 0, maxAbs = 0;
    for (let k = 0; k < a.vectors.length; k++) {
      maxDiff = Math.max(maxDiff, Math.abs(a.vectors[k] - d.vectors[k]));
      maxAbs = Math.max(maxAbs, Math.abs(a.vectors[k]));
    }
    // SIMD lane order changes dot products by an ulp; nothing else may differ.
    expect(maxDiff).toBeLessThan(1e-4 * maxAbs);
    for (let e = 0; e < 3; e++) expect(d.losses[e]).toBeCloseTo(a.losses[e], 5);
  });

  it('leaves the heap as it found it and rejects tokens outside the vocabulary', async () => {
    const be = await createBackend('js');
    const before = be.heap.bytesInUse;
    trainSkipGram(be, topicCorpus(3, 20), 20, { dim: 4, epochs: 1 });
    expect(be.heap.bytesInUse).toBe(before);
    expect(() => trainSkipGram(be, corpusOf([[0, 20]]), 20)).toThrow(/token 20 at position 1/);
    // An option given as undefined (an unset flag) keeps its default.
    const corpus = topicCorpus(4, 20);
    expect(Array.from(trainSkipGram(be, corpus, 20, { dim: 4, epochs: 1, window: undefined }).vectors)).toEqual(Array.from(trainSkipGram(be, corpus, 20, { dim: 4, epochs: 1 }).vectors));
  });
});

describe('skip-gram sampling', () => {
  it('the alias table draws each index in proportion to its weight', () => {
    const weights = [1, 0, 3, 6, 0.5];
    const table = new AliasTable(weights);
    const rng = new Rng(5);
    const hits = new Float64Array(weights.length);
    const n = 200_000;
    for (let k = 0; k < n; k++) hits[table.sample(rng)]++;
    const total = weights.reduce((s, w) => s + w, 0);
    weights.forEach((w, k) => expect(Math.abs(hits[k] / n - w / total)).toBeLessThan(0.005));
    expect(hits[1]).toBe(0);
  });

  it('keeps rare tokens and drops frequent ones as word2vec does', () => {
    const keep = keepProbabilities(Float64Array.of(1, 10, 1000, 0), 1e-2);
    expect(keep[0]).toBe(1);
    // f = 1000/1011, t = 0.01: (√(f/t) + 1)·t/f ≈ 0.11
    expect(keep[2]).toBeCloseTo((Math.sqrt(1000 / 1011 / 0.01) + 1) * 0.01 / (1000 / 1011), 10);
    expect(keepProbabilities(Float64Array.of(5, 5000), 0)[1]).toBe(1);
  });
});
