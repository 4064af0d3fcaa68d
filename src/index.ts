// wasmrec: neural recommenders with side information on a SIMD WebAssembly core.
// This entry imports no Node API: browsers, workers and edge runtimes use it as is.

// -- backends
export { createBackend } from './backends/index.js';
export type { Backend, BackendName, F32Buf, I32Buf, Buf, WasmOptions, WasmInput } from './backends/index.js';
export { Rng } from './random.js';

// -- data (core: parsing strings and bytes, synthetic data)
export { IdIndex, interactions, subset, meanRating } from './data/interactions.js';
export type { Interactions } from './data/interactions.js';
export type { Dataset, EntityTable, Column, Split, LoadReport, DatasetFormat } from './data/dataset.js';

// -- preprocessing and splits

// -- models and training
