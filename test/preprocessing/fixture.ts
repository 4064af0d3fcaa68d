// A tiny hand-built data set whose encodings can be worked out on paper.
import type { Dataset } from '../../src/data/dataset.js';
import { IdIndex, interactions } from '../../src/data/interactions.js';

/** 1 Jan 1998, 00:00 UTC, in epoch seconds. */
export const JAN_1998 = Date.UTC(1998, 0, 1) / 1000;

/**
 * Users u1..u4 (u4 only rated in test), items i1..i3 (i3 only in test).
 * Train: u1·i1=4, u1·i2=2, u2·i1=5, u3·i2=3. Test: u1·i3=1, u4·i1=5.
 */
export function tinyDataset(): { dataset: Dataset; trainRows: number[]; testRows: number[] } {
  const userIndex = new IdIndex(['u1', 'u2', 'u3', 'u4']);
  const itemIndex = new IdIndex(['i1', 'i2', 'i3']);
  const ratings = interactions(
    Int32Array.of(0, 0, 1, 2, 0, 3),
    Int32Array.of(0, 1, 0, 1, 2, 0),
    Float32Array.of(4, 2, 5, 3, 1, 5),
    Float64Array.from({ length: 6 }, () => JAN_1998),
  );
  const dataset: Dataset = {
    format: 'csv',
    description: 'tiny hand-built data set',
    userIndex,
    itemIndex,
    ratings,
    users: {
      // u5 has features but no ratings at all.
      ids: ['u1', 'u2', 'u3', 'u4', 'u5'],
      columns: {
        age: { kind: 'number', values: Float64Array.of(20, 30, NaN, 40, 10) },
        gender: { kind: 'string', values: ['M', 'F', 'M', null, 'F'] },
        occupation: { kind: 'string', values: ['a', 'b', 'a', 'c', 'b'] },
        zip: { kind: 'string', values: ['12345', '23456', '1xx', '99999', '2'] },
      },
    },
    items: {
      ids: ['i1', 'i2', 'i3'],
      columns: {
        title: { kind: 'string', values: ['One (1990)', 'Two (1995)', 'Three'] },
        release_date: { kind: 'string', values: ['01-Jan-1990', '15-Mar-1995', null] },
        year: { kind: 'number', values: Float64Array.of(1990, 1995, NaN) },
        genres: { kind: 'multi', values: [['Action', 'Comedy'], ['Comedy'], []] },
      },
    },
    report: { files: [], lines: 6, skipped: 0, warnings: [] },
  };
  return { dataset, trainRows: [0, 1, 2, 3], testRows: [4, 5] };
}
