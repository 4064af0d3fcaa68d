// wasmrec/node: everything in the main entry plus what needs Node (files, the network).
export * from './index.js';

// -- loading from disk and fetching data sets
export { loadDataset, findDataDir, resolveDataset } from './io/node/load.js';
export type { LoadOptions, LoadFormat } from './io/node/load.js';
export { cacheRoot } from './io/node/cache.js';
export { fetchDataset, FetchError, FETCHABLE, OFFICIAL_BASE_URL } from './io/node/fetch.js';
export type { FetchOptions, FetchName } from './io/node/fetch.js';
export { loadCsvDataset } from './io/node/csv.js';
export type { CsvPaths } from './io/node/csv.js';
export { saveModel, loadModel, loadModelFile, writeFileAtomic } from './io/node/model-file.js';
export { readVectorFile, addVectorFile } from './io/node/vectors.js';
export { readEdgeFile, addGraphFile } from './io/node/edges.js';
export { readSparkAls, SparkModelError, SPARK_ALS_CLASS, type SparkAlsModel, type SparkFactors } from './io/node/spark-als.js';
export { encodeTableParquet } from './io/node/parquet-vectors.js';
export type { VectorFileOptions } from './io/node/vectors.js';
