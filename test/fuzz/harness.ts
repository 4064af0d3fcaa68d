// What every loader fuzz target checks: only DataErrors escape, whatever is returned holds
// finite numbers and clean ids; plus a summary line per target under `npm run fuzz`.
import fc from 'fast-check';
import { expect, it } from 'vitest';
import type { Dataset, EntityTable } from '../../src/data/dataset.js';
import { DataError } from '../../src/data/errors.js';
import type { Interactions } from '../../src/data/interactions.js';
import { F32_MAX } from '../../src/data/text.js';
import { FUZZING, fuzzRuns, fuzzSeed } from './config.js';

const BAD_ID = /[\p{Cc}\p{Cs}]/u;

function checkIds(ids: readonly string[], what: string): void {
  expect(new Set(ids).size, `${what} ids are unique`).toBe(ids.length);
  for (const id of ids) {
    if (id === '' || id !== id.trim() || BAD_ID.test(id)) throw new Error(`bad ${what} id ${JSON.stringify(id)}`);
  }
}

function checkInteractions(data: Interactions, nUsers: number, nItems: number): void {
  const n = data.length;
  expect([data.users.length, data.items.length, data.ratings.length]).toEqual([n, n, n]);
  if (data.timestamps) expect(data.timestamps.length).toBe(n);
  for (let r = 0; r < n; r++) {
    const ok =
      data.users[r] >= 0 && data.users[r] < nUsers && data.items[r] >= 0 && data.items[r] < nItems &&
      Number.isFinite(data.ratings[r]) && (!data.timestamps || Number.isFinite(data.timestamps[r]));
    if (!ok) throw new Error(`bad rating row ${r}: user ${data.users[r]}, item ${data.items[r]}, rating ${data.ratings[r]}, time ${data.timestamps?.[r]}`);
  }
}

/** A feature table as loaders promise it: unique clean ids, aligned columns, numbers finite or NaN (missing). */
export function checkTable(table: EntityTable, what: string): void {
  checkIds(table.ids, what);
  for (const [name, col] of Object.entries(table.columns)) {
    expect(col.values.length, `${what} column ${name} is aligned with the ids`).toBe(table.ids.length);
    for (const v of col.values) {
      const ok =
        col.kind === 'number' ? Number.isNaN(v) || Math.abs(v as number) <= F32_MAX
        : col.kind === 'string' ? v === null || typeof v === 'string'
        : Array.isArray(v) && v.every((s) => typeof s === 'string');
      if (!ok) throw new Error(`bad ${col.kind} value ${String(v)} in ${what} column ${name}`);
    }
  }
}

/** A Dataset as loaders promise it. */
export function checkDataset(ds: Dataset): void {
  checkIds(ds.userIndex.ids, 'user');
  checkIds(ds.itemIndex.ids, 'item');
  expect(ds.ratings.length).toBeGreaterThan(0);
  checkInteractions(ds.ratings, ds.userIndex.size, ds.itemIndex.size);
  for (const fold of Object.values(ds.folds ?? {})) {
    checkInteractions(fold.train, ds.userIndex.size, ds.itemIndex.size);
    checkInteractions(fold.test, ds.userIndex.size, ds.itemIndex.size);
  }
  if (ds.users) checkTable(ds.users, 'user');
  if (ds.items) checkTable(ds.items, 'item');
  expect(ds.report.skipped).toBeGreaterThanOrEqual(0);
}

/** A DataError's problem without its values: "\"…\" is not a number", "missing", "duplicate id". */
function kindOf(e: DataError): string {
  return e.problem
    .replace(/"(?:[^"\\]|\\.)*"(?: \(\d+ characters\))?/g, '…')
    .replace(/\(.*$/, '')
    .replace(/\d+/g, 'N')
    .trim();
}

/** What one target saw, for its summary line. */
class Tally {
  cases = 0;
  ok = 0;
  readonly kinds = new Map<string, number>();
  maxMs = 0;
  /** Milliseconds per MB over inputs of at least BIG_INPUT bytes, where fixed costs no longer dominate. */
  maxMsPerMb = 0;

  line(target: string): string {
    const errors = [...this.kinds.values()].reduce((a, b) => a + b, 0);
    const kinds = [...this.kinds].sort((a, b) => b[1] - a[1]);
    const top = kinds.slice(0, 6).map(([k, n]) => `${k}: ${n}`).join('; ');
    const more = kinds.length > 6 ? `; ${kinds.length - 6} more kinds: ${kinds.slice(6).reduce((a, [, n]) => a + n, 0)}` : '';
    return `fuzz ${target}: ${this.cases} cases, ${this.ok} parsed, ${errors} DataErrors (${top}${more}), 0 other errors, max ${this.maxMs.toFixed(1)} ms per case, max ${this.maxMsPerMb.toFixed(0)} ms per MB (inputs ≥ 64 kB)`;
  }
}

const BIG_INPUT = 64 * 1024;

/**
 * Registers the property "parsing damaged input returns a valid result or throws a
 * DataError, never anything else". `run` parses one case and checks what it returns;
 * `size` is the case's input size in characters or bytes.
 */
export function fuzzTarget<T>(target: string, arbitrary: fc.Arbitrary<T>, size: (c: T) => number, run: (c: T) => void): void {
  const runs = fuzzRuns();
  it(`${target}: ${runs} damaged inputs give a valid result or a DataError, nothing else (seed ${fuzzSeed()})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(arbitrary, (c) => {
        tally.cases++;
        const t0 = performance.now();
        try {
          run(c);
          tally.ok++;
        } catch (e) {
          if (!(e instanceof DataError)) throw e;
          expect(e.message.length, 'messages quote long values by their start').toBeLessThan(600);
          const kind = kindOf(e);
          tally.kinds.set(kind, (tally.kinds.get(kind) ?? 0) + 1);
        }
        const ms = performance.now() - t0;
        tally.maxMs = Math.max(tally.maxMs, ms);
        const bytes = size(c);
        if (bytes >= BIG_INPUT) tally.maxMsPerMb = Math.max(tally.maxMsPerMb, ms / (bytes / 2 ** 20));
      }),
      { numRuns: runs, seed: fuzzSeed() },
    );
    if (FUZZING) console.log(tally.line(target));
  });
}

/** The size of file contents in characters (strings) or bytes. */
export function sizeOf(...contents: (string | Uint8Array | undefined)[]): number {
  return contents.reduce<number>((sum, c) => sum + (c === undefined ? 0 : c.length), 0);
}

/** Milliseconds of the fastest of `runs` calls: the minimum filters out a loaded machine's pauses. */
function fastest(fn: () => unknown, runs = 3): number {
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    try {
      fn();
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
    best = Math.min(best, performance.now() - t0);
  }
  return best;
}

export const MB = 2 ** 20;

/**
 * Registers "a 1 MB hostile field parses within a constant factor of 1 MB of ordinary rows".
 * A quadratic check needs minutes for 1 MB and a linear one milliseconds; the bound, 100×
 * the ordinary file's time and at least 0.5 s, sits far from both, so a busy machine cannot
 * make it fail and a quadratic parser cannot pass it.
 */
export function linearity(target: string, ordinary: () => unknown, hostile: Record<string, () => unknown>): void {
  it(`${target}: 1 MB hostile fields parse within 100× the time of 1 MB of ordinary rows`, () => {
    const base = Math.max(fastest(ordinary), 5);
    for (const [name, parse] of Object.entries(hostile)) {
      expect(fastest(parse), name).toBeLessThan(100 * base);
    }
  });
}

/** `unit` repeated to 1 MB (the huge field of a linearity case). */
export function megabyteOf(unit: string): string {
  return unit.repeat(Math.ceil(MB / unit.length));
}
