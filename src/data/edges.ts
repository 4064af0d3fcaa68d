// Edge tables (social trust, follower, item-link graphs): `source target [weight]` rows read
// with the same delimiter detection and error locations as the ratings files.

import { checkDelimiter, detectDelimiter, forEachRow } from './csv.js';
import { firstRow } from './csv-header.js';
import { DataError, type OnError } from './errors.js';
import { ReportBuilder } from './report.js';
import { checkFields, decode, isNumeric, parseId, parseNumber, type FileContent } from './text.js';

/** Edges as read, ids raw; `weights` is null when the file has no weight column. */
export interface EdgeTable {
  readonly file: string;
  readonly sources: string[];
  readonly targets: string[];
  readonly weights: Float32Array | null;
  /** Lines skipped under `onError: 'skip'`, and other notes. */
  readonly warnings: string[];
}

export interface EdgeTableOptions {
  /** Name used in messages. Default 'edges.csv'. */
  readonly file?: string;
  /** Default: detected (tab, comma, semicolon, pipe, else spaces). */
  readonly delimiter?: string;
  /** Default: a first row whose third field (or, with two fields, whose fields) are not numbers and look like names. */
  readonly header?: boolean;
  readonly onError?: OnError;
}

const HEADER_NAME = /^(source|src|from|target|dst|to|trustor|trustee|follower|followee|user|item|weight|value|trust)(_?id)?$/i;

/**
 * Reads an edge table: two ids per row and an optional weight (a finite number > 0; a 0
 * weight would be an edge that is not there).
 *
 * @example
 * const trust = parseEdges('2 966 1\n2 104 1\n', { file: 'trust.txt' });
 * trust.sources; // ['2', '2']
 */
export function parseEdges(content: FileContent, opts: EdgeTableOptions = {}): EdgeTable {
  const file = opts.file ?? 'edges.csv';
  const report = new ReportBuilder(opts.onError);
  const { text, invalid } = decode(content, 'utf-8');
  const delimiter = opts.delimiter ?? detectDelimiter(text);
  checkDelimiter(delimiter, file);
  const first = firstRow(text, delimiter);
  if (first.length === 1 && first[0] !== '') throw new DataError(file, 1, '2', 'missing (an edge row is: source, target, optional weight)');
  if (first.length > 3) throw new DataError(file, 1, '4', 'unexpected (an edge row is: source, target, optional weight)');
  const header = opts.header ?? (first.length > 2 ? !isNumeric(first[2]) : first.length === 2 && first.every((f) => HEADER_NAME.test(f)));
  const width = first.length;
  const names = header ? first.map((n, k) => n || ['source', 'target', 'weight'][k]) : ['source', 'target', 'weight'].slice(0, width);
  const sources: string[] = [];
  const targets: string[] = [];
  const weights: number[] = [];
  let skipHeader = header;
  forEachRow(text, delimiter, (fields, lineNo, problem) => {
    if (skipHeader) return void (skipHeader = false);
    if (!checkFields(fields, names, file, lineNo, report, invalid, problem)) return;
    const s = parseId(fields[0], file, lineNo, names[0], report);
    if (s === null) return;
    const t = parseId(fields[1], file, lineNo, names[1], report);
    if (t === null) return;
    if (width === 3) {
      const w = parseNumber(fields[2], file, lineNo, names[2], report);
      if (Number.isNaN(w)) return;
      if (!(w > 0)) return report.fail(new DataError(file, lineNo, names[2], `${w} is not a weight (expected a number > 0)`));
      weights.push(w);
    }
    sources.push(s);
    targets.push(t);
  });
  if (sources.length === 0) throw new DataError(file, 0, '', 'no edges');
  return { file, sources, targets, weights: width === 3 ? Float32Array.from(weights) : null, warnings: report.build().warnings };
}

/** A graph over 0..nodes-1 in compressed sparse rows: the neighbours of n are col[rowPtr[n]..rowPtr[n+1]). */
export interface CsrGraph {
  readonly nodes: number;
  readonly rowPtr: Int32Array;
  readonly col: Int32Array;
  readonly weight: Float32Array;
}

/** What building a graph from an edge table did with edges it could not use as they were. */
export interface GraphReport {
  /** Edges kept (after merging duplicates; an undirected edge counts once). */
  readonly edges: number;
  readonly unknownIds: number;
  readonly selfLoops: number;
  readonly duplicates: number;
  /** One line for the data set's warnings, or null when nothing was dropped or merged. */
  readonly warning: string | null;
}

export interface GraphOptions {
  /** Default true (trust and follow links have a direction): edges point from source to target. */
  readonly directed?: boolean;
}

/**
 * The edges as a CSR graph over `ids` (a data set's user or item index): edges naming ids
 * outside it are counted, self-loops dropped and counted (a user trusting herself says
 * nothing), repeated edges merged with their weights summed. Undirected graphs store both
 * directions. Neighbours are sorted, so the graph does not depend on the file's row order.
 */
export function buildGraph(edges: EdgeTable, ids: readonly string[], opts: GraphOptions = {}): { graph: CsrGraph; report: GraphReport } {
  const directed = opts.directed ?? true;
  const index = new Map(ids.map((id, k) => [id, k]));
  const lists: Map<number, number>[] = Array.from({ length: ids.length }, () => new Map());
  let unknownIds = 0;
  let selfLoops = 0;
  let duplicates = 0;
  let kept = 0;
  for (let e = 0; e < edges.sources.length; e++) {
    const s = index.get(edges.sources[e]);
    const t = index.get(edges.targets[e]);
    if (s === undefined || t === undefined) {
      unknownIds++;
      continue;
    }
    if (s === t) {
      selfLoops++;
      continue;
    }
    const w = edges.weights ? edges.weights[e] : 1;
    const add = (a: number, b: number) => lists[a].set(b, (lists[a].get(b) ?? 0) + w);
    if (lists[s].has(t)) duplicates++;
    else kept++;
    add(s, t);
    if (!directed) add(t, s);
  }
  const rowPtr = new Int32Array(ids.length + 1);
  for (let n = 0; n < ids.length; n++) rowPtr[n + 1] = rowPtr[n] + lists[n].size;
  const col = new Int32Array(rowPtr[ids.length]);
  const weight = new Float32Array(col.length);
  lists.forEach((m, n) => {
    const sorted = [...m.keys()].sort((a, b) => a - b);
    sorted.forEach((t, k) => {
      col[rowPtr[n] + k] = t;
      weight[rowPtr[n] + k] = m.get(t)!;
    });
  });
  const parts = [
    unknownIds && `${unknownIds} name ids the ratings do not have`,
    selfLoops && `${selfLoops} are self-loops`,
    duplicates && `${duplicates} repeat an earlier edge (weights summed)`,
  ].filter(Boolean);
  const warning = parts.length ? `${edges.file}: of ${edges.sources.length} edges, ${parts.join(', ')}; ${kept} used` : null;
  return { graph: { nodes: ids.length, rowPtr, col, weight }, report: { edges: kept, unknownIds, selfLoops, duplicates, warning } };
}
