// A plain-JavaScript Word2Vec (skip-gram, negative sampling) as someone without wasmrec would
// write it from the paper and word2vec.c: Float32Array tables, Math.random, a unigram^0.75
// lookup table, subsampling and the dynamic window. The baseline of the embed bench.

const TABLE_SIZE = 1e6;

/** Trains one run over `sentences` (arrays of token ids); returns { syn0, pairs }. */
export function plainWord2Vec(sentences, vocabSize, { dim = 64, window = 5, negatives = 5, sample = 1e-3, lr0 = 0.025, epochs = 1 } = {}) {
  const counts = new Float64Array(vocabSize);
  let total = 0;
  for (const s of sentences) for (const w of s) counts[w]++, total++;
  // word2vec.c's unigram table: each token fills a share of slots ∝ count^0.75.
  const table = new Int32Array(TABLE_SIZE);
  let norm = 0;
  for (let w = 0; w < vocabSize; w++) norm += Math.pow(counts[w], 0.75);
  let w = 0;
  let cum = Math.pow(counts[0], 0.75) / norm;
  for (let a = 0; a < TABLE_SIZE; a++) {
    table[a] = w;
    if (a / TABLE_SIZE > cum && w < vocabSize - 1) cum += Math.pow(counts[++w], 0.75) / norm;
  }
  const syn0 = new Float32Array(vocabSize * dim);
  for (let k = 0; k < syn0.length; k++) syn0[k] = (Math.random() - 0.5) / dim;
  const syn1 = new Float32Array(vocabSize * dim);
  const neu1e = new Float32Array(dim);
  const keep = Float64Array.from(counts, (c) => (c === 0 ? 1 : Math.min(1, (Math.sqrt(c / (sample * total)) + 1) * (sample * total) / c)));
  let pairs = 0;
  let seen = 0;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (const sentence of sentences) {
      const kept = sentence.filter((t) => Math.random() < keep[t]);
      seen += sentence.length;
      const lr = lr0 * Math.max(1e-4, 1 - seen / (epochs * total + 1));
      for (let i = 0; i < kept.length; i++) {
        const b = Math.floor(Math.random() * window);
        for (let j = Math.max(0, i - window + b); j <= Math.min(kept.length - 1, i + window - b); j++) {
          if (j === i) continue;
          const l1 = kept[i] * dim;
          neu1e.fill(0);
          for (let d = 0; d <= negatives; d++) {
            let target, label;
            if (d === 0) {
              target = kept[j];
              label = 1;
            } else {
              target = table[Math.floor(Math.random() * TABLE_SIZE)];
              if (target === kept[j]) continue;
              label = 0;
            }
            const l2 = target * dim;
            let f = 0;
            for (let c = 0; c < dim; c++) f += syn0[l1 + c] * syn1[l2 + c];
            const g = (label - 1 / (1 + Math.exp(-f))) * lr;
            for (let c = 0; c < dim; c++) neu1e[c] += g * syn1[l2 + c];
            for (let c = 0; c < dim; c++) syn1[l2 + c] += g * syn0[l1 + c];
          }
          for (let c = 0; c < dim; c++) syn0[l1 + c] += neu1e[c];
          pairs++;
        }
      }
    }
  }
  return { syn0, pairs };
}
