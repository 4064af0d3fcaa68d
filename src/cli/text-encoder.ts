// `train --text-encoder gru` (or `tags=gru`): how the spec's text features are read — their
// tokens averaged (a bag of words) or read in order by a GRU — without writing a spec file.

import type { Dataset } from '../data/dataset.js';
import { resolveFeatureSpec } from '../preprocessing/auto.js';
import { featureName, type FeatureDef, type FeatureSpec, type TextEncoder, type TextFeature } from '../preprocessing/spec.js';

const ENCODERS: readonly TextEncoder[] = ['mean', 'gru'];

/**
 * The feature spec `features` names, its text features (all, or the one `FEATURE=` names)
 * set to the flag's encoder; `features` unchanged without the flag.
 *
 * @example
 * withTextEncoder('auto', 'tags=gru', dataset); // auto's spec, the tags read by a GRU
 */
export function withTextEncoder(features: FeatureSpec | string, flag: string | undefined, dataset: Dataset): FeatureSpec | string {
  if (flag === undefined) return features;
  const m = /^(?:([^=]+)=)?(\w+)$/.exec(flag);
  const encoder = m?.[2] as TextEncoder | undefined;
  if (!m || !ENCODERS.includes(encoder!)) throw new Error(`--text-encoder expects ${ENCODERS.join(' or ')}, or FEATURE=ENCODER (e.g. tags=gru), got '${flag}'`);
  const spec = resolveFeatureSpec(features, dataset);
  const texts = [...spec.user, ...spec.item].filter((d): d is TextFeature => d.type === 'text');
  const named = m[1] === undefined ? texts : texts.filter((d) => featureName(d) === m[1]);
  if (named.length === 0) {
    const have = texts.map(featureName).join(', ') || 'none';
    throw new Error(`--text-encoder ${flag}: ${m[1] === undefined ? 'the features have no text feature' : `no text feature '${m[1]}'`} (text features: ${have})`);
  }
  const set = (d: FeatureDef): FeatureDef => {
    if (d.type !== 'text' || !named.includes(d)) return d;
    // Bag-of-words settings that mean nothing to the GRU go; maxTokens means nothing to the mean.
    const { maxTokens: _, ...rest } = d;
    return encoder === 'gru' ? { ...d, encoder } : { ...rest, encoder };
  };
  return { ...spec, user: spec.user.map(set), item: spec.item.map(set) };
}
