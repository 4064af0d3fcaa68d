// `wasmrec embed`: the options of the embed contract (Word2Vec, item2vec, Node2Vec vectors).
import type { Command } from 'commander';
import type { CliIO } from '../io.js';
import { choiceOption, floatOption, intOption } from '../options.js';
import { checkInputs, checkOutput } from '../paths.js';
import { dataOptions, inputPaths } from '../shared-options.js';
import { EMBED_METHODS, EMBED_TARGETS, runEmbed, type EmbedArgs } from '../embed-runner.js';
import type { TrainArgs } from '../train-runner.js';

export function registerEmbed(program: Command, io: CliIO): void {
  const cmd = program.command('embed').description('skip-gram vectors: Word2Vec of item texts, item2vec of items or users, Node2Vec of graph nodes; written with their ids');
  dataOptions(cmd)
    .option('--what <what>', EMBED_TARGETS.join(' | '), choiceOption(EMBED_TARGETS), 'items')
    .option('--method <method>', `${EMBED_METHODS.join(' | ')} (word2vec over items/users = item2vec over the training sequences)`, choiceOption(EMBED_METHODS), 'word2vec')
    .requiredOption('--out <file>', 'vectors.csv (id,name[0],…) | vectors.npy | vectors.safetensors (both with vectors.ids.txt beside)')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--dim <d>', 'vector width', intOption(1), 64)
    .option('--epochs <n>', 'passes over the corpus', intOption(1), 5)
    .option('--window <n>', 'context tokens on each side (default 5; item2vec 20)', intOption(1))
    .option('--negatives <n>', 'negatives per pair from unigram^0.75 (default 5)', intOption(0))
    .option('--sample <t>', 'subsampling threshold of frequent tokens (default 1e-3; 0 = off)', floatOption(0, 1))
    .option('--lr <x>', 'starting learning rate, decayed linearly (default 0.025)', floatOption(1e-9))
    .option('--min-count <n>', 'words (default 5) or items/users (default 1) seen fewer times get no vector', intOption(1))
    .option('--text-columns <cols>', '--what words: item text columns (default: title,tags where present)')
    .option('--threshold <x>', 'items/users: only ratings ≥ x form the sequences (node2vec: the co-occurrence graph; default 4 there)', floatOption(-Infinity))
    .option('--graph <file>', 'node2vec: edges among the embedded ids (source target [weight]; default --user-graph/--item-graph); items without one walk the co-occurrence graph')
    .option('--walks-per-node <n>', 'node2vec: walks started from each node (default 10)', intOption(1))
    .option('--walk-length <n>', 'node2vec: nodes per walk (default 80)', intOption(2))
    .option('--p <x>', 'node2vec: return parameter (default 1)', floatOption(1e-9))
    .option('--q <x>', 'node2vec: in-out parameter, < 1 explores outward (default 1)', floatOption(1e-9))
    .option('--json', 'print one JSON object with the run on the last line of stdout')
    .action(async (opts: EmbedArgs) => {
      await checkInputs([...inputPaths(opts as unknown as TrainArgs), { flag: '--graph', path: opts.graph }]);
      await checkOutput({ flag: '--out', path: opts.out });
      await runEmbed(opts, io);
    });
}
