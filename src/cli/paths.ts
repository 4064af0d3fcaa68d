// Files named on the command line, checked before any work starts: a missing input or an
// output folder that cannot be written fails in a second, naming the flag, the path and why.

import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { causeOf } from '../io/node/fs-errors.js';

/** An input or output path given by a flag. */
export interface PathArg {
  readonly flag: string;
  readonly path: string | undefined;
}

/** Throws unless each given input path is a readable file. */
export async function checkInputs(inputs: readonly PathArg[]): Promise<void> {
  for (const { flag, path } of inputs) {
    if (path === undefined) continue;
    try {
      if (!(await stat(path)).isFile()) throw Object.assign(new Error(), { code: 'EISDIR' });
      await access(path, constants.R_OK);
    } catch (err) {
      throw new Error(`${flag} ${path}: ${causeOf(err)}`);
    }
  }
}

/**
 * Throws unless `path` can be written: its folder exists and is writable, and the path is
 * not a folder. Checked before training so that a typo does not cost the whole run.
 */
export async function checkOutput({ flag, path }: PathArg): Promise<void> {
  if (path === undefined) return;
  const folder = dirname(resolve(path));
  try {
    if (!(await stat(folder)).isDirectory()) throw Object.assign(new Error(), { code: 'ENOTDIR' });
    await access(folder, constants.W_OK);
  } catch (err) {
    throw new Error(`${flag} ${path}: cannot write into the folder ${folder}: ${causeOf(err)}`);
  }
  const existing = await stat(path).catch(() => null);
  if (existing?.isDirectory()) throw new Error(`${flag} ${path}: is a folder, not a file`);
}

/** Why --data found no data set at `path`: the path is missing, or holds no known files. */
export async function noDataSet(path: string): Promise<Error> {
  let why = 'no MovieLens files in it or in a subfolder named like a release (ml-100k, ml-1m, ml-latest-small, ml-latest)';
  try {
    if (!(await stat(path)).isDirectory()) why = 'not a folder';
  } catch (err) {
    why = causeOf(err);
  }
  return new Error(`no data set found at ${path}: ${why}`);
}
