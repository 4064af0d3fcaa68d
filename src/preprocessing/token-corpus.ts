// Corpora for Word2Vec-family training: sentences of token ids, from free text (words with a
// minimum count) or from behaviour (item2vec: each user's items in time order; or each
// item's users).
import type { Interactions } from '../data/interactions.js';
import { tokenize } from './text-tokens.js';

/** Sentences of token ids: sentence s is tokens[offsets[s] .. offsets[s+1]). */
export interface TokenCorpus {
  readonly tokens: Int32Array;
  /** nSentences + 1 ascending offsets into tokens, starting at 0. */
  readonly offsets: Int32Array;
}

/**
 * A corpus from arrays of token ids, one array per sentence.
 *
 * @example
 * corpusOf([[0, 1, 2], [2, 1]]); // tokens 0 1 2 2 1, offsets 0 3 5
 */
export function corpusOf(sentences: readonly ArrayLike<number>[]): TokenCorpus {
  const offsets = new Int32Array(sentences.length + 1);
  sentences.forEach((s, k) => (offsets[k + 1] = offsets[k] + s.length));
  const tokens = new Int32Array(offsets[sentences.length]);
  sentences.forEach((s, k) => tokens.set(s, offsets[k]));
  return { tokens, offsets };
}

export interface TextCorpusOptions {
  /** Words seen fewer times are left out of the vocabulary and the sentences (default 5, as word2vec). */
  minCount?: number;
  /** Also count adjacent word pairs "a b" as tokens (default false: words only). */
  bigrams?: boolean;
}

/** Texts as sentences of word ids, with the vocabulary (most frequent first) and its counts. */
export interface TextCorpus {
  corpus: TokenCorpus;
  vocab: string[];
  counts: number[];
}

/**
 * Each text becomes one sentence of its words (tokenize: Unicode words, lower case), rare
 * words dropped. The vocabulary is ordered by count, ties by the word, so it does not
 * depend on the order of the texts.
 *
 * @example
 * textCorpus(['dark comedy', 'dark drama'], { minCount: 2 }).vocab; // ['dark']
 */
export function textCorpus(texts: Iterable<string>, opts: TextCorpusOptions = {}): TextCorpus {
  const minCount = opts.minCount ?? 5;
  const tokenOpts = { bigrams: opts.bigrams ?? false };
  const sentences = [...texts].map((t) => tokenize(t, tokenOpts));
  const freq = new Map<string, number>();
  for (const s of sentences) for (const w of s) freq.set(w, (freq.get(w) ?? 0) + 1);
  const vocab = [...freq].filter(([, c]) => c >= minCount).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([w]) => w);
  const index = new Map(vocab.map((w, k) => [w, k]));
  const ids = sentences.map((s) => s.flatMap((w) => (index.has(w) ? [index.get(w)!] : [])));
  return { corpus: corpusOf(ids), vocab, counts: vocab.map((w) => freq.get(w)!) };
}

export interface SequenceOptions {
  /** Only interactions rated ≥ this take part (default: all). */
  threshold?: number;
}

/**
 * Behaviour as sentences (item2vec, Barkan & Koenigstein 2016): with by = 'user', sentence u
 * holds the items user u interacted with, in time order (ties, and data without timestamps,
 * in file order); with by = 'item', sentence i holds item i's users likewise. Tokens are
 * item (or user) indices; there is one sentence per index 0..nGroups-1, empty when it has none.
 *
 * @example
 * const corpus = behaviourSequences(split.train, 'user', dataset.userIndex.size, { threshold: 4 });
 */
export function behaviourSequences(data: Interactions, by: 'user' | 'item', nGroups: number, opts: SequenceOptions = {}): TokenCorpus {
  const threshold = opts.threshold ?? -Infinity;
  const groupOf = by === 'user' ? data.users : data.items;
  const tokenOf = by === 'user' ? data.items : data.users;
  const offsets = new Int32Array(nGroups + 1);
  for (let x = 0; x < data.length; x++) if (data.ratings[x] >= threshold) offsets[groupOf[x] + 1]++;
  for (let g = 0; g < nGroups; g++) offsets[g + 1] += offsets[g];
  // Counting sort by group keeps file order inside each group; then a stable sort by time.
  const rows = new Int32Array(offsets[nGroups]);
  const fill = offsets.slice(0, nGroups);
  for (let x = 0; x < data.length; x++) if (data.ratings[x] >= threshold) rows[fill[groupOf[x]]++] = x;
  const ts = data.timestamps;
  if (ts) {
    for (let g = 0; g < nGroups; g++) {
      const part = Array.from(rows.subarray(offsets[g], offsets[g + 1]));
      part.sort((a, b) => ts[a] - ts[b]);
      rows.set(part, offsets[g]);
    }
  }
  return { tokens: Int32Array.from(rows, (x) => tokenOf[x]), offsets };
}
