import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildGraph, parseEdges } from '../../src/data/edges.js';
import { parseRatingsCsv } from '../../src/data/generic-csv.js';
import { withGraph } from '../../src/data/graph-columns.js';
import { FILMTRUST_DIR, HAVE_FILMTRUST } from './datadir.js';
import { dataError } from './errors.js';

describe('parseEdges', () => {
  it('reads space-, tab- and comma-separated rows, with or without weights and headers', () => {
    expect(parseEdges('2 966 1\n2 104 1\n')).toMatchObject({ sources: ['2', '2'], targets: ['966', '104'], weights: Float32Array.from([1, 1]) });
    expect(parseEdges('a\tb\nb\tc\n')).toMatchObject({ sources: ['a', 'b'], targets: ['b', 'c'], weights: null });
    expect(parseEdges('source,target,weight\nx,y,0.5\n')).toMatchObject({ sources: ['x'], targets: ['y'], weights: Float32Array.from([0.5]) });
    expect(parseEdges('follower,followee\nx,y\n')).toMatchObject({ sources: ['x'], targets: ['y'] });
  });

  const bad: [string, string, RegExp][] = [
    ['one column', 'a\nb\n', /^edges\.csv line 1, field 2: missing/],
    ['four columns', 'a,b,1,2\n', /^edges\.csv line 1, field 4: unexpected/],
    ['a missing target', 'a,b,1\nc\n', /^edges\.csv line 2, field target: missing/],
    ['a text weight', 'a b 1\nc d heavy\n', /^edges\.csv line 2, field weight: "heavy" is not a number/],
    ['a zero weight', 'a b 1\nc d 0\n', /^edges\.csv line 2, field weight: 0 is not a weight/],
    ['an empty id', 'a,b\n,c\n', /^edges\.csv line 2, field source: empty id/],
    ['no edges', '\n\n', /^edges\.csv: no edges/],
  ];
  for (const [name, text, message] of bad) {
    it(`rejects ${name} naming file, line and field`, () => {
      expect(dataError(() => parseEdges(text)).message).toMatch(message);
    });
  }

  it('skips bad rows when asked, and says so', () => {
    const edges = parseEdges('a b 1\nc d x\ne f 2\n', { onError: 'skip', file: 'trust.txt' });
    expect(edges.sources).toEqual(['a', 'e']);
    expect(edges.warnings[0]).toMatch(/^skipped trust\.txt line 2, field weight/);
  });
});

describe('buildGraph', () => {
  const ids = ['u1', 'u2', 'u3', 'u4'];

  it('builds sorted CSR rows, counting unknown ids and self-loops and merging repeats', () => {
    const edges = parseEdges('u1 u3 1\nu1 u2 1\nu1 u2 2\nu2 u2 1\nu9 u1 1\nu4 u1 0.5\n', { file: 'trust.txt' });
    const { graph, report } = buildGraph(edges, ids);
    expect([...graph.rowPtr]).toEqual([0, 2, 2, 2, 3]);
    expect([...graph.col]).toEqual([1, 2, 0]);
    expect([...graph.weight]).toEqual([3, 1, 0.5]);
    expect(report).toMatchObject({ edges: 3, unknownIds: 1, selfLoops: 1, duplicates: 1 });
    expect(report.warning).toBe('trust.txt: of 6 edges, 1 name ids the ratings do not have, 1 are self-loops, 1 repeat an earlier edge (weights summed); 3 used');
  });

  it('stores both directions of an undirected graph', () => {
    const { graph, report } = buildGraph(parseEdges('u1,u2\nu2,u1\nu3,u4\n'), ids, { directed: false });
    expect([...graph.rowPtr]).toEqual([0, 1, 2, 3, 4]);
    expect([...graph.col]).toEqual([1, 0, 3, 2]);
    expect([...graph.weight]).toEqual([2, 2, 1, 1]);
    expect(report.duplicates).toBe(1);
  });
});

describe('withGraph', () => {
  it("adds each user's out-links as a list column and the edge file's notes to the report", () => {
    const ds = parseRatingsCsv('1 10 2\n2 10 3\n3 11 4\n');
    const { dataset, report } = withGraph(ds, 'user', parseEdges('1 2 1\n1 3 1\n3 7 1\n', { file: 'trust.txt' }), { name: 'trusts' });
    expect(dataset.users!.columns.trusts).toEqual({ kind: 'multi', values: [['2', '3'], [], []] });
    expect(report.unknownIds).toBe(1);
    expect(dataset.report.warnings.at(-1)).toMatch(/^trust\.txt: of 3 edges, 1 name ids the ratings do not have; 2 used/);
    expect(dataset.report.files).toContain('trust.txt');
  });

  it.skipIf(!HAVE_FILMTRUST)('loads FilmTrust as it is: space-separated ratings with three re-rated pairs, and its directed trust links', () => {
    const ds = parseRatingsCsv(readFileSync(join(FILMTRUST_DIR, 'ratings.txt')), { file: 'ratings.txt' });
    expect([ds.userIndex.ids.length, ds.itemIndex.ids.length, ds.ratings.length]).toEqual([1508, 2071, 35494]);
    expect(ds.report.warnings.filter((w) => w.includes('again'))).toHaveLength(3);
    const { dataset, report } = withGraph(ds, 'user', parseEdges(readFileSync(join(FILMTRUST_DIR, 'trust.txt')), { file: 'trust.txt' }));
    // 174 of the 1,806 links name users without ratings (the trust data covers more people).
    expect(report).toMatchObject({ edges: 1632, unknownIds: 174, selfLoops: 0, duplicates: 0 });
    const linked = (dataset.users!.columns.neighbours.values as string[][]).filter((l) => l.length > 0).length;
    expect(linked).toBe(522);
  });
});
