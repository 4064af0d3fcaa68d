// The summary parts the feature models share: one side's inputs and embeddings (mirroring
// nn/features.ts' FeatureInput), a tower of Dense layers (nn/tower.ts), and id tables. The
// tensor names are the names the layers give their parameters, so a test can hold the
// summary against the model's real buffers.

import type { Activation } from '../nn/dense.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { SummaryBranch, SummaryBuilder, SummaryTensor } from './model-summary.js';

export interface SideInputShape {
  idDim: number;
  featureDim: (name: string, cardinality: number) => number;
  /** Include the continuous columns (default true). */
  continuous?: boolean;
}

/**
 * Inputs and embeddings of one side, joined by a Concatenate (the tower's input); returns
 * its name and width.
 */
export function describeSideInput(b: SummaryBuilder, side: 'user' | 'item', enc: EncodedSide, nIds: number, shape: SideInputShape): { name: string; width: number; id: string } {
  const parts: string[] = [];
  let width = 0;
  // The id is an input even without an id embedding: the biases read it.
  const id = b.add({ name: `${side}_id`, type: 'Input', branch: side, detail: `${nIds} known ids + unknown`, outputShape: [1] });
  let idEmbedding: string | null = null;
  if (shape.idDim > 0) {
    idEmbedding = b.add({ name: `${side}/id`, type: 'Embedding', branch: side, detail: `${nIds + 1} rows`, outputShape: [shape.idDim], tensors: [{ name: `${side}/id`, shape: [nIds + 1, shape.idDim] }], inputs: [id] });
    parts.push(idEmbedding);
    width += shape.idDim;
  }
  const graph = idEmbedding ? { table: idEmbedding, dim: shape.idDim } : null;
  parts.push(...describeFeatureEmbeddings(b, side, enc, shape.featureDim, graph, true));
  width += enc.categorical.reduce((w, c) => w + shape.featureDim(c.name, c.cardinality), 0) + enc.multi.reduce((w, m) => w + (graph && m.of === 'ids' ? graph.dim : shape.featureDim(m.name, m.cardinality)), 0);
  const nCont = shape.continuous === false ? 0 : enc.contNames.length;
  if (nCont > 0) {
    parts.push(b.add({ name: `${side}_continuous`, type: 'Input', branch: side, detail: enc.contNames.join(', '), outputShape: [nCont] }));
    width += nCont;
  }
  const name = b.add({ name: `${side}_features`, type: 'Concatenate', branch: side, outputShape: [width], inputs: parts });
  return { name, width, id };
}

/** An Input and an embedding per categorical and multi-valued feature (a GRU after a recurrent text's, when `recurrent`); returns the last layers' names. */
function describeFeatureEmbeddings(b: SummaryBuilder, side: 'user' | 'item', enc: EncodedSide, featureDim: (name: string, cardinality: number) => number, graph: { table: string; dim: number } | null = null, recurrent = false): string[] {
  const out: string[] = [];
  for (const c of enc.categorical) {
    const dim = featureDim(c.name, c.cardinality);
    const input = b.add({ name: `${side}_${c.name}`, type: 'Input', branch: side, detail: `categorical, ${c.cardinality} values`, outputShape: [1] });
    out.push(b.add({ name: `${side}/${c.name}`, type: 'Embedding', branch: side, detail: `${c.cardinality} rows`, outputShape: [dim], tensors: [{ name: `${side}/${c.name}`, shape: [c.cardinality, dim] }], inputs: [input] }));
  }
  for (const m of enc.multi) {
    if (graph && m.of === 'ids') {
      const links = b.add({ name: `${side}_${m.name}`, type: 'Input', branch: side, detail: `linked ${side}s (id rows)`, outputShape: [m.cardinality] });
      const detail = m.weights ? `GCN-normalised sum of the linked ${side}s' id embeddings (shared table)` : `mean of the linked ${side}s' id embeddings (shared table; GraphSAGE-mean)`;
      out.push(b.add({ name: `${side}/${m.name}`, type: 'NeighbourMean', branch: side, detail, outputShape: [graph.dim], inputs: [links, graph.table] }));
      continue;
    }
    const dim = featureDim(m.name, m.cardinality);
    if (recurrent && m.recurrentTokens && m.of === undefined) {
      const L = m.recurrentTokens;
      const tokens = b.add({ name: `${side}_${m.name}`, type: 'Input', branch: side, detail: `text, first ${L} tokens in order`, outputShape: [L] });
      const emb = b.add({ name: `${side}/${m.name}`, type: 'Embedding', branch: side, detail: `${m.cardinality} rows, one per token`, outputShape: [L, dim], tensors: [{ name: `${side}/${m.name}`, shape: [m.cardinality, dim] }], inputs: [tokens] });
      const gru = `${side}/${m.name}/gru`;
      const tensors: SummaryTensor[] = [{ name: `${gru}_w`, shape: [dim, 3 * dim] }, { name: `${gru}_u`, shape: [dim, 3 * dim] }, { name: `${gru}_bx`, shape: [1, 3 * dim] }, { name: `${gru}_bh`, shape: [1, 3 * dim] }];
      out.push(b.add({ name: gru, type: 'GRU', branch: side, detail: 'last hidden state (recurrent text encoder)', outputShape: [dim], tensors, inputs: [emb] }));
      continue;
    }
    const input = b.add({ name: `${side}_${m.name}`, type: 'Input', branch: side, detail: `multi-hot, ${m.cardinality} values`, outputShape: [m.cardinality] });
    out.push(b.add({ name: `${side}/${m.name}`, type: 'PooledEmbedding', branch: side, detail: `${m.cardinality} rows, mean of the values`, outputShape: [dim], tensors: [{ name: `${side}/${m.name}`, shape: [m.cardinality, dim] }], inputs: [input] }));
  }
  return out;
}

/**
 * LinearRS' linear effects of one side's features (models/linear.ts): a scalar per code
 * (embeddings of width 1) and a weight per continuous column, summed; returns the sum's name.
 */
export function describeLinearEffects(b: SummaryBuilder, side: 'user' | 'item', enc: EncodedSide): string {
  const parts = describeFeatureEmbeddings(b, side, enc, () => 1);
  const nCont = enc.contNames.length;
  const cont = nCont > 0 ? [b.add({ name: `${side}_continuous`, type: 'Input', branch: side, detail: enc.contNames.join(', '), outputShape: [nCont] })] : [];
  // The weight vector exists with one (unused) row when the side has no continuous column.
  parts.push(b.add({ name: `${side}_weights`, type: 'Dense', branch: side, detail: nCont > 0 ? 'wᵀx, linear' : 'no continuous column (one unused weight)', outputShape: [1], tensors: [{ name: `${side}_weights`, shape: [Math.max(1, nCont), 1] }], inputs: cont }));
  return b.add({ name: `${side}_linear`, type: 'Add', branch: side, detail: side === 'user' ? 'wᵀx_u' : 'vᵀz_i', outputShape: [1], inputs: parts });
}

/** Dense layers (and dropout between them) as nn/tower.ts builds them; returns the last part's name and width. */
export function describeTower(
  b: SummaryBuilder,
  prefix: string,
  branch: SummaryBranch,
  input: { name: string; width: number },
  layers: readonly number[],
  activation: Activation,
  dropout: number,
): { name: string; width: number } {
  let at = input;
  layers.forEach((out, i) => {
    const last = i === layers.length - 1;
    const name = `${prefix}/dense${i}`;
    const dense = b.add({
      name,
      type: 'Dense',
      branch,
      detail: last ? 'linear' : activation,
      outputShape: [out],
      tensors: [{ name: `${name}/W`, shape: [at.width, out] }, { name: `${name}/b`, shape: [1, out] }],
      inputs: [at.name],
    });
    at = { name: dense, width: out };
    if (!last && dropout > 0) at = { name: b.add({ name: `${prefix}/dropout${i}`, type: 'Dropout', branch, detail: `p = ${dropout}`, outputShape: [out], inputs: [dense] }), width: out };
  });
  return at;
}

/** A bias per id (row `nIds` for unknown ids). */
export function describeBias(b: SummaryBuilder, side: 'user' | 'item', nIds: number, input: string): string {
  return b.add({ name: `${side}_bias`, type: 'Bias', branch: side, detail: `b_${side === 'user' ? 'u' : 'i'}`, outputShape: [1], tensors: [{ name: `${side}_bias`, shape: [nIds + 1, 1] }], inputs: [input] });
}

/** The MF terms μ + b_u + b_i + p_uᵀq_i over id inputs; `extra` are further parts added into the output. */
export function describeMfTerms(b: SummaryBuilder, nUsers: number, nItems: number, factors: number, extra: (ids: { user: string; item: string }) => string[] = () => []): string {
  const user = b.add({ name: 'user_id', type: 'Input', branch: 'user', detail: `${nUsers} known ids + unknown`, outputShape: [1] });
  const item = b.add({ name: 'item_id', type: 'Input', branch: 'item', detail: `${nItems} known ids + unknown`, outputShape: [1] });
  const p = b.add({ name: 'user_factors', type: 'Embedding', branch: 'user', detail: 'p_u', outputShape: [factors], tensors: [{ name: 'user_factors', shape: [nUsers + 1, factors] }], inputs: [user] });
  const q = b.add({ name: 'item_factors', type: 'Embedding', branch: 'item', detail: 'q_i', outputShape: [factors], tensors: [{ name: 'item_factors', shape: [nItems + 1, factors] }], inputs: [item] });
  const bu = describeBias(b, 'user', nUsers, user);
  const bi = describeBias(b, 'item', nItems, item);
  const more = extra({ user, item });
  const dot = b.add({ name: 'dot', type: 'Dot', branch: 'joint', detail: 'p_uᵀq_i', outputShape: [1], inputs: [p, q] });
  return b.add({ name: 'output', type: 'Add', branch: 'joint', detail: 'μ + b_u + b_i + p_uᵀq_i' + (more.length ? ' + linear effects' : ''), outputShape: [1], inputs: [bu, bi, ...more, dot] });
}
