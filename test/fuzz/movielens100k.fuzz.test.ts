// parseMovieLens100k on damaged folders: a valid Dataset or a DataError, in linear time.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseMovieLens100k } from '../../src/data/movielens100k.js';
import { checkDataset, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damageFiles, fileDamage } from './mutate.js';
import { ML100K } from './seeds.js';

const NAMES = Object.keys(ML100K);

describe('parseMovieLens100k on hostile input', () => {
  const cases = fc.record({ files: fileDamage(NAMES.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  fuzzTarget('parseMovieLens100k', cases, (c) => sizeOf(...Object.values(damageFiles(ML100K, NAMES, c.files.picks, c.files.drop))), (c) => {
    checkDataset(parseMovieLens100k(damageFiles(ML100K, NAMES, c.files.picks, c.files.drop), { onError: c.onError }));
  });

  const data = Array.from({ length: Math.ceil(MB / 22) }, (_, k) => `${k % 943}\t${k}\t${1 + (k % 5)}\t${881250949 + k}`).join('\n') + '\n';
  const base = { ...ML100K };
  linearity('parseMovieLens100k', () => parseMovieLens100k({ 'u.data': data }), {
    'a rating of digits ending in a letter': () => parseMovieLens100k({ ...base, 'u.data': `1\t2\t${megabyteOf('3')}x\t4\n` }),
    'a 1 MB user id': () => parseMovieLens100k({ ...base, 'u.data': `${megabyteOf('1')}\t2\t3\t4\n` }),
    'a release date of dashes and digits': () => parseMovieLens100k({ ...base, 'u.item': `1|t|${megabyteOf('-1')}||u|${'0|'.repeat(18)}0\n` }),
    'a u.item line of pipes': () => parseMovieLens100k({ ...base, 'u.item': megabyteOf('|') }),
    'an age with a long exponent': () => parseMovieLens100k({ ...base, 'u.user': `196|1e${megabyteOf('9')}x|M|writer|1\n` }),
    'a genre index of digits': () => parseMovieLens100k({ ...base, 'u.genre': `x|${megabyteOf('7')}.x\n` }),
    'blank lines': () => parseMovieLens100k({ ...base, 'u.data': megabyteOf('\r\n \t\n') + ML100K['u.data'] }),
  });
});
