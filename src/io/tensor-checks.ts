// Checks of the values inside a model file's tensors: what the kernels index with must be in
// range (they do not check bounds), and what they compute with must be finite.

import type { StateTensor } from '../models/state.js';
import { ModelFileError } from './model-file-error.js';
import type { ValueRule } from './plan-types.js';

/** Throws naming the tensor and the first value that breaks `rule`. */
export function checkValues(t: StateTensor, rule: ValueRule, what: string): void {
  for (let i = 0; i < t.length; i++) {
    const v = t[i];
    const ok = rule === 'flags' ? v === 0 || v === 1 : rule === 'counts' ? Number.isInteger(v) && v >= 0 : Number.isFinite(v) || (rule === 'finite-or-nan' && Number.isNaN(v));
    const why = rule === 'flags' ? 'only 0 and 1 are allowed' : rule === 'counts' ? 'counts are integers ≥ 0' : 'values must be finite';
    if (!ok) throw new ModelFileError(`tensor ${what} holds ${v} at index ${i} (${why})`);
  }
}

/** Every value in [0, limit): codes of a categorical feature, ids of a multi-valued one, item indices. */
export function checkIndices(t: Int32Array, limit: number, what: string): void {
  for (let i = 0; i < t.length; i++) {
    if (!(t[i] >= 0 && t[i] < limit)) throw new ModelFileError(`tensor ${what} holds ${t[i]} at index ${i}, outside [0, ${limit})`);
  }
}

/**
 * Row offsets of a CSR list (row r holds values[offsets[r] .. offsets[r+1])): they start at
 * 0, never decrease and end at the number of values.
 */
export function checkOffsets(offsets: Int32Array, nValues: number, what: string): void {
  if (offsets[0] !== 0) throw new ModelFileError(`tensor ${what} must start at 0, starts at ${offsets[0]}`);
  for (let r = 1; r < offsets.length; r++) {
    if (offsets[r] < offsets[r - 1]) throw new ModelFileError(`tensor ${what} decreases at row ${r} (${offsets[r - 1]} then ${offsets[r]})`);
  }
  const last = offsets[offsets.length - 1];
  if (last !== nValues) throw new ModelFileError(`tensor ${what} ends at ${last}, but there are ${nValues} values`);
}
