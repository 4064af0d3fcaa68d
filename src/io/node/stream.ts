// Streaming a big ratings file line by line, for files beyond what one string can hold.

import { createReadStream } from 'node:fs';
import type { Interactions } from '../../data/interactions.js';
import { RatingsLines, type LoadContext, type RatingScale } from '../../data/ratings.js';

/**
 * Files above this are streamed: V8 strings stop at ~512 MB (ml-latest's full ratings.csv is
 * ~900 MB), and one big string doubles peak memory anyway.
 */
export const STREAM_THRESHOLD_BYTES = 128 * 1024 * 1024;

/** Feeds the lines of `path` to a RatingsLines reader, without holding the file in memory. */
export async function streamRatings(
  path: string,
  file: string,
  sep: string,
  scale: RatingScale,
  ctx: LoadContext,
  header?: string,
): Promise<Interactions> {
  const lines = new RatingsLines(file, sep, scale, ctx, header);
  // Non-fatal decoding: a fatal streaming decoder cannot say where the bad bytes were, so
  // every line is checked for replacement characters instead (invalid = true).
  const decoder = new TextDecoder('utf-8');
  let rest = '';
  let lineNo = 0;
  const take = (text: string, final: boolean) => {
    let start = 0;
    for (;;) {
      const end = text.indexOf('\n', start);
      if (end < 0) break;
      lineNo++;
      const line = text.slice(start, end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
      if (line.trim() !== '') lines.line(lineNo === 1 ? line.replace(/^\uFEFF/, '') : line, lineNo, true);
      start = end + 1;
    }
    rest = text.slice(start);
    if (final && rest.trim() !== '') lines.line(rest, ++lineNo, true);
  };
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    take(rest + decoder.decode(chunk as Buffer, { stream: true }), false);
  }
  take(rest + decoder.decode(), true);
  return lines.finish();
}
