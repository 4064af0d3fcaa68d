// Which `train` / `cv` flags set which model options: each flag names the option it sets
// for the kinds that have it; a flag the chosen kind does not take is an error.

import { MODEL_OPTION_NAMES, type ModelOptions } from '../models/factory.js';
import type { TrainArgs } from './train-args.js';

/** Which flag sets which option of which kinds (a flag that fits none of the chosen kind's is an error). */
const FLAG_OPTIONS: { flag: string; arg: keyof TrainArgs; option: string }[] = [
  { flag: '--factors', arg: 'factors', option: 'factors' },
  { flag: '--history-length', arg: 'historyLength', option: 'historyLength' },
  { flag: '--time-gaps', arg: 'timeGaps', option: 'timeGaps' },
  { flag: '--history-decay', arg: 'historyDecay', option: 'historyDecay' },
  { flag: '--demographics', arg: 'demographics', option: 'demographics' },
  { flag: '--example-age', arg: 'exampleAge', option: 'exampleAge' },
  { flag: '--item-tower', arg: 'itemTower', option: 'itemFeatures' },
  { flag: '--layers', arg: 'layers', option: 'layers' },
  { flag: '--blocks', arg: 'blocks', option: 'blocks' },
  { flag: '--heads', arg: 'heads', option: 'heads' },
  { flag: '--encoder', arg: 'encoder', option: 'encoder' },
  { flag: '--trust-weight', arg: 'trustWeight', option: 'trustWeight' },
  { flag: '--reg', arg: 'reg', option: 'regFactors' },
  { flag: '--reg', arg: 'reg', option: 'regId' },
  { flag: '--reg-bias', arg: 'regBias', option: 'regBias' },
  { flag: '--head', arg: 'head', option: 'head' },
  { flag: '--fusion', arg: 'fusion', option: 'fusion' },
  { flag: '--embedding-dim', arg: 'embeddingDim', option: 'idDim' },
  { flag: '--embedding-dim', arg: 'embeddingDim', option: 'itemIdDim' },
  { flag: '--tower', arg: 'tower', option: 'towerLayers' },
  { flag: '--head-layers', arg: 'headLayers', option: 'headLayers' },
  { flag: '--head-layers', arg: 'headLayers', option: 'mlpLayers' },
  { flag: '--dropout', arg: 'dropout', option: 'dropout' },
  { flag: '--id-dropout', arg: 'idDropout', option: 'idDropout' },
  { flag: '--id-dropout', arg: 'idDropout', option: 'itemIdDropout' },
  { flag: '--batch', arg: 'batch', option: 'maxBatch' },
];

/**
 * The model options the CLI flags set for `args.model`; unset flags leave the kind's
 * defaults. A model flag the kind does not take is an error naming the flags it does.
 */
export function modelOptionsFromArgs(args: TrainArgs): ModelOptions {
  const valid = MODEL_OPTION_NAMES[args.model];
  const opts: Record<string, unknown> = {};
  const given = new Set<string>();
  for (const f of FLAG_OPTIONS) {
    const v = args[f.arg];
    if (v === undefined) continue;
    given.add(f.flag);
    // --batch only sizes the buffers of models that have them.
    if (valid.includes(f.option)) opts[f.option] = f.option === 'maxBatch' ? Math.max(Number(v), 1) : v;
  }
  for (const flag of given) {
    if (flag === '--batch') continue;
    if (!FLAG_OPTIONS.some((f) => f.flag === flag && valid.includes(f.option))) {
      const takes = [...new Set(FLAG_OPTIONS.filter((f) => valid.includes(f.option) && f.flag !== '--batch').map((f) => f.flag))];
      throw new Error(`${flag} does not apply to --model ${args.model} (its model flags: ${takes.join(', ') || 'none'})`);
    }
  }
  // The implicit ensemble has its own members (the two-tower, and softmax MF with new users mapped).
  if (args.model === 'ensemble' && args.implicit) opts.members = 'implicit';
  return opts as ModelOptions;
}
