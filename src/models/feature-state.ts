// A feature model's saved form: its options, which ids training saw, then every Param as
// `param<k>:<name>` in the order of the model's params() (the load plans in
// ../io/feature-model-plan.ts mirror that order).

import type { Param } from '../training/param.js';
import type { SideFeatures } from './feature-model-options.js';
import { stateTensor, type ModelState, type StateTensor } from './state.js';

type Sides<T> = { user: T; item: T };

/** The options every feature model saves: batch buffers, id dropout per side, the "as cold" columns by name. */
export function featureConfig(m: { maxBatch: number; sideIdDropout: Sides<number>; coldColumns: Sides<readonly number[]>; features: SideFeatures }): Record<string, unknown> {
  const names = (side: 'user' | 'item') => m.coldColumns[side].map((c) => m.features[side].contNames[c]);
  const coldColumns = [...new Set([...names('user'), ...names('item')])];
  return { maxBatch: m.maxBatch, idDropout: m.sideIdDropout.user, userIdDropout: m.sideIdDropout.user, itemIdDropout: m.sideIdDropout.item, coldColumns };
}

/** The tensors of a trained feature model: seen flags (copied) and each Param's values. */
export function featureTensors(userSeen: Uint8Array, itemSeen: Uint8Array, params: readonly Param[]): Record<string, StateTensor> {
  const tensors: Record<string, StateTensor> = { userSeen: userSeen.slice(), itemSeen: itemSeen.slice() };
  params.forEach((p, k) => (tensors[`param${k}:${p.name}`] = p.read()));
  return tensors;
}

/** Writes the saved values into a freshly built network's params; a count or size that differs fails clearly. */
export function writeSavedParams(state: ModelState, params: readonly Param[]): void {
  const saved = Object.keys(state.tensors).filter((n) => n.startsWith('param')).length;
  if (saved !== params.length) throw new Error(`${state.kind}: the saved state has ${saved} parameter tensors, the model has ${params.length}`);
  params.forEach((p, k) => p.write(stateTensor(state, `param${k}:${p.name}`, Float32Array, p.rows * p.dim)));
}
