// Preprocessing: feature specs, the fitted pipeline and its output contract.

export { FeaturePipeline } from './pipeline.js';
export type { PipelineFitOptions, FeaturePipelineJSON } from './pipeline.js';
export { autoFeatureSpec, noFeatureSpec, resolveFeatureSpec, AGE_GROUP_EDGES } from './auto.js';
export { parseFeatureSpec, featureName, ALL_STATS } from './spec.js';
export type {
  FeatureSpec, FeatureDef, InteractionFeatureDef, Side, DatePart, StatName, ContinuousFeature, CategoricalFeature,
  BothFeature, BucketFeature, MultiFeature, StatsFeature, ItemAgeFeature, TextFeature, VectorFeature, GraphFeature,
  SequenceFeature, SequenceAttribute,
} from './spec.js';
export { textFeatureInit, type WordVectors, type FeatureInit } from './word-vectors.js';
export { tokenize, hashBucket } from './text-tokens.js';
export type { EncodedSide, EncodedCategorical, EncodedMulti, EncodedInteractions } from './encoded.js';
export type { RawRow, RawValue } from './derive.js';
export { datePart, bucketCode } from './derive.js';
export { ratingStats, quantile } from './stats.js';
export type { RatingStats, StatValues } from './stats.js';
