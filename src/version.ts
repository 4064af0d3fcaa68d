// The library's version, written into model files (kept equal to package.json's by a test).

/** wasmrec's version, as in package.json. */
export const WASMREC_VERSION = '0.1.0';
