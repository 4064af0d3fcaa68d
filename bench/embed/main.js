// Section `embed`: skip-gram training throughput in (center, context) pairs per second, end to
// end (sampling included), on item2vec sentences of MovieLens 100K u1 (each user's items in
// time order): wasmrec's trainer on the wasm and js backends vs a plain-JS Word2Vec loop.

import { parseArgs } from '../lib/args.js';
import { num, spread, table, times } from '../lib/format.js';
import { record } from '../lib/rows.js';
import { ratio, summarize } from '../lib/stats.js';
import { loadMovieLens, loadWasmrec } from '../lib/wasmrec.js';
import { plainWord2Vec } from './plain-word2vec.js';

const opts = parseArgs();
const lib = await loadWasmrec();
const { dataset, train } = await loadMovieLens(lib);
const nItems = dataset.itemIndex.size;
const corpus = lib.behaviourSequences(train, 'user', dataset.userIndex.size);
const sentences = Array.from({ length: corpus.offsets.length - 1 }, (_, s) => Array.from(corpus.tokens.subarray(corpus.offsets[s], corpus.offsets[s + 1])));
const samples = opts.quick ? 3 : 7;
const epochs = 2;

const configs = [
  { dim: 64, window: 5, negatives: 5 },
  { dim: 128, window: 5, negatives: 5 },
];
const wasm = await lib.createBackend('wasm');
const js = await lib.createBackend('js');
const systems = [
  { id: 'wasmrec-wasm', run: (c, seed) => lib.trainSkipGram(wasm, corpus, nItems, { ...c, epochs, seed }).pairs },
  { id: 'wasmrec-js', run: (c, seed) => lib.trainSkipGram(js, corpus, nItems, { ...c, epochs, seed }).pairs },
  { id: 'plain-js', run: (c) => plainWord2Vec(sentences, nItems, { ...c, epochs }).pairs },
];

console.log(`\n## Skip-gram (Word2Vec SGNS) training, end to end\n`);
console.log(`item2vec sentences of MovieLens 100K u1.base: ${sentences.length} users, ${corpus.tokens.length} tokens, ${nItems} items; ${epochs} epochs per sample, window 5 (dynamic), 5 negatives, subsampling 1e-3; median (min–max) of ${samples} alternating samples, single thread.\n`);
const lines = [];
for (const c of configs) {
  const rates = Object.fromEntries(systems.map((s) => [s.id, []]));
  for (const s of systems) s.run(c, 0); // warm-up
  for (let k = 0; k < samples; k++) {
    for (const s of systems) {
      const t0 = performance.now();
      const pairs = s.run(c, k + 1);
      rates[s.id].push(pairs / ((performance.now() - t0) / 1000));
    }
  }
  const sum = Object.fromEntries(systems.map((s) => [s.id, summarize(rates[s.id])]));
  lines.push([`d=${c.dim}`, ...systems.map((s) => spread(sum[s.id], 1e-6)), times(ratio(sum['wasmrec-wasm'].median, sum['plain-js'].median)), times(ratio(sum['wasmrec-wasm'].median, sum['wasmrec-js'].median))]);
  for (const s of systems) record({ section: 'embed', case: 'skipgram-item2vec-ml100k', dim: c.dim, unit: 'M pairs/s', system: s.id, threads: 1, median: sum[s.id].median / 1e6, min: sum[s.id].min / 1e6, max: sum[s.id].max / 1e6, samples: sum[s.id].n });
  process.stderr.write(`  measured d=${c.dim}\n`);
}
console.log(table(['shape', 'wasmrec wasm (M pairs/s)', 'wasmrec js', 'plain JS word2vec', 'wasm ÷ plain JS', 'wasm ÷ js'], lines));
console.log(`\nA pair is one (center, context) update with its ${configs[0].negatives} negatives. ${num(corpus.tokens.length)} tokens per epoch.`);
