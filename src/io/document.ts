// A model file opened but not yet interpreted (either format): what ./model-document.ts and
// ./model-file-v1.ts hand to the checking reader (./model-read.ts).

import type { StateTensor } from '../models/state.js';
import type { TensorEntry } from './safetensors.js';

export interface ModelDocument {
  formatVersion: 1 | 2;
  /** The manifest as parsed JSON, not yet checked (./model-manifest.ts does). */
  manifest: unknown;
  tensors: ReadonlyMap<string, TensorEntry>;
  /** A copy of a tensor's values. */
  read(entry: TensorEntry): StateTensor;
}
