// Corpora for skip-gram: texts become word-id sentences with a count-ordered vocabulary;
// behaviour becomes each user's items in time order, ties in file order.
import { describe, expect, it } from 'vitest';
import { interactions } from '../../src/data/interactions.js';
import { behaviourSequences, corpusOf, textCorpus } from '../../src/preprocessing/token-corpus.js';

const sentences = (c: { tokens: Int32Array; offsets: Int32Array }) =>
  Array.from({ length: c.offsets.length - 1 }, (_, s) => Array.from(c.tokens.subarray(c.offsets[s], c.offsets[s + 1])));

describe('token corpora', () => {
  it('textCorpus: words by count (ties by the word), rare words dropped from the sentences', () => {
    const t = textCorpus(['Dark comedy, dark!', 'a comedy', 'drama', 'Comedy'], { minCount: 2 });
    expect(t.vocab).toEqual(['comedy', 'dark']);
    expect(t.counts).toEqual([3, 2]);
    expect(sentences(t.corpus)).toEqual([[1, 0, 1], [0], [], [0]]);
  });

  it('behaviourSequences: items per user in time order, equal times in file order, below the threshold left out', () => {
    const data = interactions(Int32Array.of(1, 0, 1, 1, 0, 1), Int32Array.of(5, 2, 3, 4, 1, 0), Float32Array.of(5, 4, 3, 5, 5, 4), Float64Array.of(30, 20, 10, 10, 10, 50));
    expect(sentences(behaviourSequences(data, 'user', 3))).toEqual([[1, 2], [3, 4, 5, 0], []]);
    expect(sentences(behaviourSequences(data, 'user', 3, { threshold: 4 }))).toEqual([[1, 2], [4, 5, 0], []]);
    expect(sentences(behaviourSequences(data, 'item', 6))[1]).toEqual([0]);
    const untimed = interactions(Int32Array.of(0, 0), Int32Array.of(7, 3), Float32Array.of(1, 1));
    expect(sentences(behaviourSequences(untimed, 'user', 1))).toEqual([[7, 3]]);
    expect(sentences(corpusOf([[1], [], [2, 3]]))).toEqual([[1], [], [2, 3]]);
  });
});
