// parseCsvDataset on damaged ratings, test and feature files: a valid Dataset or a DataError.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseCsvDataset, type CsvFiles } from '../../src/data/generic-csv.js';
import { checkDataset, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damageFiles, fileDamage } from './mutate.js';
import { CSV_DATASET } from './seeds.js';

const NAMES = Object.keys(CSV_DATASET);

describe('parseCsvDataset on hostile input', () => {
  const cases = fc.record({ files: fileDamage(NAMES.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  const filesOf = (c: { files: { picks: Parameters<typeof damageFiles>[2]; drop: number[] } }) => {
    // The ratings file is required by the type: a dropped one is put back intact.
    const files = damageFiles(CSV_DATASET, NAMES, c.files.picks, c.files.drop);
    return { ratings: CSV_DATASET.ratings, ...files } as CsvFiles;
  };
  fuzzTarget('parseCsvDataset', cases, (c) => sizeOf(...(Object.values(filesOf(c)) as (string | Uint8Array)[])), (c) => {
    checkDataset(parseCsvDataset(filesOf(c), { onError: c.onError }));
  });

  const ratings = 'user,item,rating,time\n' + Array.from({ length: Math.ceil(MB / 24) }, (_, k) => `u${k % 97},i${k},${1 + (k % 5)},${1e9 + k}`).join('\n') + '\n';
  linearity('parseCsvDataset', () => parseCsvDataset({ ratings }), {
    'a test rating of digits ending in a letter': () => parseCsvDataset({ ...CSV_DATASET, testRatings: `user,item,rating\nu1,i1,${megabyteOf('1')}x\n` }),
    'a user feature of spaces and digits': () => parseCsvDataset({ ...CSV_DATASET, userFeatures: `user,age\nu1, ${megabyteOf(' 1')}x\n` }),
    'an item id of a megabyte': () => parseCsvDataset({ ...CSV_DATASET, itemFeatures: `item,year\n${megabyteOf('i')},1995\n` }),
    'a time of date-like text': () => parseCsvDataset({ ...CSV_DATASET, ratings: `user,item,rating,time\nu1,i1,4,${megabyteOf('2020-01-01T')}\n` }),
  });
});
