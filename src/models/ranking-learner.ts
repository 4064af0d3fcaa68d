// Ranking twins (compile({ ranking })): a rating model that also ranks well keeps a second
// model of its kind, trained on its positives with an implicit loss, and its lists rank by
// the twin while predictions stay the rating model's (README, "Recommendations users can trust").

import { positivesOf, type Interactions } from '../data/interactions.js';
import type { RawRow } from '../preprocessing/derive.js';
import type { FitOptions, History } from '../training/fit.js';
import { isImplicit, type LossConfig } from '../training/losses.js';
import { Learner } from './learner.js';
import type { CompileOptions } from './model-types.js';
import type { SummaryBuilder } from './model-summary.js';
import { applyRankingPolicy } from './ranking-policy.js';

/** A Learner whose lists can rank by a ranking twin. */
export abstract class RankingLearner extends Learner {
  /**
   * Trains on `train` and, with a ranking twin (compile({ ranking })), the twin on the rows
   * rated at least the relevance threshold; returns the rating model's history.
   */
  protected override async fitWithTwin(train: Interactions, options: FitOptions, history: History): Promise<History> {
    const twin = this.rankingTwin;
    if (!twin) return history;
    const positives = positivesOf(train, this.relevanceThreshold());
    if (positives.length === 0) throw new Error(`${this.kind}: no training rating reaches the ranking threshold ${this.relevanceThreshold()}`);
    const { validationSplit, validationData, earlyStopping, epochs, batchSize, lrSchedule, initialEpoch, ...shared } = options;
    void [validationSplit, validationData, earlyStopping, epochs, batchSize, lrSchedule, initialEpoch];
    this.rankingHistory = await twin.fit(positives, shared);
    return history;
  }

  /** The ranking twin's training history of the last fit (null without a twin). */
  rankingHistory: History | null = null;

  /** The ranking twin lists rank by (its raw scores, minSupport filter only), or null without one. */
  get rankingModel(): RankingLearner | null {
    // Every concrete model is a RankingLearner (they are Recommenders), its twin too.
    return this.rankingTwin as RankingLearner | null;
  }

  /** The loss of the ranking twin (null without one). */
  get rankingLoss(): Readonly<Required<LossConfig>> | null {
    return this.rankingTwin?.compiledLoss ?? null;
  }

  protected override setRankingTwin(ranking: CompileOptions['ranking'], threshold: number | null): void {
    if (ranking === undefined) {
      this.rankingTwin?.dispose();
      this.rankingTwin = null;
      return;
    }
    if (ranking === true) ranking = this.defaultImplicitLoss();
    const name = typeof ranking === 'string' ? ranking : ranking.name;
    if (this.implicit) throw new Error(`${this.kind}: a ranking twin is for rating models; this one is compiled with the '${this.loss.name}' loss already`);
    if (!isImplicit(name)) throw new Error(`${this.kind}: the ranking loss must be an implicit one (bce, bpr, softmax), got '${name}'`);
    if (!this.supportedLosses().some(isImplicit)) throw new Error(`${this.kind}: this kind cannot rank with a twin (it trains with ${this.supportedLosses().join(', ')} only)`);
    if (!this.rankingTwin) {
      const twin = this.createTwin();
      if (!twin) throw new Error(`${this.kind}: this kind cannot rank with a twin (it trains with ${this.supportedLosses().join(', ')} only)`);
      this.rankingTwin = twin;
    }
    this.rankingTwin.compile({ loss: ranking, ...(threshold !== null ? { threshold } : {}) });
  }

  /**
   * Sets the ranking twin a loader built from its saved configuration (then `loadState`
   * restores it); a twin must be of this model's kind and over the same ids.
   */
  attachRankingTwin(twin: Learner): void {
    if (twin.kind !== this.kind || twin.indexes !== this.indexes) throw new Error(`${this.kind}: a ranking twin must be a '${this.kind}' over the same ids`);
    this.rankingTwin?.dispose();
    this.rankingTwin = twin;
  }

  /** A new, untrained model of this kind with the same options (the ranking twin); null when the kind has no implicit loss. */
  protected createTwin(): Learner | null {
    return null;
  }

  /** Ranking scores of every item for a brand-new user described by raw feature values (the twin's when there is one). */
  protected rankingScoresForFeatures(userFeatures: RawRow, minSupport: number): Float32Array {
    // Every concrete model is a RankingLearner (they are Recommenders), its twin too.
    const twin = this.rankingTwin as RankingLearner | null;
    if (!twin) return this.applyPolicy(this.rawScoresForFeatures(userFeatures), minSupport);
    twin.pipeline = this.pipeline;
    return applyRankingPolicy(twin.rawScoresForFeatures(userFeatures), this.nItems, { support: this.itemSupport, minSupport, priorWeight: 0 });
  }

  /** The ranking twin's parts, as one part beside the network: its own weights, the lists rank by it. */
  protected override describeExtras(b: SummaryBuilder): void {
    if (this.rankingTwin) b.addModel('ranking_twin', this.rankingTwin.summary(), 'joint');
  }

  /** What lists rank by: the ranking twin's scores when there is one. */
  override rankingScores(users: Int32Array, minSupport = this.minSupport): Float32Array {
    const twin = this.rankingTwin;
    if (!twin) return super.rankingScores(users, minSupport);
    return applyRankingPolicy(twin.scoreItems(users), this.nItems, { support: this.itemSupport, minSupport, priorWeight: 0 });
  }
}
