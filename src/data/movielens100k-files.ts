// Renders a Dataset in MovieLens 100K's file layout (the inverse of parseMovieLens100k).

import type { Column, Dataset, EntityTable } from './dataset.js';
import type { Interactions } from './interactions.js';
import { ML100K_GENRES } from './movielens-vocab.js';
import { ML100K_FOLDS } from './movielens100k.js';

function ratingLines(ds: Dataset, data: Interactions): string {
  const out: string[] = [];
  for (let r = 0; r < data.length; r++) {
    const t = data.timestamps ? data.timestamps[r] : 0;
    out.push(`${ds.userIndex.ids[data.users[r]]}\t${ds.itemIndex.ids[data.items[r]]}\t${data.ratings[r]}\t${t}\n`);
  }
  return out.join('');
}

/** A cell as text; '' for missing. Rejects '|', which would shift every later field. */
function cell(table: EntityTable, name: string, row: number): string {
  const col: Column | undefined = table.columns[name];
  if (!col) return '';
  const v = col.values[row];
  const text = typeof v === 'number' ? (Number.isNaN(v) ? '' : String(v)) : v === null ? '' : Array.isArray(v) ? v.join(',') : v;
  if (text.includes('|')) throw new Error(`toMovieLens100kFiles: column ${name} of ${table.ids[row]} contains '|'`);
  return text;
}

/**
 * The MovieLens 100K files (u.data, u.user, u.item, u.genre, u.occupation, u1..u5 and ua/ub
 * .base/.test as far as the data set has them) as texts. u.item is read back as Latin-1, so
 * encode it as Latin-1 when titles go beyond ASCII.
 *
 * @example
 * const files = toMovieLens100kFiles(generateSynthetic({ nUsers: 50, nItems: 80, nRatings: 2000 }));
 * parseMovieLens100k(files).ratings.length; // 2000
 */
export function toMovieLens100kFiles(ds: Dataset): Record<string, string> {
  const files: Record<string, string> = { 'u.data': ratingLines(ds, ds.ratings) };
  for (const name of ML100K_FOLDS) {
    const fold = ds.folds?.[name];
    if (!fold) continue;
    files[`${name}.base`] = ratingLines(ds, fold.train);
    files[`${name}.test`] = ratingLines(ds, fold.test);
  }
  if (ds.users) {
    const u = ds.users;
    files['u.user'] = u.ids.map((id, r) => `${id}|${['age', 'gender', 'occupation', 'zip'].map((c) => cell(u, c, r)).join('|')}\n`).join('');
    const occ = u.vocab?.occupation ?? distinct(u.columns.occupation);
    files['u.occupation'] = occ.map((o) => `${o}\n`).join('');
  }
  if (ds.items) {
    const it = ds.items;
    const genres = it.vocab?.genres ?? ML100K_GENRES;
    const genreCol = it.columns.genres;
    files['u.item'] = it.ids
      .map((id, r) => {
        const has = new Set(genreCol?.kind === 'multi' ? genreCol.values[r] : []);
        for (const g of has) if (!genres.includes(g)) throw new Error(`toMovieLens100kFiles: genre ${g} of item ${id} is not in the genre list`);
        const flags = genres.map((g) => (has.has(g) ? '1' : '0'));
        return `${id}|${cell(it, 'title', r)}|${cell(it, 'release_date', r)}||${cell(it, 'imdb_url', r)}|${flags.join('|')}\n`;
      })
      .join('');
    files['u.genre'] = genres.map((g, k) => `${g}|${k}\n`).join('') + '\n';
  }
  return files;
}

function distinct(col: Column | undefined): string[] {
  if (!col || col.kind !== 'string') return [];
  return [...new Set(col.values.filter((v): v is string => v !== null))].sort();
}
