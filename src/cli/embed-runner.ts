// `wasmrec embed`: Word2Vec vectors of words (item titles and tags), item2vec vectors of items
// or users, Node2Vec vectors of graph nodes; written with their ids as CSV, .npy or safetensors.

import { extname } from 'node:path';
import { createBackend, type BackendName } from '../backends/index.js';
import { cooccurrenceGraph } from '../data/cooccurrence.js';
import type { Dataset } from '../data/dataset.js';
import { buildGraph } from '../data/edges.js';
import { readEdgeFile } from '../io/node/edges.js';
import { writeFileAtomic } from '../io/node/model-file.js';
import { encodeIdLines, encodeNpyF32, encodeVectorCsv, encodeVectorSafetensors, type VectorFormat } from '../io/vector-encode.js';
import { item2vec, node2vec, word2vec, type Embeddings } from '../models/embeddings.js';
import type { SkipGramOptions } from '../training/skipgram-trainer.js';
import { resolveData, type DataArgs } from './data-source.js';
import type { CliIO } from './io.js';

export const EMBED_TARGETS = ['words', 'items', 'users'] as const;
export const EMBED_METHODS = ['word2vec', 'node2vec'] as const;

export interface EmbedArgs extends DataArgs {
  what: (typeof EMBED_TARGETS)[number];
  method: (typeof EMBED_METHODS)[number];
  out: string;
  backend: BackendName;
  dim: number;
  epochs: number;
  window?: number;
  negatives?: number;
  sample?: number;
  lr?: number;
  minCount?: number;
  /** words: the item table's text columns (default: title and tags, those the data has). */
  textColumns?: string;
  /** items/users with word2vec: only ratings ≥ this form the sequences. */
  threshold?: number;
  /** node2vec: an edge table over the embedded ids (default for items: the training co-occurrence graph). */
  graph?: string;
  walksPerNode?: number;
  walkLength?: number;
  p?: number;
  q?: number;
  json?: boolean;
}

/** Trains the asked-for vectors on the training part of the split and writes them to args.out. */
export async function runEmbed(args: EmbedArgs, io: CliIO): Promise<Embeddings> {
  const format = formatOf(args.out);
  if (args.what === 'words' && args.method !== 'word2vec') throw new Error('--what words trains with --method word2vec (texts have no graph to walk)');
  const data = await resolveData(args);
  io.err(`data: ${data.description}; training on the ${data.split.train.length} ratings of the split's training part`);
  const backend = await createBackend(args.backend);
  const train: SkipGramOptions = { dim: args.dim, epochs: args.epochs, window: args.window, negatives: args.negatives, sample: args.sample, lr: args.lr, seed: args.seed ?? 42 };
  const started = performance.now();
  const e = await embeddingsOf(args, data.dataset, data.split.train, backend, train, io);
  const seconds = (performance.now() - started) / 1000;
  const name = args.method === 'node2vec' ? 'node2vec' : args.what === 'words' ? 'word2vec' : 'item2vec';
  await writeVectors(args.out, format, e, name, io);
  const summary = { what: args.what, method: args.method, vectors: e.ids.length, dim: e.dim, epochs: e.losses.length, pairs: e.pairs, seconds: Number(seconds.toFixed(3)), pairs_per_second: Math.round(e.pairs / seconds), losses: e.losses.map((l) => Number(l.toFixed(5))), out: args.out };
  if (args.json) io.out(JSON.stringify(summary));
  else io.out(`${name}: ${e.ids.length} ${args.what} × ${e.dim} in ${seconds.toFixed(1)} s (${e.pairs} pairs, ${Math.round(e.pairs / seconds)}/s on ${args.backend}); loss per epoch ${summary.losses.join(' → ')}; wrote ${args.out}`);
  return e;
}

async function embeddingsOf(args: EmbedArgs, dataset: Dataset, train: Dataset['ratings'], backend: Awaited<ReturnType<typeof createBackend>>, opts: SkipGramOptions, io: CliIO): Promise<Embeddings> {
  const users = dataset.userIndex.ids;
  const items = dataset.itemIndex.ids;
  if (args.what === 'words') return word2vec(backend, textsOf(dataset, args.textColumns), { ...opts, minCount: args.minCount });
  if (args.method === 'word2vec') return item2vec(backend, train, users, items, { ...opts, what: args.what, threshold: args.threshold, minCount: args.minCount });
  const ids = args.what === 'users' ? users : items;
  const walks = { walksPerNode: args.walksPerNode, length: args.walkLength, p: args.p, q: args.q };
  // --user-graph / --item-graph (the data's side graphs) serve when --graph is not given.
  const graphFile = args.graph ?? (args.what === 'users' ? args.userGraph : args.itemGraph);
  if (graphFile) {
    const { graph, report } = buildGraph(await readEdgeFile(graphFile), ids, { directed: !args.undirected });
    if (report.warning) io.err(`warning: ${report.warning}`);
    io.err(`graph: ${report.edges} edges among ${ids.length} ${args.what} from ${graphFile}`);
    return node2vec(backend, graph, ids, { ...opts, ...walks });
  }
  if (args.what === 'users') throw new Error('--what users --method node2vec needs --graph FILE or --user-graph FILE (edges between users, e.g. trust links)');
  const graph = cooccurrenceGraph(train, items.length, { threshold: args.threshold });
  io.err(`graph: ${graph.col.length} links among ${items.length} items from co-occurrence in the training part (PMI > 0, ≥ 5 users)`);
  return node2vec(backend, graph, ids, { ...opts, ...walks });
}

/** One text per item and column: titles, and all of an item's tags as one text. */
function textsOf(dataset: Dataset, columns: string | undefined): string[] {
  const table = dataset.items;
  const names = columns ? columns.split(',').map((c) => c.trim()) : ['title', 'tags'].filter((c) => table?.columns[c]);
  if (!table || names.length === 0) throw new Error('--what words needs item texts: the data has no title or tags column (name them with --text-columns)');
  const texts: string[] = [];
  for (const name of names) {
    const col = table.columns[name];
    if (!col) throw new Error(`--text-columns: the items have no column '${name}' (they have ${Object.keys(table.columns).join(', ')})`);
    if (col.kind === 'number') throw new Error(`--text-columns: '${name}' holds numbers, not text`);
    for (const v of col.values) {
      const text = Array.isArray(v) ? v.join(' . ') : v;
      if (text) texts.push(text);
    }
  }
  return texts;
}

function formatOf(path: string): VectorFormat {
  const ext = extname(path).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.npy') return 'npy';
  if (ext === '.safetensors') return 'safetensors';
  throw new Error(`--out ${path}: expected a .csv, .npy or .safetensors file`);
}

/** The ids file written beside a .npy or .safetensors: vectors.npy → vectors.ids.txt. */
export function idsPathOf(path: string): string {
  return `${path.slice(0, path.length - extname(path).length)}.ids.txt`;
}

async function writeVectors(path: string, format: VectorFormat, e: Embeddings, name: string, io: CliIO): Promise<void> {
  if (format === 'csv') return writeFileAtomic(path, encodeVectorCsv(e.ids, e.vectors, e.dim, name));
  const bytes = format === 'npy' ? encodeNpyF32(e.vectors, e.ids.length, e.dim) : encodeVectorSafetensors(e.ids, e.vectors, e.dim, name, { method: name });
  const idsPath = idsPathOf(path);
  // Ids first: a vectors file never appears without the ids that make it readable.
  await writeFileAtomic(idsPath, encodeIdLines(e.ids));
  await writeFileAtomic(path, bytes);
  io.err(`ids in ${idsPath} (one per line, in row order: readVectorFile(path, { idsFile }))`);
}
