// Word2Vec-family training (skip-gram with negative sampling; Mikolov et al. 2013) over a
// corpus of token sentences: pairs and negatives are drawn here with the seeded Rng, and the
// backend's fused skipgramSgd kernel updates the two tables in place, one call per batch.
import type { Backend } from '../backends/backend.js';
import { Rng } from '../random.js';
import type { TokenCorpus } from '../preprocessing/token-corpus.js';
import { keepProbabilities, negativeTable, tokenCounts } from './skipgram-sampling.js';

export interface SkipGramOptions {
  /** Vector width (default 64). */
  dim?: number;
  /** Context tokens on each side (default 5). */
  window?: number;
  /** word2vec's dynamic window: each center uses a window drawn uniformly from 1..window (default true). */
  dynamicWindow?: boolean;
  /** Negatives per pair, from the unigram distribution^0.75 (default 5). */
  negatives?: number;
  /** Subsampling threshold t of frequent tokens (default 1e-3; 0 keeps all). */
  sample?: number;
  /** Starting learning rate (default 0.025), decayed linearly to lr·minLrRatio over the run. */
  lr?: number;
  /** Default 1e-4, as word2vec. */
  minLrRatio?: number;
  /** Default 5. */
  epochs?: number;
  /** Pairs per kernel call (default 4096). */
  batchPairs?: number;
  /** Visit sentences in a new random order each epoch (default true). */
  shuffle?: boolean;
  seed?: number;
}

export interface SkipGramResult {
  /** The input ("word") vectors, vocabSize × dim row-major: what Word2Vec tools export. */
  vectors: Float32Array;
  dim: number;
  /** Mean loss per pair (context term + negatives' terms) of each epoch, before the updates. */
  losses: number[];
  /** (center, context) pairs trained on, over all epochs. */
  pairs: number;
  /** How often each token occurs in the corpus (before subsampling). */
  counts: Float64Array;
}

export const SKIPGRAM_DEFAULTS = { dim: 64, window: 5, negatives: 5, sample: 1e-3, lr: 0.025, minLrRatio: 1e-4, epochs: 5, batchPairs: 4096 } as const;

/** How often a negative equal to the context is redrawn before it is kept (tiny vocabularies). */
const MAX_REDRAWS = 8;

/**
 * Trains skip-gram vectors for tokens 0..vocabSize-1. Deterministic per seed; both backends
 * see the same pairs and negatives (their vectors differ only by float summation order).
 *
 * @example
 * const corpus = corpusOf([[0, 1, 2, 1, 0]]);
 * const { vectors, losses } = trainSkipGram(await createBackend('wasm'), corpus, 3, { dim: 8, epochs: 20 });
 */
export function trainSkipGram(backend: Backend, corpus: TokenCorpus, vocabSize: number, opts: SkipGramOptions = {}): SkipGramResult {
  const o = { ...SKIPGRAM_DEFAULTS, dynamicWindow: true, shuffle: true, seed: 42, ...definedOnly(opts) };
  validate(corpus, vocabSize, o);
  const { tokens, offsets } = corpus;
  const nSentences = offsets.length - 1;
  const { dim, negatives: nNeg, batchPairs } = o;
  const rng = new Rng(o.seed);
  const counts = tokenCounts(tokens, vocabSize);
  const negTable = negativeTable(counts);
  const keep = keepProbabilities(counts, o.sample);

  // word2vec's start: input vectors uniform in ±0.5/dim, output vectors zero.
  const init = new Float32Array(vocabSize * dim);
  for (let k = 0; k < init.length; k++) init[k] = (rng.uniform() - 0.5) / dim;
  const inBuf = backend.allocF32(vocabSize * dim, init);
  const outBuf = backend.allocF32(vocabSize * dim);
  const centers = backend.allocI32(batchPairs);
  const contexts = backend.allocI32(batchPairs);
  const negs = backend.allocI32(batchPairs * nNeg);
  const scratch = backend.allocF32(dim);

  let maxLen = 0;
  for (let s = 0; s < nSentences; s++) maxLen = Math.max(maxLen, offsets[s + 1] - offsets[s]);
  const kept = new Int32Array(maxLen);
  const order = new Int32Array(nSentences);
  const schedule = o.epochs * tokens.length + 1;
  const losses: number[] = [];
  let seen = 0;
  let totalPairs = 0;
  try {
    for (let epoch = 0; epoch < o.epochs; epoch++) {
      if (o.shuffle) rng.permutation(order);
      else for (let s = 0; s < nSentences; s++) order[s] = s;
      // Nothing allocates on the backend inside the epoch, so this view stays valid.
      const ints = backend.heap.i32;
      const cBase = centers.ptr >> 2;
      const xBase = contexts.ptr >> 2;
      const nBase = negs.ptr >> 2;
      let n = 0;
      let lossSum = 0;
      let epochPairs = 0;
      const flush = () => {
        const lr = o.lr * Math.max(o.minLrRatio, 1 - seen / schedule);
        lossSum += backend.kernels.skipgramSgd(inBuf.ptr, outBuf.ptr, centers.ptr, contexts.ptr, negs.ptr, n, nNeg, dim, lr, scratch.ptr);
        epochPairs += n;
        n = 0;
      };
      for (let q = 0; q < nSentences; q++) {
        const s = order[q];
        let len = 0;
        for (let k = offsets[s]; k < offsets[s + 1]; k++) {
          const t = tokens[k];
          if (keep[t] >= 1 || rng.uniform() < keep[t]) kept[len++] = t;
        }
        seen += offsets[s + 1] - offsets[s];
        for (let i = 0; i < len; i++) {
          const reach = o.dynamicWindow ? 1 + rng.int(o.window) : o.window;
          const lo = Math.max(0, i - reach);
          const hi = Math.min(len - 1, i + reach);
          for (let j = lo; j <= hi; j++) {
            if (j === i) continue;
            const context = kept[j];
            ints[cBase + n] = kept[i];
            ints[xBase + n] = context;
            for (let m = 0; m < nNeg; m++) {
              let neg = negTable.sample(rng);
              for (let r = 0; neg === context && r < MAX_REDRAWS; r++) neg = negTable.sample(rng);
              ints[nBase + n * nNeg + m] = neg;
            }
            if (++n === batchPairs) flush();
          }
        }
      }
      if (n > 0) flush();
      const loss = epochPairs > 0 ? lossSum / epochPairs : 0;
      if (!Number.isFinite(loss)) throw new Error(`skip-gram diverged in epoch ${epoch + 1} (loss ${loss}); lower the learning rate`);
      losses.push(loss);
      totalPairs += epochPairs;
    }
    return { vectors: backend.read(inBuf), dim, losses, pairs: totalPairs, counts };
  } finally {
    for (const b of [inBuf, outBuf, centers, contexts, negs, scratch]) backend.free(b);
  }
}

function validate(corpus: TokenCorpus, vocabSize: number, o: Required<SkipGramOptions>): void {
  const int = (name: string, v: number, min: number) => {
    if (!(Number.isInteger(v) && v >= min)) throw new Error(`skip-gram: ${name} must be an integer ≥ ${min}, got ${v}`);
  };
  int('vocabSize', vocabSize, 1);
  int('dim', o.dim, 1);
  int('window', o.window, 1);
  int('negatives', o.negatives, 0);
  int('epochs', o.epochs, 1);
  int('batchPairs', o.batchPairs, 1);
  if (!(o.lr > 0)) throw new Error(`skip-gram: lr must be > 0, got ${o.lr}`);
  const { tokens, offsets } = corpus;
  if (offsets.length < 1 || offsets[0] !== 0 || offsets[offsets.length - 1] !== tokens.length) {
    throw new Error(`skip-gram: offsets must run from 0 to tokens.length (${tokens.length})`);
  }
  for (let s = 1; s < offsets.length; s++) if (offsets[s] < offsets[s - 1]) throw new Error(`skip-gram: offsets decrease at sentence ${s - 1}`);
  for (let k = 0; k < tokens.length; k++) {
    if (!(tokens[k] >= 0 && tokens[k] < vocabSize)) throw new Error(`skip-gram: token ${tokens[k]} at position ${k} is outside 0..${vocabSize - 1}`);
  }
}

/** The options that are set: `{ window: undefined }` (an unset CLI flag) keeps the default. */
export function definedOnly<T extends object>(opts: T): Partial<T> {
  return Object.fromEntries(Object.entries(opts).filter(([, v]) => v !== undefined)) as Partial<T>;
}
