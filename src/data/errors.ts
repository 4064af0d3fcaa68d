// The one error type for bad input files, and the policy that decides whether it is thrown.

/** What a loader does with a malformed line: stop, or skip it and count it in the report. */
export type OnError = 'throw' | 'skip';

/** Field names come from headers, which a broken file can make a megabyte long. */
const FIELD_CHARS = 40;

function cut(field: string): string {
  return field.length <= FIELD_CHARS ? field : `${field.slice(0, FIELD_CHARS)}…`;
}

/**
 * A problem in an input file, located by file name, 1-based line and field, so that a user
 * can open the file and fix it.
 *
 * @example
 * try {
 *   parseMovieLens100k({ 'u.data': '1\t2\tx\t3\n' });
 * } catch (e) {
 *   if (e instanceof DataError) console.log(e.file, e.line, e.field); // u.data 1 rating
 * }
 */
export class DataError extends Error {
  override readonly name = 'DataError';

  constructor(
    readonly file: string,
    /** 1-based line number; 0 when the problem concerns the whole file. */
    readonly line: number,
    /** The field's name (or 1-based position when unnamed); '' for whole-line problems. */
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${file}${line > 0 ? ` line ${line}` : ''}${field ? `, field ${cut(field)}` : ''}: ${problem}`);
  }
}
