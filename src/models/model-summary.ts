// What `model.summary()` returns: the parts of a model's network in data-flow order, each
// with its output shape and the parameters it owns, as Keras' summary lists them. The same
// description draws the diagrams (../analysis/diagram.ts) and prints the table
// (../analysis/summary-text.ts).

/** Where a part sits in the diagram: the user tower, the item tower, or where they meet. */
export type SummaryBranch = 'user' | 'item' | 'joint';

/** A tensor a part owns, named as the model names its parameter buffer (and its model file). */
export interface SummaryTensor {
  name: string;
  /** rows × columns (a dense layer's weight matrix is in × out; biases 1 × out). */
  shape: [number, number];
}

/** One part of the network. */
export interface SummaryLayer {
  /** Unique within the model (`user/age`, `user_tower/dense0`, `head/dense1`, `output`). */
  name: string;
  /** Input, Embedding, PooledEmbedding, Concatenate, Dense, Dropout, Dot, Bias, Add, Prior, Statistic, Model. */
  type: string;
  branch: SummaryBranch;
  /** What a reader needs besides the type: a feature's kind and cardinality, an activation, a rate. */
  detail: string;
  /** Per example (the batch dimension left out): [24] for a 24-wide vector, [1] for a score. */
  outputShape: number[];
  /** Number of values this part owns. */
  params: number;
  /** Whether training updates them (statistics and the popularity prior are fixed). */
  trainable: boolean;
  /** Where the values live: f32 buffers on the backend, or JavaScript arrays (baselines' statistics). */
  storage: 'backend' | 'js';
  tensors: SummaryTensor[];
  /** The parts whose outputs this one reads. */
  inputs: string[];
}

export interface ModelSummary {
  kind: string;
  /** One line on what the model computes, e.g. "r̂ = μ + b_u + b_i + p_uᵀq_i". */
  formula: string;
  layers: SummaryLayer[];
  totalParams: number;
  trainableParams: number;
  nonTrainableParams: number;
  /** Bytes of the parameter buffers on the backend (f32; optimizer state not included). */
  backendBytes: number;
}

export interface LayerSpec {
  name: string;
  type: string;
  branch: SummaryBranch;
  detail?: string;
  outputShape: number[];
  tensors?: SummaryTensor[];
  inputs?: string[];
  trainable?: boolean;
  storage?: 'backend' | 'js';
}

/** Collects a model's parts in data-flow order and totals them. */
export class SummaryBuilder {
  private readonly layers: SummaryLayer[] = [];
  private readonly names = new Set<string>();

  /** Adds a part; returns its name, for the `inputs` of the parts that read it. */
  add(spec: LayerSpec): string {
    if (this.names.has(spec.name)) throw new Error(`summary: two parts named '${spec.name}'`);
    for (const i of spec.inputs ?? []) if (!this.names.has(i)) throw new Error(`summary: '${spec.name}' reads '${i}', which is not described before it`);
    this.names.add(spec.name);
    const tensors = spec.tensors ?? [];
    this.layers.push({
      name: spec.name,
      type: spec.type,
      branch: spec.branch,
      detail: spec.detail ?? '',
      outputShape: spec.outputShape,
      params: tensors.reduce((s, t) => s + t.shape[0] * t.shape[1], 0),
      trainable: tensors.length > 0 && (spec.trainable ?? true),
      storage: spec.storage ?? 'backend',
      tensors,
      inputs: spec.inputs ?? [],
    });
    return spec.name;
  }

  /** Adds another model's parts under `prefix/` (an ensemble's members, a ranking twin). */
  addModel(prefix: string, inner: ModelSummary, branch: SummaryBranch, inputs: string[] = []): string {
    const out = this.add({
      name: prefix,
      type: 'Model',
      branch,
      detail: `${inner.kind}: ${inner.formula}`,
      outputShape: [1],
      tensors: inner.layers.flatMap((l) => l.tensors.map((t) => ({ name: `${prefix}/${t.name}`, shape: t.shape }))),
      inputs,
      trainable: inner.trainableParams > 0,
    });
    const last = this.layers[this.layers.length - 1];
    last.storage = inner.layers.every((l) => l.storage === 'js' || l.params === 0) && inner.totalParams > 0 ? 'js' : 'backend';
    // A member mixes fixed and trained values: keep its own split in the totals.
    this.nested.set(out, inner);
    return out;
  }

  private readonly nested = new Map<string, ModelSummary>();

  finish(kind: string, formula: string): ModelSummary {
    let total = 0;
    let trainable = 0;
    let bytes = 0;
    for (const l of this.layers) {
      const inner = this.nested.get(l.name);
      total += l.params;
      trainable += inner ? inner.trainableParams : l.trainable ? l.params : 0;
      bytes += inner ? inner.backendBytes : l.storage === 'backend' ? 4 * l.params : 0;
    }
    return { kind, formula, layers: this.layers, totalParams: total, trainableParams: trainable, nonTrainableParams: total - trainable, backendBytes: bytes };
  }
}
