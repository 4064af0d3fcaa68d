// Shared fixtures of the model tests: a small synthetic data set with auto features, and
// MovieLens 100K splits (skipped without the data, failing with WASMREC_REQUIRE_DATA=1).
import { generateSynthetic } from '../../src/data/synthetic.js';
import { makeSplit, type SplitOptions } from '../../src/data/splits.js';
import type { Dataset, Split } from '../../src/data/dataset.js';
import { loadDataset } from '../../src/io/node/load.js';
import { FeaturePipeline } from '../../src/preprocessing/pipeline.js';
import type { FeatureSpec } from '../../src/preprocessing/spec.js';
import type { SideFeatures } from '../../src/models/feature-model.js';
import { ML100K_DIR } from '../data/datadir.js';

export { HAVE_ML100K } from '../data/datadir.js';

export interface Fixture {
  dataset: Dataset;
  split: Split;
  features: SideFeatures;
  pipeline: FeaturePipeline;
}

function withFeatures(dataset: Dataset, split: Split): Fixture {
  return { dataset, split, ...encodeWith(dataset, split, 'auto') };
}

/** The fixture's data encoded by another feature spec. */
export function encodeWith(dataset: Dataset, split: Split, spec: FeatureSpec | 'auto'): { pipeline: FeaturePipeline; features: SideFeatures } {
  const pipeline = FeaturePipeline.fit(dataset, split.train, spec);
  return { pipeline, features: { user: pipeline.encode('user', dataset.userIndex), item: pipeline.encode('item', dataset.itemIndex) } };
}

/** A small synthetic data set (fast on both backends), random 80/20 split. */
export function synthetic(opts: Partial<SplitOptions> = {}): Fixture {
  const dataset = generateSynthetic({ nUsers: 300, nItems: 400, nRatings: 20_000, seed: 7 });
  return withFeatures(dataset, makeSplit(dataset, { kind: 'random', testFraction: 0.2, seed: 42, ...opts }));
}

let ml100k: Promise<Dataset> | null = null;

/** MovieLens 100K with auto features fitted on the split's training part. */
export async function movielens(opts: SplitOptions): Promise<Fixture> {
  ml100k ??= loadDataset(ML100K_DIR);
  const dataset = await ml100k;
  return withFeatures(dataset, makeSplit(dataset, opts));
}
