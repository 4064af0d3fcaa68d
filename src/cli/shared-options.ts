// Option groups shared by train, cv and grid, so the same flags mean the same thing.
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { MODEL_KINDS } from '../models/factory.js';
import { FEATURE_PRESETS } from '../preprocessing/auto.js';
import { SEQUENCE_ENCODERS } from '../models/sequence-two-tower.js';
import { SCORE_FUSIONS } from '../models/score-fusion.js';
import { choiceOption, floatOption, intListOption, intOption } from './options.js';
import type { TrainArgs } from './train-args.js';
import { checkInputs, type PathArg } from './paths.js';

const OPTIMIZERS = ['sgd', 'momentum', 'adagrad', 'adam', 'adamw'] as const;

/** --data, --format, CSV files, --seed (and --split unless the command picks splits itself). */
export function dataOptions(cmd: Command, withSplit = true): Command {
  cmd
    .option('--data <dir>', "data folder (default: WASMREC_DATA, ../shared/data, the fetch cache; else generated data); 'synthetic' = generated")
    .option('--synthetic-size <u,i,r>', 'generated data of this size: users,items,ratings (default 600,900,60000; implies --data synthetic)', intListOption())
    .option('--format <format>', 'auto | ml-100k | ml-1m | ml-latest | csv', 'auto')
    .option('--ratings <file>', '--format csv: the ratings file (CSV or TSV, header optional)')
    .option('--test-ratings <file>', '--format csv: a separate test file (then it is the test set)')
    .option('--user-features <file>', '--format csv: user feature table keyed by the first column or `user`')
    .option('--item-features <file>', '--format csv: item feature table keyed by the first column or `item`')
    .option('--columns <map>', '--format csv: user=…,item=…,rating=…,time=… when the header names differ')
    .option('--user-graph <file>', 'edges between users (source target [weight]; e.g. trust links): a neighbours feature and the graph of graph models')
    .option('--item-graph <file>', 'edges between items, likewise')
    .option('--undirected', 'the graph files\' edges go both ways (default: directed, source → target)')
    .option('--seed <n>', 'seed for initialisation, shuffling and splits', intOption(0), 42);
  if (withSplit) {
    cmd
      .option('--split <split>', 'u1..u5 | random | kfold | leave-k-out | temporal | cold-users | cold-items | last-item | given (default: u1, or given with --test-ratings)')
      .option('--test-fraction <x>', 'test share for random/temporal/cold splits', floatOption(0, 1));
  }
  return cmd;
}

/** The model, backend, optimizer and architecture flags. */
export function modelOptions(cmd: Command): Command {
  return cmd
    .option('--model <model>', MODEL_KINDS.join(' | '), choiceOption(MODEL_KINDS), 'mf')
    .option('--backend <backend>', 'wasm | js', choiceOption(['wasm', 'js'] as const), 'wasm')
    .option('--threads <n>', 'wasm threads: mf with sgd and --batch 1 (DSGD) and two-tower with mse/bce/bpr and ≥ 256 batch rows per thread (data-parallel) train on all of them; other models use one', intOption(1))
    .option('--features <spec>', 'auto | auto+history (adds each user\'s and item\'s pooled training history) | auto+titles (adds the item titles as text where auto leaves them out, as on ML-100K) | none | a feature spec JSON file (linear, two-tower)', 'auto')
    .option('--epochs <n>', 'training epochs (at least 1)', intOption(1))
    .option('--factors <k>', 'latent factors (mf, svdpp, linear, lightgcn; youtube, sequence-two-tower, gru4rec, sasrec, bst: the vector width)', intOption(0))
    .option('--layers <k>', 'lightgcn propagation layers', intOption(0))
    .option('--trust-weight <x>', "svdpp with --user-graph: TrustSVD's trust term λ_t (p_u·w_v fitted to each link; default 0)", floatOption(0))
    .option('--time-gaps', 'youtube, sequence-two-tower: each event also carries its time to the prediction; bst: its time to the next event (the latest: to the prediction); log-bucketed, needs timestamps')
    .option('--demographics', "youtube: the user's categorical features (age group, gender, occupation…) join the user tower's input; bst: they join the MLP's input")
    .option('--item-tower', "bst: item vectors (history tokens and candidates) from an item tower over the items' features (genres, year…) and id, as sequence-two-tower's; new items get vectors")
    .option('--example-age', "youtube: each training event's age in the training window joins the user tower's input, served at 0 (needs timestamps)")
    .option('--history-decay <n>', 'youtube, sequence-two-tower (mean encoder): weight the pooled mean by recency, halving every n events back (default 0: off)', floatOption(0))
    .option('--history-length <n>', 'youtube, sequence-two-tower, gru4rec, sasrec, bst: the most recent events that describe a user (default 20; gru4rec, sasrec and bst 50)', intOption(1))
    .option('--encoder <kind>', `sequence-two-tower: the user tower over the history: ${SEQUENCE_ENCODERS.join(' | ')} (default mean: a ReLU layer over the mean; gru: eBay's recurrent tower, trained as gru4rec; attention: causal self-attention blocks, trained as sasrec)`, choiceOption(SEQUENCE_ENCODERS))
    .option('--blocks <n>', 'sasrec, sequence-two-tower --encoder attention: transformer blocks (default 2)', intOption(1))
    .option('--heads <n>', 'sasrec, bst, sequence-two-tower --encoder attention: attention heads, dividing --factors (default 1)', intOption(1))
    .option('--lr <x>', 'learning rate', floatOption(0))
    .option('--reg <x>', 'L2 on factors / id embeddings', floatOption(0))
    .option('--reg-bias <x>', 'L2 on biases', floatOption(0))
    .option('--optimizer <name>', OPTIMIZERS.join(' | '), choiceOption(OPTIMIZERS))
    .option('--clip-norm <x>', 'clip gradients to this global L2 norm per step (mini-batch training)', floatOption(0))
    .option('--batch <b>', 'mini-batch size (mf with sgd: 1 = the fused per-example loop)', intOption(1))
    .option('--head <head>', 'two-tower head: dot | mlp | both', choiceOption(['dot', 'mlp', 'both'] as const))
    .option('--fusion <how>', `ensemble --implicit: how the members' scores are joined for ranking: ${SCORE_FUSIONS.join(' | ')} (default adaptive: the mean of 1 / (60 + rank) for users without training ratings, of per-user standardised scores for the others)`, choiceOption(SCORE_FUSIONS))
    .option('--embedding-dim <d>', 'two-tower id embedding width (sequence-two-tower: width of the item tower id embedding, 0 = content only)', intOption(0))
    .option('--tower <sizes>', 'two-tower dense layers per tower, e.g. 64,32', intListOption())
    .option('--head-layers <sizes>', 'two-tower mlp head hidden layers, e.g. 32 (bst: the MLP over [attended history, candidate, product], default 64)', intListOption())
    .option('--dropout <p>', 'dropout after hidden layers (sasrec, bst: in the blocks, default 0.2; gru4rec: on the inputs, default 0.5; sequence-two-tower --encoder gru 0.3; --encoder attention as sasrec)', floatOption(0, 0.95))
    .option('--id-dropout <p>', 'probability of training on the unknown id instead (cold start; sequence-two-tower: share of items whose id is hidden each epoch)', floatOption(0, 0.95));
}

/** --implicit and its loss flags (train only: cv and grid report rating metrics). */
export function implicitOptions(cmd: Command): Command {
  return cmd
    .option('--implicit', 'implicit feedback: ratings ≥ --threshold are positives; reports top-10 ranking metrics')
    .option('--threshold <x>', 'with --implicit: the smallest rating that counts as a positive (default: 4; with --task next-item 3)', floatOption())
    .option('--implicit-events <which>', 'with --implicit: the training ratings the model learns from: positives (≥ --threshold) | all (every rating: who rated what); test positives stay ≥ --threshold (default: all for lightgcn, positives otherwise)', choiceOption(['positives', 'all'] as const))
    .option('--loss <loss>', 'with --implicit: bce | bpr | softmax (two-tower dot head); default: the best measured per model', choiceOption(['bce', 'bpr', 'softmax'] as const))
    .option('--negatives <n>', 'with --implicit: sampled negatives per positive (bce, bpr; bst: bce and softmax)', intOption(1))
    .option('--sampling <how>', 'with --implicit: how negatives are drawn: uniform (default) | popularity (in proportion to the items\' training events)', choiceOption(['uniform', 'popularity'] as const))
    .option('--ranking [loss]', 'rating models: also train a ranking twin on the ratings ≥ --threshold (bce | bpr | softmax; default: the kind\'s best) and rank lists by it', choiceOption(['bce', 'bpr', 'softmax'] as const));
}

/** Reads a feature spec file named by --features (auto and none are not files). */
export async function readFeatureSpec(args: TrainArgs): Promise<void> {
  if (args.features && !FEATURE_PRESETS.includes(args.features)) {
    args.featureSpecText = await readFile(args.features, 'utf8');
  }
}

/** The input files the data and model flags name (a --features value other than auto/none is a file). */
export function inputPaths(args: TrainArgs): PathArg[] {
  const spec = args.features && !FEATURE_PRESETS.includes(args.features) ? args.features : undefined;
  return [
    { flag: '--ratings', path: args.ratings },
    { flag: '--test-ratings', path: args.testRatings },
    { flag: '--user-features', path: args.userFeatures },
    { flag: '--item-features', path: args.itemFeatures },
    { flag: '--user-graph', path: args.userGraph },
    { flag: '--item-graph', path: args.itemGraph },
    { flag: '--features', path: spec },
  ];
}

/** Checks the input files, then reads the feature spec: before any data is loaded. */
export async function prepareInputs(args: TrainArgs): Promise<void> {
  await checkInputs(inputPaths(args));
  await readFeatureSpec(args);
}
