// parseFeatureTable on damaged tables: a valid table or a DataError, in linear time.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseFeatureTable } from '../../src/data/generic-csv.js';
import { checkTable, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damage, damaged } from './mutate.js';
import { FEATURE_TABLES } from './seeds.js';

describe('parseFeatureTable on hostile input', () => {
  const cases = fc.record({ damage: damage(FEATURE_TABLES.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  fuzzTarget('parseFeatureTable', cases, (c) => sizeOf(damaged(FEATURE_TABLES, c.damage)), (c) => {
    checkTable(parseFeatureTable(damaged(FEATURE_TABLES, c.damage), { onError: c.onError }), 'feature');
  });

  const rows = 'item,year,title,genres\n' + Array.from({ length: Math.ceil(MB / 30) }, (_, k) => `i${k},${1900 + (k % 120)},Title ${k},A|B`).join('\n') + '\n';
  const head = 'item,year,title,genres\ni0,1995,Heat,A|B\n';
  linearity('parseFeatureTable', () => parseFeatureTable(rows), {
    'a number of digits ending in a letter': () => parseFeatureTable(`${head}i1,${megabyteOf('1')}x,t,A\n`),
    'a number with a long exponent': () => parseFeatureTable(`${head}i1,1e${megabyteOf('1')},t,A\n`),
    'a header of delimiters': () => parseFeatureTable(`${megabyteOf(',')}\ni1,2\n`),
    'a header of distinct names': () => parseFeatureTable(`id${Array.from({ length: MB / 8 }, (_, k) => `,c${k}`).join('')}\ni1\n`),
    'a multi value of pipes': () => parseFeatureTable(`${head}i1,1,t,${megabyteOf('|')}\n`),
    'a quoted field never closed': () => parseFeatureTable(`${head}i1,1,"${megabyteOf('x,')}\n`),
  });
});
