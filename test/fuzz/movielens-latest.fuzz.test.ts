// parseMovieLensLatest on damaged folders: a valid Dataset or a DataError, in linear time.
import fc from 'fast-check';
import { describe } from 'vitest';
import { parseMovieLensLatest } from '../../src/data/movielens-latest.js';
import { checkDataset, fuzzTarget, linearity, MB, megabyteOf, sizeOf } from './harness.js';
import { damageFiles, fileDamage } from './mutate.js';
import { ML_LATEST } from './seeds.js';

const NAMES = Object.keys(ML_LATEST);
const HEADER = 'userId,movieId,rating,timestamp\n';

describe('parseMovieLensLatest on hostile input', () => {
  const cases = fc.record({ files: fileDamage(NAMES.length), onError: fc.constantFrom('throw' as const, 'skip' as const) });
  fuzzTarget('parseMovieLensLatest', cases, (c) => sizeOf(...Object.values(damageFiles(ML_LATEST, NAMES, c.files.picks, c.files.drop))), (c) => {
    checkDataset(parseMovieLensLatest(damageFiles(ML_LATEST, NAMES, c.files.picks, c.files.drop), { onError: c.onError }));
  });

  const ratings = HEADER + Array.from({ length: Math.ceil(MB / 24) }, (_, k) => `${k % 610},${k},${(1 + (k % 10)) / 2},${964982703 + k}`).join('\n') + '\n';
  const movies = ML_LATEST['movies.csv'];
  linearity('parseMovieLensLatest', () => parseMovieLensLatest({ 'ratings.csv': ratings }), {
    'a rating of digits ending in a letter': () => parseMovieLensLatest({ ...ML_LATEST, 'ratings.csv': `${HEADER}1,2,${megabyteOf('3')}x,4\n` }),
    'a header of commas': () => parseMovieLensLatest({ ...ML_LATEST, 'ratings.csv': `${megabyteOf(',')}\n1,2,3,4\n` }),
    'a quoted title never closed': () => parseMovieLensLatest({ ...ML_LATEST, 'movies.csv': `${movies}7,"${megabyteOf('a,')}\n` }),
    'a title of doubled quotes': () => parseMovieLensLatest({ ...ML_LATEST, 'movies.csv': `${movies}7,"${megabyteOf('""')}",Drama\n` }),
    'a title of years': () => parseMovieLensLatest({ ...ML_LATEST, 'movies.csv': `${movies}7,"${megabyteOf('(1995)')}x",Drama\n` }),
    'rows of quotes': () => parseMovieLensLatest({ ...ML_LATEST, 'movies.csv': `${movies}${megabyteOf('"\n')}` }),
  });
});
