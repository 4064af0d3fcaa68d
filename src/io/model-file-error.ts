// The one error a model file can cause when it is read.

/**
 * A model file that cannot be loaded: not one, truncated, damaged, inconsistent, from a
 * newer wasmrec, or needing more memory than allowed. The message names the file and what
 * is wrong with it.
 *
 * @example
 * try { await loadModel('upload.wasmrec'); } catch (err) { if (err instanceof ModelFileError) reply(400, err.message); }
 */
export class ModelFileError extends Error {
  override readonly name = 'ModelFileError';
}
