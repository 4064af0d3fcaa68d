// parseMovieLens1m on damaged folders: a valid Dataset or a DataError, in linear time.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseMovieLens1m } from '../../src/data/movielens1m.js';
import { checkDataset, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damageFiles, fileDamage } from './mutate.js';
import { ML1M } from './seeds.js';

const NAMES = Object.keys(ML1M);

describe('parseMovieLens1m on hostile input', () => {
  const cases = fc.record({ files: fileDamage(NAMES.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  fuzzTarget('parseMovieLens1m', cases, (c) => sizeOf(...Object.values(damageFiles(ML1M, NAMES, c.files.picks, c.files.drop))), (c) => {
    checkDataset(parseMovieLens1m(damageFiles(ML1M, NAMES, c.files.picks, c.files.drop), { onError: c.onError }));
  });

  const ratings = Array.from({ length: Math.ceil(MB / 24) }, (_, k) => `${k % 6040}::${k}::${1 + (k % 5)}::${978300760 + k}`).join('\n') + '\n';
  linearity('parseMovieLens1m', () => parseMovieLens1m({ 'ratings.dat': ratings }), {
    'a rating of digits ending in a letter': () => parseMovieLens1m({ ...ML1M, 'ratings.dat': `1::2::${megabyteOf('3')}x::4\n` }),
    'a line of colons': () => parseMovieLens1m({ ...ML1M, 'ratings.dat': megabyteOf(':') }),
    'a title of years': () => parseMovieLens1m({ ...ML1M, 'movies.dat': `1::${megabyteOf('(1995) ')}x::Drama\n` }),
    'a title ending in spaces': () => parseMovieLens1m({ ...ML1M, 'movies.dat': `1::Heat (1995)${megabyteOf(' ')}x::Drama\n` }),
    'genres of pipes': () => parseMovieLens1m({ ...ML1M, 'movies.dat': `1::Heat (1995)::${megabyteOf('|')}\n` }),
    'an occupation of digits': () => parseMovieLens1m({ ...ML1M, 'users.dat': `1::F::1::${megabyteOf('1')}::48067\n` }),
  });
});
