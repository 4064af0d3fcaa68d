// Word2Vec-family embeddings of words, items, users and graph nodes, all trained by the same
// skip-gram trainer (training/skipgram-trainer.ts): Word2Vec over texts, item2vec over
// behaviour sequences, DeepWalk/Node2Vec over random walks.
import type { Backend } from '../backends/backend.js';
import type { Interactions } from '../data/interactions.js';
import { randomWalks, type WalkGraph, type WalkOptions } from '../preprocessing/random-walks.js';
import { behaviourSequences, textCorpus, type SequenceOptions, type TextCorpusOptions, type TokenCorpus } from '../preprocessing/token-corpus.js';
import { definedOnly, trainSkipGram, type SkipGramOptions } from '../training/skipgram-trainer.js';

/** Vectors with the ids of their rows: what `wasmrec embed` writes and a `vector` feature reads. */
export interface Embeddings {
  ids: string[];
  /** ids.length × dim, row-major. */
  vectors: Float32Array;
  dim: number;
  /** Mean skip-gram loss per pair of each epoch. */
  losses: number[];
  /** (center, context) pairs trained on over all epochs. */
  pairs: number;
}

/**
 * Word2Vec (skip-gram, negative sampling) over texts, one sentence per text; the vectors of
 * the words seen at least minCount times (default 5), most frequent first.
 *
 * @example
 * const words = word2vec(backend, titles, { dim: 32, minCount: 2, epochs: 10 });
 */
export function word2vec(backend: Backend, texts: Iterable<string>, opts: SkipGramOptions & TextCorpusOptions = {}): Embeddings {
  const { corpus, vocab } = textCorpus(texts, opts);
  if (vocab.length === 0) throw new Error(`word2vec: no word occurs at least ${opts.minCount ?? 5} times`);
  return keepSeen(vocab, corpus, opts, backend, 1);
}

export interface Item2VecOptions extends SkipGramOptions, SequenceOptions {
  /** 'items' (default): items embedded from each user's sequence; 'users': users from each item's sequence. */
  what?: 'items' | 'users';
  /** Items (users) in fewer sequences than this get no vector (default 1). */
  minCount?: number;
}

/** item2vec's defaults: a wide window (Barkan & Koenigstein use the whole set) without word2vec's dynamic shrinking. */
export const ITEM2VEC_DEFAULTS = { window: 20, dynamicWindow: false } as const;

/**
 * item2vec (Barkan & Koenigstein 2016): items that the same users interact with, close in time,
 * get similar vectors. `ids` are the raw ids of the tokens (dataset.itemIndex.ids for items).
 *
 * @example
 * const items = item2vec(backend, split.train, dataset.userIndex.ids, dataset.itemIndex.ids, { threshold: 4 });
 */
export function item2vec(backend: Backend, data: Interactions, userIds: readonly string[], itemIds: readonly string[], opts: Item2VecOptions = {}): Embeddings {
  const users = opts.what === 'users';
  const corpus = behaviourSequences(data, users ? 'item' : 'user', users ? itemIds.length : userIds.length, opts);
  return keepSeen(users ? userIds : itemIds, corpus, { ...ITEM2VEC_DEFAULTS, ...definedOnly(opts) }, backend, opts.minCount ?? 1);
}

/**
 * Node2Vec / DeepWalk: skip-gram over biased random walks of a graph whose node n has id ids[n].
 * Nodes no walk reaches get no vector.
 *
 * @example
 * const items = node2vec(backend, cooccurrenceGraph(train, nItems), dataset.itemIndex.ids, { p: 1, q: 0.5 });
 */
export function node2vec(backend: Backend, graph: WalkGraph, ids: readonly string[], opts: SkipGramOptions & WalkOptions = {}): Embeddings {
  if (ids.length !== graph.nodes) throw new Error(`node2vec: ${ids.length} ids for a graph of ${graph.nodes} nodes`);
  const corpus = randomWalks(graph, opts);
  if (corpus.tokens.length === 0) throw new Error('node2vec: the graph has no edges to walk');
  return keepSeen(ids, corpus, opts, backend, 1);
}

/** Trains on the corpus and keeps the rows of tokens that occur at least minCount times. */
function keepSeen(ids: readonly string[], corpus: TokenCorpus, opts: SkipGramOptions, backend: Backend, minCount: number): Embeddings {
  const r = trainSkipGram(backend, corpus, ids.length, opts);
  const rows: number[] = [];
  r.counts.forEach((c, k) => c >= minCount && c > 0 && rows.push(k));
  const vectors = new Float32Array(rows.length * r.dim);
  rows.forEach((k, j) => vectors.set(r.vectors.subarray(k * r.dim, (k + 1) * r.dim), j * r.dim));
  return { ids: rows.map((k) => ids[k]), vectors, dim: r.dim, losses: r.losses, pairs: r.pairs };
}

/**
 * The k rows most similar to row `row` by cosine (itself excluded), most similar first.
 *
 * @example
 * mostSimilar(items, items.ids.indexOf('50'), 10).map((r) => items.ids[r]);
 */
export function mostSimilar(e: Pick<Embeddings, 'vectors' | 'dim'>, row: number, k: number): number[] {
  const { vectors: v, dim } = e;
  const n = v.length / dim;
  const norms = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    let s = 0;
    for (let c = 0; c < dim; c++) s += v[r * dim + c] ** 2;
    norms[r] = Math.sqrt(s) || 1;
  }
  const scores: [number, number][] = [];
  for (let r = 0; r < n; r++) {
    if (r === row) continue;
    let s = 0;
    for (let c = 0; c < dim; c++) s += v[r * dim + c] * v[row * dim + c];
    scores.push([s / (norms[r] * norms[row]), r]);
  }
  return scores.sort((a, b) => b[0] - a[0] || a[1] - b[1]).slice(0, k).map(([, r]) => r);
}
