// wasmrec/node: everything in the main entry plus what needs Node (files, the network).
export * from './index.js';

// -- loading from disk and fetching data sets
