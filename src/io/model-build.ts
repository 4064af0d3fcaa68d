// Building the models of a checked file on a backend: construct each from its plan, import
// its state, and free everything again if any step fails.

import type { Backend } from '../backends/index.js';
import { MeanBaseline, type BaselineKind } from '../models/baselines.js';
import { Ensemble, type EnsembleOptions } from '../models/ensemble.js';
import type { SideFeatures } from '../models/feature-model.js';
import { LinearRS, type LinearRSOptions } from '../models/linear.js';
import { SvdPlusPlus } from '../models/svdpp.js';
import { LightGCN, type LightGCNOptions } from '../models/lightgcn.js';
import { YouTubeDNN, type YouTubeOptions } from '../models/youtube.js';
import { SequenceTwoTower, type SequenceTwoTowerOptions } from '../models/sequence-two-tower.js';
import { Gru4Rec, type Gru4RecOptions } from '../models/gru4rec.js';
import { SASRec, type SasrecOptions } from '../models/sasrec.js';
import { BST, type BstOptions } from '../models/bst.js';
import { MatrixFactorization, type MFOptions } from '../models/mf.js';
import { PopularityBaseline, type PopularityOptions } from '../models/popularity.js';
import type { ModelIndexes, Recommender } from '../models/recommender.js';
import type { ModelState } from '../models/state.js';
import { TwoTower, type TwoTowerOptions } from '../models/two-tower.js';
import type { ModelPlan } from './plan-types.js';

/**
 * The model of `plan` with `state` imported. Whole or nothing: when construction or import
 * throws, the parts built so far are disposed, so the backend holds no more than before.
 */
export function buildPlannedModel(plan: ModelPlan, state: ModelState, backend: Backend, indexes: ModelIndexes, features: SideFeatures[]): Recommender {
  const model = construct(plan, backend, indexes, features);
  try {
    // A rating model's ranking twin is built from its own saved options (they may differ: implicit defaults).
    if (plan.ranking) model.attachRankingTwin(construct(plan.ranking, backend, indexes, features));
    model.loadState(state);
    return model;
  } catch (err) {
    model.dispose();
    throw err;
  }
}

/** An untrained model of the plan's kind and options (constructors allocate nothing on the backend). */
function construct(plan: ModelPlan, backend: Backend, indexes: ModelIndexes, features: SideFeatures[]): Recommender {
  const o = plan.options;
  switch (plan.kind) {
    case 'global-mean':
    case 'user-mean':
    case 'item-mean':
      return new MeanBaseline(backend, indexes, plan.kind as BaselineKind, o);
    case 'popularity':
      return new PopularityBaseline(backend, indexes, o as PopularityOptions);
    case 'mf':
      return new MatrixFactorization(backend, indexes, o as MFOptions);
    case 'svdpp':
      return new SvdPlusPlus(backend, indexes, o as MFOptions);
    case 'lightgcn':
      return new LightGCN(backend, indexes, o as LightGCNOptions);
    case 'youtube':
      return new YouTubeDNN(backend, indexes, o as YouTubeOptions, plan.features === null || plan.features === undefined ? null : features[plan.features]);
    case 'sequence-two-tower':
      return new SequenceTwoTower(backend, indexes, features[plan.features!], o as SequenceTwoTowerOptions);
    case 'gru4rec':
      return new Gru4Rec(backend, indexes, o as Gru4RecOptions);
    case 'sasrec':
      return new SASRec(backend, indexes, o as SasrecOptions);
    case 'bst':
      return new BST(backend, indexes, o as BstOptions, plan.features === null || plan.features === undefined ? null : features[plan.features]);
    case 'linear':
      return new LinearRS(backend, indexes, features[plan.features!], o as LinearRSOptions);
    case 'two-tower': {
      // The saved width of each (feature, cardinality): the rule may have been a function.
      const { featureDims, ...options } = o as unknown as TwoTowerOptions & { featureDims: [string, number, number][] };
      const dims = new Map(featureDims.map(([name, card, dim]) => [`${name}\u0000${card}`, dim]));
      return new TwoTower(backend, indexes, features[plan.features!], { ...options, featureDim: (name, card) => dims.get(`${name}\u0000${card}`) ?? 0 });
    }
    case 'ensemble': {
      const members: Recommender[] = [];
      try {
        for (const m of plan.members!) members.push(construct(m.plan, backend, indexes, features));
        return new Ensemble(backend, indexes, members.map((model, k) => ({ model, weight: plan.members![k].weight })), o as EnsembleOptions);
      } catch (err) {
        for (const m of members) m.dispose();
        throw err;
      }
    }
    default:
      throw new Error(`model file: no constructor for kind '${plan.kind}'`);
  }
}
