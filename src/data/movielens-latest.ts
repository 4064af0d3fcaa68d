// MovieLens latest / latest-small: ratings.csv (half stars) and movies.csv (quoted titles).

import { forEachRow } from './csv.js';
import type { Dataset } from './dataset.js';
import { DataError } from './errors.js';
import type { Interactions } from './interactions.js';
import { assembleDataset, newLoadContext, type LoadContext } from './load-context.js';
import { ML1M_GENRES } from './movielens-vocab.js';
import { readMovies } from './movielens1m.js';
import type { ParseOptions } from './movielens100k.js';
import { HALF_STARS, readRatingsText } from './ratings.js';
import { checkFields, quote, type FileContent } from './text.js';
import { readTagsCsv } from './movielens-tags.js';
import type { EntityTable } from './dataset.js';

export const LATEST_RATINGS_HEADER = 'userId,movieId,rating,timestamp';
const MOVIES_HEADER = ['movieId', 'title', 'genres'];
/** ml-latest renamed "Children's" to "Children" and added IMAX. */
const LATEST_GENRES = [...ML1M_GENRES.map((g) => (g === "Children's" ? 'Children' : g)), 'IMAX'];

export interface LatestOptions extends ParseOptions {
  /** ratings.csv already read line by line (Node streams the 900 MB full release), with its context. */
  readonly streamed?: { readonly ratings: Interactions; readonly ctx: LoadContext };
}

/**
 * Parses MovieLens latest or latest-small. `ratings.csv` is required; `movies.csv` adds
 * title, year (from the title) and genres ("(no genres listed)" becomes an empty list);
 * `tags.csv` adds each movie's tags as a list column `tags` (one entry per user's tag).
 * links.csv is not used.
 *
 * @example
 * const ds = parseMovieLensLatest({ 'ratings.csv': ratings, 'movies.csv': movies });
 */
export function parseMovieLensLatest(files: Record<string, FileContent>, opts: LatestOptions = {}): Dataset {
  const ctx = opts.streamed?.ctx ?? newLoadContext(opts.onError);
  let ratings = opts.streamed?.ratings;
  if (!ratings) {
    if (files['ratings.csv'] === undefined) throw new DataError('ratings.csv', 0, '', 'missing: MovieLens latest needs ratings.csv');
    // Nothing in ratings.csv is quoted, so the fast split reader applies.
    ratings = readRatingsText('ratings.csv', files['ratings.csv'], ',', HALF_STARS, ctx, LATEST_RATINGS_HEADER);
  }
  let items: EntityTable | undefined = files['movies.csv'] !== undefined ? readMoviesCsv(files['movies.csv'], ctx) : undefined;
  if (items && files['tags.csv'] !== undefined) items = withTags(items, readTagsCsv(files['tags.csv'], ctx), ctx);
  return assembleDataset(ctx, {
    format: 'ml-latest',
    name: 'MovieLens latest',
    source: opts.source,
    ratings,
    ratingsFile: 'ratings.csv',
    items: items && { table: items, file: 'movies.csv' },
  });
}

function readMoviesCsv(content: FileContent, ctx: LoadContext) {
  const { report } = ctx;
  const file = 'movies.csv';
  return readMovies(content, file, ',', 'utf-8', LATEST_GENRES, ctx, (text, invalid, fn) => {
    let header = true;
    forEachRow(text, ',', (fields, lineNo, problem) => {
      report.lines++;
      if (header) {
        header = false;
        if (fields.join(',') !== MOVIES_HEADER.join(',')) throw new DataError(file, lineNo, 'header', `expected ${MOVIES_HEADER.join(',')}, found ${quote(fields.join(','))}`);
        return;
      }
      if (checkFields(fields, MOVIES_HEADER, file, lineNo, report, invalid, problem)) fn(fields, lineNo);
    });
  });
}

/** The movies with a `tags` list column; tags of movies movies.csv lacks are counted in a warning. */
function withTags(items: EntityTable, tags: Map<string, string[]>, ctx: LoadContext): EntityTable {
  const known = new Set(items.ids);
  const orphans = [...tags.keys()].filter((id) => !known.has(id)).length;
  if (orphans > 0) ctx.report.warn(`tags.csv: tags of ${orphans} movies that movies.csv does not list were not used`);
  return { ...items, columns: { ...items.columns, tags: { kind: 'multi', values: items.ids.map((id) => tags.get(id) ?? []) } } };
}
