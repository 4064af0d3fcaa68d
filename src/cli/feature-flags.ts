// Flags that change how the spec's features of one kind are read, without a spec file:
// `--text-encoder gru` (or `tags=gru`) — text averaged or read in order by a GRU — and
// `--graph-aggregate gcn` (or `neighbours=gcn`) — links averaged or GCN-normalised.

import type { Dataset } from '../data/dataset.js';
import { usesFeatures, type ModelKind } from '../models/factory.js';
import { resolveFeatureSpec } from '../preprocessing/auto.js';
import { featureName, type FeatureDef, type FeatureSpec, type GraphFeature, type TextFeature } from '../preprocessing/spec.js';

/** What one flag sets: on features of `type`, one of `values`. */
interface FeatureFlag<D extends FeatureDef> {
  flag: string;
  type: D['type'];
  values: readonly string[];
  set(def: D, value: string): D;
}

const TEXT_ENCODER: FeatureFlag<TextFeature> = {
  flag: '--text-encoder',
  type: 'text',
  values: ['mean', 'gru'],
  // maxTokens means nothing to the mean.
  set: ({ maxTokens: _, ...def }, value) => (value === 'gru' ? { ...def, encoder: 'gru' } : { ...def, encoder: 'mean' }),
};

const GRAPH_AGGREGATE: FeatureFlag<GraphFeature> = {
  flag: '--graph-aggregate',
  type: 'graph',
  values: ['mean', 'gcn'],
  set: (def, value) => ({ ...def, aggregate: value as 'mean' | 'gcn' }),
};

/**
 * The feature spec `features` names, its text features (all, or the one `FEATURE=` names)
 * set to the flag's encoder; `features` unchanged without the flag.
 *
 * @example
 * withTextEncoder('auto', 'tags=gru', dataset); // auto's spec, the tags read by a GRU
 */
export function withTextEncoder(features: FeatureSpec | string, flag: string | undefined, dataset: Dataset): FeatureSpec | string {
  return withFlag(TEXT_ENCODER, features, flag, dataset);
}

/** The same for graph features and `--graph-aggregate [FEATURE=]mean|gcn`. */
export function withGraphAggregate(features: FeatureSpec | string, flag: string | undefined, dataset: Dataset): FeatureSpec | string {
  return withFlag(GRAPH_AGGREGATE, features, flag, dataset);
}

/** Models whose towers run the GRU text encoder and pool graph links through their id table. */
const TOWER_MODELS: readonly string[] = ['two-tower', 'mf-features'];

/**
 * Both flags applied to the spec `features` names, with a note when the model reads them
 * otherwise (LinearRS averages a text's tokens and pools links with a table of its own).
 */
export function withFeatureFlags(features: FeatureSpec | string, flags: { model: string; textEncoder?: string; graphAggregate?: string }, dataset: Dataset, log: (line: string) => void): FeatureSpec | string {
  for (const [flag, value] of [['--text-encoder', flags.textEncoder], ['--graph-aggregate', flags.graphAggregate]] as const) {
    if (value === undefined || TOWER_MODELS.includes(flags.model)) continue;
    const reads = usesFeatures(flags.model as ModelKind) ? 'pools those features by their mean' : 'reads no side features';
    log(`note: ${flag} ${value} is read by the ${TOWER_MODELS.join(' and ')} towers; ${flags.model} ${reads}`);
  }
  return withGraphAggregate(withTextEncoder(features, flags.textEncoder, dataset), flags.graphAggregate, dataset);
}

function withFlag<D extends FeatureDef>(f: FeatureFlag<D>, features: FeatureSpec | string, flag: string | undefined, dataset: Dataset): FeatureSpec | string {
  if (flag === undefined) return features;
  const m = /^(?:([^=]+)=)?(\w+)$/.exec(flag);
  if (!m || !f.values.includes(m[2])) throw new Error(`${f.flag} expects ${f.values.join(' or ')}, or FEATURE=VALUE (e.g. ${f.type === 'text' ? 'tags' : 'neighbours'}=${f.values[1]}), got '${flag}'`);
  const spec = resolveFeatureSpec(features, dataset);
  const ofType = [...spec.user, ...spec.item].filter((d): d is D => d.type === f.type);
  const named = m[1] === undefined ? ofType : ofType.filter((d) => featureName(d) === m[1]);
  if (named.length === 0) {
    const have = ofType.map(featureName).join(', ') || 'none';
    throw new Error(`${f.flag} ${flag}: ${m[1] === undefined ? `the features have no ${f.type} feature` : `no ${f.type} feature '${m[1]}'`} (${f.type} features: ${have})`);
  }
  const set = (d: FeatureDef): FeatureDef => (named.includes(d as D) ? f.set(d as D, m[2]) : d);
  return { ...spec, user: spec.user.map(set), item: spec.item.map(set) };
}
