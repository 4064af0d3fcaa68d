// What a user tower file holds, planned from the two-tower's saved config: the user side's
// tensors with their shapes, and the feature pipeline with everything about items left out.
// Shared by the writer and the reader (./user-tower-file.ts), as ./model-plan.ts is for models.

import type { FeaturePipeline, FeaturePipelineJSON } from '../preprocessing/pipeline.js';
import { ConfigFields } from './config-fields.js';
import { planTwoTower } from './feature-model-plan.js';
import { ModelFileError } from './model-file-error.js';
import type { ManifestNode } from './model-manifest.js';
import type { ExpectedTensor, SideShape } from './plan-types.js';

/** The item side of a user tower's pipeline: no columns, so it encodes nothing. */
export const NO_FEATURES: SideShape = { n: 1, contNames: [], categorical: [], multi: [] };

/** Whether a two-tower state key (`param<k>:<name>`) is a parameter of the user side. */
export function isUserParam(key: string): boolean {
  const name = key.slice(key.indexOf(':') + 1);
  return key.startsWith('param') && (name === 'user_bias' || name.startsWith('user/') || name.startsWith('user_tower/'));
}

/**
 * The checked constructor options of the two-tower and the tensors of its user side (state
 * keys as the model saves them, b_u as `userBias`): `userSeen`, then the user side's params()
 * in order, then `userBias`.
 * Throws for a head whose user tower's output is not a query vector.
 */
export function planUserTower(node: ManifestNode, users: SideShape, nUsers: number): { options: Record<string, unknown>; tensors: ExpectedTensor[] } {
  if (node.kind !== 'two-tower') throw new ModelFileError(`model.kind is '${node.kind}'; a user tower comes from a two-tower model`);
  if (users.n !== nUsers + 1) throw new ModelFileError(`features.user.n is ${users.n}; the tower needs ${nUsers + 1} (one row per user id plus the unknown row)`);
  // planTwoTower plans both towers: given the user side as the item side too, it checks the
  // user tower's config and shapes by the model's own rules, and the item half is dropped.
  const both = { user: users, item: users };
  const plan = planTwoTower(new ConfigFields(node.config, 'model'), { nUsers, nItems: nUsers, features: [both] }, both, node.loss);
  checkDotHead(String(plan.options.head));
  // b_u's index among the params counts the item side's: in the file it is `userBias`.
  const tensors = plan.tensors.filter((t) => isUserParam(t.key)).map((t) => (t.key.endsWith(':user_bias') ? { ...t, key: 'userBias' } : t));
  return { options: plan.options, tensors: [{ key: 'userSeen', dtype: 'U8', shape: [nUsers], values: 'flags' }, ...tensors] };
}

/** Only the dot head scores by u·v: with an MLP over the towers there is no user vector to query an index with. */
export function checkDotHead(head: string): void {
  if (head !== 'dot') {
    throw new ModelFileError(`the two-tower's '${head}' head scores each (user, item) pair through an MLP, so its user tower's output is no vector to query an index with; only two-tower models with the 'dot' head have a servable user tower`);
  }
}

/** The featureDims rows ([name, cardinality, width]) of the user side's features only. */
export function userFeatureDims(config: Record<string, unknown>, users: SideShape): unknown {
  const rows = config.featureDims;
  if (!Array.isArray(rows)) return rows;
  const own = new Set([...users.categorical, ...users.multi].map((f) => `${f.name}\u0000${f.cardinality}`));
  return rows.filter((r) => Array.isArray(r) && own.has(`${r[0]}\u0000${r[1]}`));
}

/**
 * The pipeline's JSON for encoding new users only: the item side, the per-rating features,
 * the users' raw rows and per-user statistics left out (a new user gets the cold statistics,
 * known users their saved encoded rows), so the file holds nothing about items.
 */
export function userSidePipeline(pipeline: FeaturePipeline): FeaturePipelineJSON {
  const json = pipeline.toJSON();
  const noRows = { ids: [], columns: {} };
  return {
    version: 1,
    spec: { ...json.spec, item: [], interaction: [] },
    user: { ...json.user, table: noRows, stats: { ids: [], values: [], cold: json.user.stats.cold } },
    item: { table: noRows, params: [], stats: { ids: [], values: [], cold: json.item.stats.cold } },
    interaction: [],
  };
}
