// Edge tables from files (Node): social or item graphs joined to a data set (data/graph-columns.ts).

import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Dataset } from '../../data/dataset.js';
import { parseEdges, type EdgeTable, type EdgeTableOptions, type GraphOptions } from '../../data/edges.js';
import { DataError } from '../../data/errors.js';
import { withGraph, type GraphJoin } from '../../data/graph-columns.js';
import { causeOf } from './fs-errors.js';

/** Reads `source target [weight]` rows; messages name the file by its base name. */
export async function readEdgeFile(path: string, options: Omit<EdgeTableOptions, 'file'> = {}): Promise<EdgeTable> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    throw new DataError(basename(path), 0, '', `cannot read ${path}: ${causeOf(err)}`);
  }
  return parseEdges(bytes, { ...options, file: basename(path) });
}

/**
 * The data set with the graph in `path` as a list column of its users or items (default
 * column 'neighbours'), and the graph itself.
 *
 * @example
 * const { dataset: social } = await addGraphFile(dataset, 'user', 'filmtrust/trust.txt');
 */
export async function addGraphFile(dataset: Dataset, side: 'user' | 'item', path: string, options: GraphOptions & { name?: string } = {}): Promise<GraphJoin> {
  return withGraph(dataset, side, await readEdgeFile(path), options);
}
