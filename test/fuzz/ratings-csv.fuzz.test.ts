// parseRatingsCsv on damaged ratings files: a valid Dataset or a DataError, in linear time.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseRatingsCsv } from '../../src/data/generic-csv.js';
import { checkDataset, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damage, damaged } from './mutate.js';
import { RATINGS_CSV } from './seeds.js';

describe('parseRatingsCsv on hostile input', () => {
  const cases = fc.record({ damage: damage(RATINGS_CSV.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  fuzzTarget('parseRatingsCsv', cases, (c) => sizeOf(damaged(RATINGS_CSV, c.damage)), (c) => {
    checkDataset(parseRatingsCsv(damaged(RATINGS_CSV, c.damage), { onError: c.onError }));
  });

  const rows = 'user,item,rating,time\n' + Array.from({ length: Math.ceil(MB / 24) }, (_, k) => `u${k % 97},i${k},${1 + (k % 5)},${1e9 + k}`).join('\n') + '\n';
  const head = 'user,item,rating,time\nu1,i1,4,1000\n';
  linearity('parseRatingsCsv', () => parseRatingsCsv(rows), {
    'digits ending in a letter': () => parseRatingsCsv(`${head}u2,i2,${megabyteOf('1')}x,5\n`),
    'an exponent of a million digits': () => parseRatingsCsv(`${head}u2,i2,1e${megabyteOf('1')}x,5\n`),
    'a date of digits and dashes': () => parseRatingsCsv(`${head}u2,i2,4,${megabyteOf('2020-')}\n`),
    'a 1 MB id': () => parseRatingsCsv(`${head}${megabyteOf('u')},i2,4,5\n`),
    'a quoted field never closed': () => parseRatingsCsv(`${head}"${megabyteOf('u,')}\n`),
    'a field of quotes': () => parseRatingsCsv(`${head}u2,${megabyteOf('"')},4,5\n`),
    'a line of delimiters': () => parseRatingsCsv(`${head}${megabyteOf(',')}\n`),
    'blank lines': () => parseRatingsCsv(`${megabyteOf('\n \r\n')}${head}`),
    // Each skipped row builds a DataError (with its stack): a quarter of the size keeps this test quick.
    'skipping 65,536 bad rows': () => parseRatingsCsv(`${head}${'a,b\n'.repeat(MB / 16)}`, { onError: 'skip' }),
  });
});
