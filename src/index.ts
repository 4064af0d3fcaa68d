// wasmrec: neural recommenders with side information on a SIMD WebAssembly core.
// This entry imports no Node API: browsers, workers and edge runtimes use it as is.

// -- backends
export { createBackend } from './backends/index.js';
export type { Backend, BackendFeatures, BackendName, F32Buf, I32Buf, Buf, WasmOptions, WasmInput } from './backends/index.js';
export { detectSimdFlavor } from './backends/wasm/features.js';
export type { SimdFlavor } from './backends/wasm/features.js';
export { Rng } from './random.js';

// -- data (core: parsing strings and bytes, synthetic data)
export { IdIndex, interactions, subset, meanRating, positivesOf } from './data/interactions.js';
export type { Interactions } from './data/interactions.js';
export type { Dataset, EntityTable, Column, Split, LoadReport, DatasetFormat } from './data/dataset.js';
export { DataError } from './data/errors.js';
export type { OnError } from './data/errors.js';
export { readContents } from './data/text.js';
export type { FileContent } from './data/text.js';
export { parseMovieLens100k, ML100K_FOLDS } from './data/movielens100k.js';
export type { ParseOptions } from './data/movielens100k.js';
export { toMovieLens100kFiles } from './data/movielens100k-files.js';
export { generateSynthetic } from './data/synthetic.js';
export type { SyntheticOptions } from './data/synthetic.js';
export { parseMovieLens1m } from './data/movielens1m.js';
export { parseMovieLensLatest } from './data/movielens-latest.js';
export { parseRatingsCsv, parseFeatureTable, parseCsvDataset } from './data/generic-csv.js';
export { parseNpy, type Matrix } from './data/npy.js';
export { withVectors, vectorColumn, parseVectorCsv, type VectorFile } from './data/vectors.js';
export { parseEdges, buildGraph, type EdgeTable, type EdgeTableOptions, type CsrGraph, type GraphReport, type GraphOptions } from './data/edges.js';
export { withGraph, graphOfColumn, type GraphJoin } from './data/graph-columns.js';
export { cooccurrenceGraph, type CooccurrenceOptions } from './data/cooccurrence.js';
export type { RatingsCsvOptions, FeatureTableOptions, CsvFiles, CsvDatasetOptions, ColumnRef } from './data/generic-csv.js';
export type { DuplicatePolicy } from './data/ratings.js';

// -- preprocessing and splits
export { FeaturePipeline, autoFeatureSpec, noFeatureSpec, resolveFeatureSpec, parseFeatureSpec, AGE_GROUP_EDGES, textFeatureInit, tokenize, hashBucket } from './preprocessing/index.js';
export type {
  FeaturePipelineJSON, PipelineFitOptions, FeatureSpec, FeatureDef, InteractionFeatureDef, Side, StatName, RawRow, RawValue,
  EncodedSide, EncodedCategorical, EncodedMulti, EncodedInteractions, WordVectors, FeatureInit, TextFeature, VectorFeature, GraphFeature,
} from './preprocessing/index.js';
export { makeSplit, randomSplit, kFoldSplit, leaveKOutSplit, temporalSplit, coldUserSplit, coldItemSplit, foldSplit, splitReport, SPLIT_KINDS } from './data/splits.js';
export type { SplitKind, SplitOptions, SplitReport, SplitWithReport } from './data/splits.js';
export { explore, formatEda, pearson } from './analysis/eda.js';
export type { EdaResult, ExploreOptions, FeatureGroups, GroupStat, Correlation } from './analysis/eda.js';
export { formatSummary, formatBytes, formatShape } from './analysis/summary-text.js';
export { summarySvg, summaryDot, summaryMermaid, layoutSummary } from './analysis/diagram.js';
export type { DiagramLayout, PlacedNode } from './analysis/diagram.js';
export type { ModelSummary, SummaryLayer, SummaryTensor, SummaryBranch } from './models/model-summary.js';

// -- evaluation
export { rankingMetrics, positivesByUser, itemSupportOf, OBSCURE_SUPPORT } from './training/ranking-metrics.js';
export type { RankingMetrics, RankingOptions, ScoreItems, ExcludedItems, PerUserRanking } from './training/ranking-metrics.js';
export { pairedComparison, PAIRED_METRICS } from './evaluation/paired-comparison.js';
export type { PairedComparison, PairedDifference, PairedMetric } from './evaluation/paired-comparison.js';
export { crossValidate, gridSearch, combinations } from './evaluation/cross-validate.js';
export type { CvOptions, CvResult, FoldResult, ParamGrid, GridRow } from './evaluation/cross-validate.js';

// -- models and training
export { Recommender } from './models/recommender.js';
export type { CompileOptions, EntityRef, EvaluateOptions, ModelIndexes, RecommendOptions, RecommendIndexOptions } from './models/recommender.js';
export { Learner } from './models/learner.js';
export type { Recommendation, RecommendationBasis } from './models/recommendations.js';
export { DEFAULT_MIN_SUPPORT, DEFAULT_SUPPORT_WEIGHT, applyRankingPolicy } from './models/ranking-policy.js';
export type { RankingPolicy } from './models/ranking-policy.js';
export type { TrainingSummary } from './models/training-summary.js';
export { itemTitlesOf } from './data/titles.js';
export { MatrixFactorization, MF_DEFAULTS, MF_IMPLICIT_DEFAULTS } from './models/mf.js';
export { SvdPlusPlus, type SvdppOptions } from './models/svdpp.js';
export { word2vec, item2vec, node2vec, mostSimilar, ITEM2VEC_DEFAULTS, type Embeddings, type Item2VecOptions } from './models/embeddings.js';
export { trainSkipGram, SKIPGRAM_DEFAULTS, type SkipGramOptions, type SkipGramResult } from './training/skipgram-trainer.js';
export { AliasTable } from './training/skipgram-sampling.js';
export { corpusOf, textCorpus, behaviourSequences, type TokenCorpus, type TextCorpus, type TextCorpusOptions, type SequenceOptions } from './preprocessing/token-corpus.js';
export { randomWalks, type WalkGraph, type WalkOptions } from './preprocessing/random-walks.js';
export { encodeVectorCsv, encodeNpyF32, encodeNpy, encodeVectorSafetensors, encodeIdLines, type VectorFormat } from './io/vector-encode.js';
export { quantizeTable, dequantizeTable, toHalfBits, fromHalfBits, type VectorTable, type VectorDtype } from './io/vector-quantize.js';
export { encodeTableJsonl, encodeTableCsv } from './io/vector-table-encode.js';
export { servingVectors, type ServingVectors, type VectorSide } from './io/model-vectors.js';
export { Int8Ranking, SCORING_DTYPES, type Int8RankingOptions, type ScoringDtype } from './io/int8-ranking.js';
export { mfFromFactors, type FactorTables } from './io/factor-model.js';
export { readTwoTowerWeights, type TwoTowerWeights, type WeightFeature } from './io/two-tower-weights.js';
export { twoTowerFromWeights } from './io/two-tower-weights-model.js';
export { twoTowerWeightsFile } from './io/two-tower-weights-export.js';
export { LightGCN, LIGHTGCN_DEFAULTS, type LightGCNOptions } from './models/lightgcn.js';
export { SequenceModel, type SequenceModelOptions, type SequenceRun, type SequenceDefaults } from './models/sequence-model.js';
export { lastItems } from './data/history-rows.js';
export { YouTubeDNN, YOUTUBE_DEFAULTS, type YouTubeOptions } from './models/youtube.js';
export { SequenceTwoTower, SEQUENCE_TWO_TOWER_DEFAULTS, type SequenceTwoTowerOptions } from './models/sequence-two-tower.js';
export { Gru4Rec, GRU4REC_DEFAULTS, type Gru4RecOptions } from './models/gru4rec.js';
export { Gru, GruBuffers } from './nn/gru.js';
export { SASRec, SASREC_DEFAULTS, type SasrecOptions } from './models/sasrec.js';
export { BST, BST_DEFAULTS, type BstOptions } from './models/bst.js';
export { GraphPropagation, bipartiteAdjacency, transposeCsr, type CsrMatrix } from './nn/graph-propagation.js';
export type { MFOptions } from './models/mf.js';
export { MeanBaseline } from './models/baselines.js';
export type { BaselineKind, BaselineOptions } from './models/baselines.js';
export { FeatureModel } from './models/feature-model.js';
export type { SideFeatures, FeatureModelOptions } from './models/feature-model.js';
export { LinearRS, LINEAR_DEFAULTS } from './models/linear.js';
export type { LinearRSOptions } from './models/linear.js';
export { TwoTower, TWO_TOWER_DEFAULTS, TWO_TOWER_IMPLICIT_DEFAULTS } from './models/two-tower.js';
export type { TwoTowerOptions, TwoTowerHead } from './models/two-tower.js';
export { Ensemble, sideFeatureEnsemble, implicitEnsemble, type EnsembleOptions } from './models/ensemble.js';
export { SCORE_FUSIONS, RECIPROCAL_RANK_K, fusedRows, reciprocalRankRows, standardisedRows, type ScoreFusion, type RowFusion } from './models/score-fusion.js';
export type { EnsembleMember, EnsembleMembers } from './models/ensemble.js';
export { COLD_USERS_LAMBDA, type ColdUsers, type ColdUsersReport, type ColdUserMap } from './models/mf-cold-users.js';
export { fitFactorMap, mapRow, denseRow, denseWidth, sideWithout, MAX_FEATURE_WIDTH, type FactorMap } from './preprocessing/feature-map.js';
export { Embedding, PooledEmbedding, DEFAULT_EMBEDDING_INIT } from './nn/embedding.js';
export type { EmbeddingOptions } from './nn/embedding.js';
export { Dense } from './nn/dense.js';
export type { Activation, DenseOptions } from './nn/dense.js';
export { Dropout } from './nn/dropout.js';
export { Concatenate } from './nn/concat.js';
export { Dot } from './nn/dot.js';
export { Tower } from './nn/tower.js';
export type { TowerOptions } from './nn/tower.js';
export { FeatureInput, SideTables, SideBatches, defaultFeatureDim } from './nn/features.js';
export type { FeatureInputOptions } from './nn/features.js';
export { createModel, buildModel, checkModelOptions, usesFeatures, MODEL_KINDS, MODEL_OPTION_NAMES } from './models/factory.js';
export type { ModelKind, ModelOptions, ModelOptionsByKind, BuiltModel } from './models/factory.js';
export { topK } from './models/topk.js';
export { serializeModel, deserializeModel, readModelBytes, readModelFile, ModelFileError, DEFAULT_MAX_MODEL_BYTES } from './io/model-file.js';
export type { ModelExtras, LoadedModel, ReadModelOptions } from './io/model-file.js';
export { serializeUserTower, loadUserTower, UserTower, USER_TOWER_FORMAT_VERSION } from './io/user-tower-file.js';
export type { LoadUserTowerOptions } from './io/user-tower-file.js';
export type { ModelState, StateTensor } from './models/state.js';
export type { UserItems } from './models/serving.js';
export { predictRawPairs, rawRowOfTable } from './models/raw-pairs.js';
export type { ExtraFeatureTables } from './models/raw-pairs.js';
export type { Ranked } from './models/topk.js';
export { Optimizer, resolveOptimizer } from './training/optimizer.js';
export type { OptimizerConfig, OptimizerName } from './training/optimizer.js';
export { Param } from './training/param.js';
export type { ParamOptions } from './training/param.js';
export { TrainingDivergedError } from './training/fit.js';
export type { FitOptions, EpochLogs, BatchLogs, Callbacks, EarlyStopping, History } from './training/fit.js';
export type { LrSchedule } from './training/schedule.js';
export { rmse, mae, ratingMetrics, parseMetric, RATING_METRICS, RANKING_METRICS } from './training/metrics.js';
export type { RatingMetrics, MetricName, MonitorName, Metrics } from './training/metrics.js';
