// A side graph joined to a data set as a list column: each user's (or item's) neighbours,
// which the feature pipeline pools like genres. This is how TrustSVD and SocialMF let the
// people a user trusts shape her vector; graph layers read the same edges as a CsrGraph.

import type { Column, Dataset, EntityTable } from './dataset.js';
import { buildGraph, type CsrGraph, type EdgeTable, type GraphOptions, type GraphReport } from './edges.js';

/** The data set with a graph attached, and the graph itself over the side's index. */
export interface GraphJoin {
  readonly dataset: Dataset;
  readonly graph: CsrGraph;
  readonly report: GraphReport;
}

/**
 * Adds the column `name` (default 'neighbours') to the user or item table: the ids each row
 * links to (out-links for a directed graph). Rows without links get an empty list, which
 * the pipeline encodes as "no neighbours" rather than as missing data.
 *
 * @example
 * const { dataset: social } = withGraph(dataset, 'user', parseEdges(trustText, { file: 'trust.txt' }), { name: 'trusts' });
 */
export function withGraph(dataset: Dataset, side: 'user' | 'item', edges: EdgeTable, opts: GraphOptions & { name?: string } = {}): GraphJoin {
  const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
  const { graph, report } = buildGraph(edges, index.ids, opts);
  const old: EntityTable = (side === 'user' ? dataset.users : dataset.items) ?? { ids: [...index.ids], columns: {} };
  const rowOf = new Map(old.ids.map((id, r) => [id, r]));
  const lists: string[][] = old.ids.map(() => []);
  for (let n = 0; n < graph.nodes; n++) {
    const row = rowOf.get(index.ids[n]);
    if (row === undefined) continue;
    for (let e = graph.rowPtr[n]; e < graph.rowPtr[n + 1]; e++) lists[row].push(index.ids[graph.col[e]]);
  }
  const column: Column = { kind: 'multi', values: lists };
  const table: EntityTable = { ...old, columns: { ...old.columns, [opts.name ?? 'neighbours']: column } };
  const warnings = [...dataset.report.warnings, ...edges.warnings, ...(report.warning ? [report.warning] : [])];
  const files = [...dataset.report.files, edges.file];
  return { dataset: { ...dataset, [side === 'user' ? 'users' : 'items']: table, report: { ...dataset.report, files, warnings } }, graph, report };
}

/**
 * The graph a list column holds (as withGraph wrote it), over the side's index; null when
 * the table has no such column. Links to ids outside the index are left out.
 */
export function graphOfColumn(dataset: Dataset, side: 'user' | 'item', column = 'neighbours'): CsrGraph | null {
  const table = side === 'user' ? dataset.users : dataset.items;
  const c = table?.columns[column];
  if (!table || !c || c.kind !== 'multi') return null;
  const index = side === 'user' ? dataset.userIndex : dataset.itemIndex;
  const at = new Map(index.ids.map((id, k) => [id, k]));
  const lists: number[][] = index.ids.map(() => []);
  table.ids.forEach((id, r) => {
    const n = at.get(id);
    if (n === undefined) return;
    for (const v of c.values[r]) {
      const m = at.get(v);
      if (m !== undefined && m !== n) lists[n].push(m);
    }
  });
  const rows = lists.map((l) => [...new Set(l)].sort((a, b) => a - b));
  const rowPtr = new Int32Array(rows.length + 1);
  rows.forEach((l, n) => (rowPtr[n + 1] = rowPtr[n] + l.length));
  const col = Int32Array.from(rows.flat());
  return { nodes: lists.length, rowPtr, col, weight: new Float32Array(col.length).fill(1) };
}
