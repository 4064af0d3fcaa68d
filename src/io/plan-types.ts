// The types of a model's load plan (./model-plan.ts) and the allocation arithmetic it uses:
// the bytes the backend heap hands out for each buffer a model builds.

import { ALIGN } from '../backends/heap.js';
import type { TrainingSummary } from '../models/training-summary.js';
import type { LossConfig } from '../training/losses.js';
import type { SafetensorsDtype } from './safetensors.js';

/** The columns of one side's encoded features (no values): what shapes depend on. */
export interface SideShape {
  n: number;
  contNames: readonly string[];
  categorical: readonly { name: string; cardinality: number }[];
  multi: readonly { name: string; cardinality: number; of?: 'ids' | 'counterpart'; recurrentTokens?: number }[];
}

export interface PlanContext {
  nUsers: number;
  nItems: number;
  features: readonly { user: SideShape; item: SideShape }[];
}

/** What a tensor's values may be: finite numbers, finite or NaN ("none"), 0/1 flags, or counts (integers ≥ 0). */
export type ValueRule = 'finite' | 'finite-or-nan' | 'flags' | 'counts';

export interface ExpectedTensor {
  /** Key in ModelState.tensors. */
  key: string;
  dtype: SafetensorsDtype;
  shape: number[];
  values: ValueRule;
  /** The state may lack it (the file then has no such tensor). */
  optional?: boolean;
}

export interface ModelPlan {
  /** Where the model sits in the manifest ("model", "model.members[0].model"). */
  path: string;
  kind: string;
  /** Checked constructor options (only the fields the kind knows). */
  options: Record<string, unknown>;
  loss: Required<LossConfig> | null;
  training: TrainingSummary | null;
  features: number | null;
  globalMean: number;
  tensors: ExpectedTensor[];
  /** Backend bytes that building the model and importing its state allocate. */
  bytes: number;
  members: { weight: number; plan: ModelPlan }[] | null;
  /** The ranking twin's plan (a rating model compiled with { ranking }), or null. */
  ranking: ModelPlan | null;
}

/** What a kind's planner returns; the node's identity is added by planModel. */
export type KindPlan = Pick<ModelPlan, 'options' | 'tensors' | 'bytes'> & { loss?: Required<LossConfig> | null };

/** The bytes the heap hands out for a request (it rounds up to ALIGN, at least ALIGN). */
export function heapBytes(bytes: number): number {
  return Math.ceil(Math.max(bytes, ALIGN) / ALIGN) * ALIGN;
}

/** A Param's allocations (training/param.ts): value, gradient, touched rows, stamps, touch state. */
export function paramBytes(rows: number, dim: number, sparse: boolean): number {
  return 2 * heapBytes(4 * rows * dim) + heapBytes(4 * (sparse ? rows : 1)) + (sparse ? heapBytes(4 * rows) : 0) + heapBytes(8);
}

/** A Param's tensor shape as saved: a matrix, or a vector when one side is 1. */
export function paramShape(rows: number, dim: number): number[] {
  return dim === 1 ? [rows] : rows === 1 ? [dim] : [rows, dim];
}
