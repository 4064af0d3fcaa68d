// The saved form of a trained model: JSON-able settings plus named raw tensors, which
// `serializeModel` writes into one file and `importState` puts back, bit for bit.

import type { LossConfig } from '../training/losses.js';
import type { TrainingSummary } from './training-summary.js';

/** A tensor a model saves: parameters (f32), counts and flags (i32, u8), exact means (f64). */
export type StateTensor = Float32Array | Float64Array | Int32Array | Uint8Array;

/**
 * Everything a model needs to predict again: its kind, the constructor options that rebuild
 * it (`config`), μ, and its tensors by name; an ensemble nests its members' states.
 *
 * @example
 * const state = model.exportState();
 * const copy = new MatrixFactorization(backend, indexes, state.config);
 * copy.importState(state);
 */
export interface ModelState {
  kind: string;
  config: Record<string, unknown>;
  globalMean: number;
  tensors: Record<string, StateTensor>;
  members?: { weight: number; state: ModelState }[];
  /** The loss the model was trained with (absent in files of wasmrec 0.1: then 'mse', or 'bce' for a two-tower with a popularity prior). */
  loss?: Required<LossConfig>;
  /** The training ratings' scale (clipping, ranking prior, relevance). */
  training?: TrainingSummary;
  /** A rating model's ranking twin (compile({ ranking })): the same kind's state, trained on the positives. */
  ranking?: ModelState;
}

/** The tensor `name` of a state, checked for type and length so a mismatched file fails clearly. */
export function stateTensor<T extends StateTensor>(
  state: ModelState,
  name: string,
  type: new (n: number) => T,
  length?: number,
): T {
  const t = state.tensors[name];
  if (!(t instanceof type)) throw new Error(`${state.kind}: saved state lacks tensor '${name}' of type ${type.name}`);
  if (length !== undefined && t.length !== length) throw new Error(`${state.kind}: saved tensor '${name}' has ${t.length} values, the model needs ${length}`);
  return t;
}

/** The saved seen flags, checked for length. */
export function savedSeen(state: ModelState, nUsers: number, nItems: number): { userSeen: Uint8Array<ArrayBuffer>; itemSeen: Uint8Array<ArrayBuffer> } {
  return { userSeen: stateTensor(state, 'userSeen', Uint8Array, nUsers).slice(), itemSeen: stateTensor(state, 'itemSeen', Uint8Array, nItems).slice() };
}
