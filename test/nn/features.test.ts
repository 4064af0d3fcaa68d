// One side's input layer on a tiny hand-made EncodedSide: the tables (with the "as cold"
// rows), a batch's columns, and FeatureInput's forward/backward against values worked out
// by hand, on both backends.
import { describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../src/backends/index.js';
import { defaultFeatureDim, FeatureInput, SideBatches, SideTables, type FeatureInputOptions } from '../../src/nn/features.js';
import type { PooledEmbedding } from '../../src/nn/embedding.js';
import type { EncodedSide } from '../../src/preprocessing/encoded.js';
import { Rng } from '../../src/random.js';

/** Three entities and the unknown row (3); `count` stands for a column derived from ratings. */
function tinySide(): EncodedSide {
  return {
    n: 4,
    contNames: ['age', 'count'],
    // rows: [0.5, 2], [-1, 3], [2, 4], unknown [0, 1]
    continuous: Float32Array.of(0.5, 2, -1, 3, 2, 4, 0, 1),
    categorical: [{ name: 'gender', cardinality: 3, codes: Int32Array.of(1, 2, 1, 0) }],
    // genres: row 0 {1, 2}, row 1 {3}, row 2 {1, 3}, unknown {0}
    multi: [{ name: 'genres', cardinality: 4, offsets: Int32Array.of(0, 2, 3, 5, 6), ids: Int32Array.of(1, 2, 3, 1, 3, 0) }],
  };
}

const OPTIONS: FeatureInputOptions = { idDim: 2, featureDim: (name) => (name === 'genres' ? 3 : 2) };

/** Tables with values that show where each number came from. */
function setTables(inp: FeatureInput): void {
  // id row r = [10r + 1, 10r + 2]; gender code c = [100 + c, −100 − c]; genre g = [g, 2g, −g]
  inp.id!.table.write([1, 2, 11, 12, 21, 22, 31, 32]);
  inp.categorical[0].table.write([100, -100, 101, -101, 102, -102]);
  (inp.multi[0] as PooledEmbedding).table.write([0, 0, 0, 1, 2, -1, 2, 4, -2, 3, 6, -3]);
}

/** The rows of a row-major m × width buffer. */
function rowsOf(values: Float32Array, width: number, m: number): number[][] {
  return Array.from({ length: m }, (_, r) => Array.from(values.subarray(r * width, (r + 1) * width)));
}

// Examples: entity 2 with its id; entity 0 with its id dropped (unknown id row 3, the "as
// cold" continuous row 4 + 0); entity 1 with its id.
const ROWS = Int32Array.of(2, 0, 1);
const ID_ROWS = Int32Array.of(2, 3, 1);
const CONT_ROWS = Int32Array.of(2, 4, 1);
/** concat.x of the three examples: id | gender | mean of genres | age, count. */
const EXPECTED_X = [
  [21, 22, 101, -101, 2, 4, -2, 2, 4],
  [31, 32, 101, -101, 1.5, 3, -1.5, 0.5, 1],
  [11, 12, 102, -102, 3, 6, -3, -1, 3],
];

describe.each(['js', 'wasm'] as const)('nn/features on the %s backend', (name) => {
  const backend = (): Promise<Backend> => createBackend(name);

  it('SideTables uploads codes and continuous values, with "as cold" copies of the cold columns', async () => {
    const be = await backend();
    const side = tinySide();
    const plain = new SideTables(be, side);
    expect(plain.coldOffset).toBe(0);
    expect(Array.from(be.read(plain.continuous))).toEqual(Array.from(side.continuous));
    expect(plain.codes).toHaveLength(1);
    expect(Array.from(be.read(plain.codes[0]))).toEqual([1, 2, 1, 0]);

    // Column 1 (count) of the copies is the unknown row's; age stays each entity's own.
    const cold = new SideTables(be, side, [1]);
    expect(cold.coldOffset).toBe(4);
    expect(rowsOf(be.read(cold.continuous), 2, 8)).toEqual([[0.5, 2], [-1, 3], [2, 4], [0, 1], [0.5, 1], [-1, 1], [2, 1], [0, 1]]);
    const both = new SideTables(be, side, [0, 1]);
    expect(rowsOf(be.read(both.continuous), 2, 8).slice(4)).toEqual([[0, 1], [0, 1], [0, 1], [0, 1]]);
    // Nothing to copy without continuous columns.
    const none = new SideTables(be, { ...side, contNames: [], continuous: new Float32Array(0) }, [0]);
    expect(none.coldOffset).toBe(0);
    for (const t of [plain, cold, both, none]) t.dispose();
  });

  it('SideBatches.fill lays out rows, codes and the CSR of the visited rows', async () => {
    const be = await backend();
    const side = tinySide();
    const tables = new SideTables(be, side, [1]);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, ROWS));
    b.fill(tables, ROWS, ID_ROWS, CONT_ROWS);
    expect(Array.from(be.read(b.rows))).toEqual([2, 0, 1]);
    expect(Array.from(be.read(b.idRows))).toEqual([2, 3, 1]);
    expect(Array.from(be.read(b.contRows))).toEqual([2, 4, 1]);
    expect(Array.from(be.read(b.codes[0]))).toEqual([1, 1, 2]);
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 2, 4, 5]);
    expect(Array.from(be.read(b.ids[0]))).toEqual([1, 3, 1, 2, 3]);
    // Without contRows the continuous rows are the entity rows.
    b.fill(tables, Int32Array.of(3, 1, 0), Int32Array.of(3, 1, 0));
    expect(Array.from(be.read(b.contRows))).toEqual([3, 1, 0]);
    expect(Array.from(be.read(b.codes[0]))).toEqual([0, 2, 1]);
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 1, 2, 4]);
    expect(Array.from(be.read(b.ids[0]))).toEqual([0, 3, 1, 2, 3]);
    b.dispose();
    tables.dispose();
  });

  it("leaves each example's own item out of a sequence feature's ids, and all of them when the id was dropped (an empty history becomes code 0)", async () => {
    const be = await createBackend('js');
    // Histories as codes item + 1: row 0 {i0, i2}, row 1 {i1}, row 2 {i0, i1, i2}, unknown {0}.
    const side: EncodedSide = { ...tinySide(), multi: [{ name: 'history', cardinality: 4, offsets: Int32Array.of(0, 2, 3, 6, 7), ids: Int32Array.of(1, 3, 2, 1, 2, 3, 0), of: 'counterpart' }] };
    const tables = new SideTables(be, side, [1]);
    const rows = Int32Array.of(0, 1, 2, 2);
    const b = new SideBatches(be, 4, side, FeatureInput.idCounts(side, rows));
    // Examples: row 0 with item 2, row 1 with its only item 1, row 2 with item 0, row 2 with an item outside its history.
    b.fill(tables, rows, rows, rows, Int32Array.of(2, 1, 0, 5));
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 1, 2, 4, 7]);
    expect(Array.from(be.read(b.ids[0]).subarray(0, 7))).toEqual([1, 0, 2, 3, 1, 2, 3]);
    // Without the counterpart (serving) every event stays.
    b.fill(tables, rows, rows);
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 2, 3, 6, 9]);
    // An example whose id was dropped (the unknown id row 3) plays a new entity: no history.
    b.fill(tables, rows, Int32Array.of(0, 3, 2, 3), rows, Int32Array.of(2, 1, 0, 5));
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 1, 2, 4, 5]);
    expect(Array.from(be.read(b.ids[0]).subarray(0, 5))).toEqual([1, 0, 2, 3, 0]);
    b.dispose();
    tables.dispose();
  });

  it('leaves the own item out by its row when the events carry rating levels (code − 1 = row · levels + level)', async () => {
    const be = await createBackend('js');
    // Two levels: row 0 rated i0 low (code 1) and i2 high (code 6); row 1 rated i1 high (code 4).
    const side: EncodedSide = { ...tinySide(), multi: [{ name: 'history', cardinality: 7, offsets: Int32Array.of(0, 2, 3, 4, 5), ids: Int32Array.of(1, 6, 4, 0, 0), of: 'counterpart', levels: 2 }] };
    const tables = new SideTables(be, side, [1]);
    const rows = Int32Array.of(0, 0, 1);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, rows));
    b.fill(tables, rows, rows, rows, Int32Array.of(2, 0, 1));
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 1, 2, 3]);
    expect(Array.from(be.read(b.ids[0]).subarray(0, 3))).toEqual([1, 6, 0]);
    b.dispose();
    tables.dispose();
  });

  it("leaves an event's attribute tokens (ids above the events' range) out with the event", async () => {
    const be = await createBackend('js');
    // 3 items (codes 1..3) + 2 attribute tokens (4, 5). Row 0: i0 [4, 5], i2 [4]; row 1: i1 [5].
    const side: EncodedSide = { ...tinySide(), multi: [{ name: 'history', cardinality: 6, offsets: Int32Array.of(0, 5, 7, 8, 9), ids: Int32Array.of(1, 4, 5, 3, 4, 2, 5, 0, 0), of: 'counterpart', attributeTokens: 2 }] };
    const tables = new SideTables(be, side, [1]);
    const rows = Int32Array.of(0, 0, 1, 0);
    const b = new SideBatches(be, 4, side, FeatureInput.idCounts(side, rows));
    // Examples: row 0 with i0, row 0 with i2, row 1 with its only item, row 0 with an item outside.
    b.fill(tables, rows, rows, rows, Int32Array.of(0, 2, 1, 7));
    expect(Array.from(be.read(b.offsets[0]))).toEqual([0, 2, 5, 6, 11]);
    expect(Array.from(be.read(b.ids[0]).subarray(0, 11))).toEqual([3, 4, 1, 4, 5, 0, 1, 4, 5, 3, 4]);
    b.dispose();
    tables.dispose();
  });

  it('FeatureInput.forward writes id, categorical, pooled and continuous blocks; a batch is a slice', async () => {
    const be = await backend();
    const side = tinySide();
    const tables = new SideTables(be, side, [1]);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, ROWS));
    b.fill(tables, ROWS, ID_ROWS, CONT_ROWS);
    const inp = new FeatureInput(be, 'user', side, 3, 3, new Rng(1), OPTIONS);
    expect(inp.width).toBe(9);
    expect(inp.concat.blocks.map((x) => [x.name, x.offset, x.width])).toEqual([['id', 0, 2], ['cat:gender', 2, 2], ['multi:genres', 4, 3], ['continuous', 7, 2]]);
    expect(inp.id!.table.rows).toBe(4);
    setTables(inp);
    inp.forward(tables, b, 0, 3);
    expect(rowsOf(be.read(inp.concat.x), 9, 3)).toEqual(EXPECTED_X);
    // Examples 1..2 as a batch of two: the first two rows of the buffer.
    be.write(inp.concat.x, new Float32Array(27));
    inp.forward(tables, b, 1, 2);
    expect(rowsOf(be.read(inp.concat.x), 9, 3)).toEqual([EXPECTED_X[1], EXPECTED_X[2], new Array(9).fill(0)]);
    inp.dispose();
    b.dispose();
    tables.dispose();
  });

  it('FeatureInput.backward adds each block\'s gradient to the rows it came from (pooled: split over the ids)', async () => {
    const be = await backend();
    const side = tinySide();
    const tables = new SideTables(be, side, [1]);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, ROWS));
    b.fill(tables, ROWS, ID_ROWS, CONT_ROWS);
    const inp = new FeatureInput(be, 'user', side, 3, 3, new Rng(1), OPTIONS);
    setTables(inp);
    inp.forward(tables, b, 0, 3);
    // dx[r][c] = (r + 1) + c / 10
    be.write(inp.concat.dx, Float32Array.from({ length: 27 }, (_, i) => Math.floor(i / 9) + 1 + (i % 9) / 10));
    inp.backward(b, 0, 3);
    const close = (got: Float32Array, want: number[]) => {
      expect(got).toHaveLength(want.length);
      want.forEach((w, i) => expect(got[i], `element ${i}`).toBeCloseTo(w, 5));
    };
    // id rows 2, 3, 1 get rows 0, 1, 2 of the id block; row 0 nothing.
    close(be.read(inp.id!.table.grad), [0, 0, 3, 3.1, 1, 1.1, 2, 2.1]);
    // gender code 1 from examples 0 and 1, code 2 from example 2.
    close(be.read(inp.categorical[0].table.grad), [0, 0, 1.2 + 2.2, 1.3 + 2.3, 3.2, 3.3]);
    // genres: example 0 gives half of [1.4, 1.5, 1.6] to 1 and 3; example 1 half of
    // [2.4, 2.5, 2.6] to 1 and 2; example 2 all of [3.4, 3.5, 3.6] to 3.
    close(be.read((inp.multi[0] as PooledEmbedding).table.grad), [0, 0, 0, 0.7 + 1.2, 0.75 + 1.25, 0.8 + 1.3, 1.2, 1.25, 1.3, 0.7 + 3.4, 0.75 + 3.5, 0.8 + 3.6]);
    // The optimizer will update exactly the rows that got a gradient.
    expect([inp.id!.table.updateRowCount, inp.categorical[0].table.updateRowCount, (inp.multi[0] as PooledEmbedding).table.updateRowCount]).toEqual([3, 2, 3]);
    expect(inp.params().map((p) => p.name)).toEqual(['user/id', 'user/gender', 'user/genres']);
    inp.dispose();
    b.dispose();
    tables.dispose();
  });

  it('a graph feature pools the id table itself: the mean of the linked ids forward, their id rows backward', async () => {
    const be = await backend();
    // Entity 0 links to 1 and 2, entity 1 to 0, entity 2 to nobody (the unknown id row 3).
    const side: EncodedSide = { ...tinySide(), categorical: [], contNames: [], continuous: new Float32Array(0), multi: [{ name: 'trusts', cardinality: 4, offsets: Int32Array.of(0, 2, 3, 4, 5), ids: Int32Array.of(1, 2, 0, 3, 3), of: 'ids' }] };
    const tables = new SideTables(be, side);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, ROWS));
    b.fill(tables, ROWS, ID_ROWS);
    const inp = new FeatureInput(be, 'user', side, 3, 3, new Rng(1), OPTIONS);
    expect(inp.concat.blocks.map((x) => [x.name, x.width])).toEqual([['id', 2], ['multi:trusts', 2]]);
    expect(inp.params().map((p) => p.name)).toEqual(['user/id']);
    inp.id!.table.write([1, 2, 11, 12, 21, 22, 31, 32]);
    inp.forward(tables, b, 0, 3);
    // Examples: entity 2 (id row 2, links: unknown), entity 0 (id dropped, links 1 and 2), entity 1 (links 0).
    expect(rowsOf(be.read(inp.concat.x), 4, 3)).toEqual([[21, 22, 31, 32], [31, 32, 16, 17], [11, 12, 1, 2]]);
    be.write(inp.concat.dx, Float32Array.of(1, 1, 10, 20, 2, 2, 4, 8, 3, 3, 30, 60));
    inp.backward(b, 0, 3);
    // id rows: 0 ← links of example 2; 1 ← own id of example 2 + half of example 1's links; 2 ← own id of example 0 + half; 3 ← dropped id + unknown link.
    expect(Array.from(be.read(inp.id!.table.grad))).toEqual([30, 60, 3 + 2, 3 + 4, 1 + 2, 1 + 4, 2 + 10, 2 + 20]);
    inp.dispose();
    b.dispose();
    tables.dispose();
  });

  it('FeatureInput without an id embedding or continuous columns has only the feature blocks', async () => {
    const be = await backend();
    const side = tinySide();
    const tables = new SideTables(be, side);
    const b = new SideBatches(be, 3, side, FeatureInput.idCounts(side, ROWS));
    b.fill(tables, ROWS, ID_ROWS);
    const inp = new FeatureInput(be, 'item', side, 3, 3, new Rng(1), { ...OPTIONS, idDim: 0, continuous: false });
    expect(inp.id).toBeNull();
    expect(inp.width).toBe(5);
    expect(inp.params().map((p) => p.name)).toEqual(['item/gender', 'item/genres']);
    inp.categorical[0].table.write([100, -100, 101, -101, 102, -102]);
    (inp.multi[0] as PooledEmbedding).table.write([0, 0, 0, 1, 2, -1, 2, 4, -2, 3, 6, -3]);
    inp.forward(tables, b, 0, 3);
    expect(rowsOf(be.read(inp.concat.x), 5, 3)).toEqual(EXPECTED_X.map((row) => row.slice(2, 7)));
    inp.dispose();
    b.dispose();
    tables.dispose();
  });
});

describe('FeatureInput.idCounts', () => {
  it('sums the multi-valued ids of the rows visited', () => {
    const side = tinySide();
    expect(FeatureInput.idCounts(side, ROWS)).toEqual([2 + 2 + 1]);
    expect(FeatureInput.idCounts(side, Int32Array.of(1, 1, 3))).toEqual([3]);
    expect(FeatureInput.idCounts(side, new Int32Array(0))).toEqual([0]);
    expect(FeatureInput.idCounts({ ...side, multi: [] }, ROWS)).toEqual([]);
  });
});

describe('defaultFeatureDim', () => {
  it('is round(1.6·√cardinality), at least 2 and at most max', () => {
    // 1.6·√19 = 6.97; 1.6·√4 = 3.2; 1.6·√21 = 7.33
    expect([0, 1, 2, 4, 19, 21, 100, 1000].map((c) => defaultFeatureDim(c))).toEqual([2, 2, 2, 3, 7, 7, 16, 16]);
    expect(defaultFeatureDim(100, 8)).toBe(8);
    expect(defaultFeatureDim(100, 32)).toBe(16);
    expect(defaultFeatureDim(1000, 64)).toBe(51);
  });
});
