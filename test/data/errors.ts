// Test helper: catch the DataError a parser throws, failing on anything else.
import { DataError } from '../../src/data/errors.js';

export function dataError(fn: () => unknown): DataError {
  try {
    fn();
  } catch (e) {
    if (e instanceof DataError) return e;
    throw e;
  }
  throw new Error('expected a DataError');
}
