// The item tower of the sequence two-tower (eBay's shape, Wang et al. 2021): every item's
// vector computed from its content features (and, for known items, its id) by a dense layer,
// so a new item with features gets a vector without retraining. It stands in for a free
// item table: before a training step it writes all items' vectors into that table's values;
// after the step it takes the table's gradient back through the layer to the features.

import type { Backend, I32Buf } from '../backends/index.js';
import { FeatureInput, SideBatches, SideTables, defaultFeatureDim } from '../nn/features.js';
import { Tower } from '../nn/tower.js';
import type { EncodedSide } from '../preprocessing/encoded.js';
import type { Rng } from '../random.js';
import type { Param } from '../training/param.js';

export interface ItemTowerOptions {
  /** Width of the item id embedding (0 = content features only). */
  idDim: number;
  /** Share of items whose id is hidden in an epoch, so the content path learns to stand alone. */
  idDropout: number;
  /** L2 per use of the feature and id embedding rows. */
  l2: number;
}

/** The shape of an item side that the tower's parameters depend on (an EncodedSide, or a model file's record of one). */
export interface ItemSideShape {
  contNames: readonly string[];
  categorical: readonly { name: string; cardinality: number }[];
  multi: readonly { name: string; cardinality: number; of?: string }[];
}

/**
 * The item tower's parameters, name → [rows, dim], as `ItemTower` creates them (its id
 * table, a table per embedded feature at the default width, one linear layer): what the
 * summary lists and a model file must hold.
 */
export function itemTowerShapes(side: ItemSideShape, nItems: number, idDim: number, dim: number): [string, number, number][] {
  const out: [string, number, number][] = [];
  let width = 0;
  if (idDim > 0) {
    out.push(['item_tower/id', nItems + 1, idDim]);
    width += idDim;
  }
  for (const e of [...side.categorical, ...side.multi]) {
    if ('of' in e && e.of === 'ids' && idDim > 0) {
      width += idDim; // a graph feature pools the id table
      continue;
    }
    const w = defaultFeatureDim(e.cardinality);
    out.push([`item_tower/${e.name}`, e.cardinality, w]);
    width += w;
  }
  width += side.contNames.length;
  if (width === 0) throw new Error('item tower: no input (idDim 0 and the items have no features)');
  out.push(['item_tower/dense0/W', width, dim], ['item_tower/dense0/b', 1, dim]);
  return out;
}

export class ItemTower {
  private readonly tables: SideTables;
  private readonly batches: SideBatches;
  private readonly input: FeatureInput;
  private readonly tower: Tower;
  private readonly rows: Int32Array;
  /** 0 … nItems−1 in backend memory: the gather that copies whole tables. */
  private readonly all: I32Buf;

  constructor(
    private readonly be: Backend,
    side: EncodedSide,
    private readonly nItems: number,
    readonly dim: number,
    rng: Rng,
    private readonly options: ItemTowerOptions,
  ) {
    if (side.n !== nItems + 1) throw new Error(`item tower: the item features have ${side.n - 1} rows; the model has ${nItems} items`);
    this.rows = Int32Array.from({ length: nItems }, (_, i) => i);
    this.all = be.allocI32(nItems, this.rows);
    this.tables = new SideTables(be, side);
    this.batches = new SideBatches(be, nItems, side, FeatureInput.idCounts(side, this.rows));
    this.input = new FeatureInput(be, 'item_tower', side, nItems, nItems, rng, {
      idDim: options.idDim,
      featureDim: (_name, card) => defaultFeatureDim(card),
      idEmbedding: { l2: options.l2 },
      featureEmbedding: { l2: options.l2 },
      // Every item passes this tower at every step: a recurrent text is averaged here.
      recurrent: false,
    });
    if (this.input.width === 0) throw new Error('item tower: no input (idDim 0 and the items have no features)');
    this.tower = new Tower(be, 'item_tower', this.input.width, nItems, rng, { layers: [dim] });
    this.layout(null);
  }

  /**
   * The epoch's id dropout (rng null: every trained item keeps its id, as in serving); items
   * without training events (`seen[i]` = 0) always take the unknown id's row, which id
   * dropout trained: a new item is its content plus what an unknown id means.
   */
  layout(rng: Rng | null, seen: Uint8Array | null = null): void {
    const unknown = this.nItems;
    const idRows = this.rows.map((i) => ((seen && !seen[i]) || (rng && rng.uniform() < this.options.idDropout) ? unknown : i));
    this.batches.fill(this.tables, this.rows, idRows);
  }

  /** Writes every item's vector into rows 0 … nItems−1 of `table` (nItems + 1 rows of dim). */
  forward(table: Param): void {
    this.input.forward(this.tables, this.batches, 0, this.nItems);
    const out = this.tower.forward(this.input.concat.x.ptr, this.nItems, true);
    this.be.kernels.gather(table.value.ptr, this.dim, out, this.all.ptr, this.nItems, this.dim);
  }

  /** Takes `table`'s gradient (rows 0 … nItems−1) back into the tower and the embeddings, and zeroes it. */
  backward(table: Param): void {
    const k = this.be.kernels;
    k.gather(this.tower.gradPtr(0), this.dim, table.grad.ptr, this.all.ptr, this.nItems, this.dim);
    k.fill(table.grad.ptr, table.rows * this.dim, 0);
    this.tower.backward(this.input.concat.dx.ptr, this.nItems);
    this.input.backward(this.batches, 0, this.nItems);
  }

  params(): Param[] {
    return [...this.input.params(), ...this.tower.params()];
  }

  dispose(): void {
    this.input.dispose();
    this.tower.dispose();
    this.batches.dispose();
    this.tables.dispose();
    this.be.free(this.all);
  }
}
