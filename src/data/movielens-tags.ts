// MovieLens latest's tags.csv: the free-text tags users gave movies, one row per (user, movie,
// tag). Read into a `tags` list column of the items (a tag given by three users appears three
// times, so text features weigh it by its count).

import { forEachRow } from './csv.js';
import { DataError } from './errors.js';
import type { LoadContext } from './load-context.js';
import { checkFields, decode, parseId, quote, type FileContent } from './text.js';

const TAGS_HEADER = ['userId', 'movieId', 'tag', 'timestamp'];

/** Each movie's tags, in file order; `file` names errors. */
export function readTagsCsv(content: FileContent, ctx: LoadContext, file = 'tags.csv'): Map<string, string[]> {
  const { report } = ctx;
  const { text, invalid } = decode(content, 'utf-8');
  report.files.push(file);
  const tags = new Map<string, string[]>();
  let header = true;
  forEachRow(text, ',', (fields, lineNo, problem) => {
    report.lines++;
    if (header) {
      header = false;
      if (fields.join(',') !== TAGS_HEADER.join(',')) throw new DataError(file, lineNo, 'header', `expected ${TAGS_HEADER.join(',')}, found ${quote(fields.join(','))}`);
      return;
    }
    if (!checkFields(fields, TAGS_HEADER, file, lineNo, report, invalid, problem)) return;
    const movie = parseId(fields[1], file, lineNo, 'movieId', report);
    const tag = fields[2].trim();
    if (movie === null) return;
    if (tag === '') return report.fail(new DataError(file, lineNo, 'tag', 'empty tag'));
    let list = tags.get(movie);
    if (!list) tags.set(movie, (list = []));
    list.push(tag);
  });
  return tags;
}
