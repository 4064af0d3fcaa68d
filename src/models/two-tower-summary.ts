// The two-tower's parts for `summary()`: two towers side by side, meeting in the head (a dot
// product, an MLP over their concatenation, or both), plus the biases and the popularity prior.

import type { LossName } from '../training/losses.js';
import { isImplicit } from '../training/losses.js';
import type { SideFeatures } from './feature-model-options.js';
import type { SummaryBuilder } from './model-summary.js';
import { describeBias, describeSideInput, describeTower } from './summary-parts.js';
import type { TwoTowerConfig } from './two-tower-options.js';

/** Adds the network of `c` to `b`; returns the formula of its output. */
export function describeTwoTower(b: SummaryBuilder, c: TwoTowerConfig, features: SideFeatures, sizes: { nUsers: number; nItems: number }, loss: LossName): string {
  const tower = (side: 'user' | 'item') => {
    const enc = c.sideFeatures ? features[side] : { ...features[side], contNames: [], categorical: [], multi: [] };
    const input = describeSideInput(b, side, enc, side === 'user' ? sizes.nUsers : sizes.nItems, { idDim: c.idDim, featureDim: c.featureDim });
    return { ...describeTower(b, `${side}_tower`, side, input, c.towerLayers, c.activation, c.dropout), id: input.id };
  };
  const u = tower('user');
  const i = tower('item');
  const terms = [describeBias(b, 'user', sizes.nUsers, u.id), describeBias(b, 'item', sizes.nItems, i.id)];
  const formula: string[] = [isImplicit(loss) ? 'b_u + b_i' : 'μ + b_u + b_i'];
  if (c.head !== 'mlp') {
    terms.push(b.add({ name: 'dot', type: 'Dot', branch: 'joint', detail: 'u·v', outputShape: [1], inputs: [u.name, i.name] }));
    formula.push('u·v');
  }
  if (c.head !== 'dot') {
    const joined = b.add({ name: 'head_input', type: 'Concatenate', branch: 'joint', detail: '[u, v]', outputShape: [u.width + i.width], inputs: [u.name, i.name] });
    terms.push(describeTower(b, 'head', 'joint', { name: joined, width: u.width + i.width }, [...c.headLayers, 1], c.activation, c.dropout).name);
    formula.push('MLP([u, v])');
  }
  if (c.popularityPrior > 0 && isImplicit(loss)) {
    const detail = `${c.popularityPrior} · log(1 + positives), when scoring`;
    terms.push(b.add({ name: 'item_popularity_prior', type: 'Prior', branch: 'item', detail, outputShape: [1], tensors: [{ name: 'item_popularity_prior', shape: [sizes.nItems + 1, 1] }], inputs: [i.id], trainable: false }));
    formula.push('prior_i');
  }
  const output = `${isImplicit(loss) ? `logit (${loss})` : 'r̂'} = ${formula.join(' + ')}`;
  b.add({ name: 'output', type: 'Add', branch: 'joint', detail: output, outputShape: [1], inputs: terms });
  return output;
}
