// fit's checks of its data and the validation split.
import { describe, expect, it } from 'vitest';
import { interactions } from '../../src/data/interactions.js';
import { Rng } from '../../src/random.js';
import { checkInteractions, splitValidation } from '../../src/training/validation.js';

/** n rows whose rating is the row number, so every part of a split names its rows. */
function numbered(n: number) {
  return interactions(Int32Array.from({ length: n }, (_, r) => r % 7), Int32Array.from({ length: n }, (_, r) => r % 11), Float32Array.from({ length: n }, (_, r) => r));
}

const rowsOf = (data: { ratings: Float32Array }) => Array.from(data.ratings);

describe('checkInteractions', () => {
  const ok = () => interactions(Int32Array.of(0, 1, 2), Int32Array.of(0, 3, 1), Float32Array.of(4, 5, 1));

  it('accepts indices inside the model and finite ratings', () => {
    expect(() => checkInteractions(ok(), 3, 4, 'training data')).not.toThrow();
  });

  it.each([
    ['a user index past the last', (d: ReturnType<typeof ok>) => (d.users[2] = 3), 'training data, row 2: user index 3 or item index 1 is outside the model\'s 3 users × 4 items'],
    ['a negative user index', (d: ReturnType<typeof ok>) => (d.users[1] = -1), 'training data, row 1: user index -1 or item index 3'],
    ['an item index past the last', (d: ReturnType<typeof ok>) => (d.items[0] = 4), 'training data, row 0: user index 0 or item index 4'],
    ['a NaN rating', (d: ReturnType<typeof ok>) => (d.ratings[1] = NaN), 'training data, row 1: rating is NaN'],
    ['an infinite rating', (d: ReturnType<typeof ok>) => (d.ratings[2] = -Infinity), 'training data, row 2: rating is -Infinity'],
  ])('names the row of %s', (_what, spoil, message) => {
    const d = ok();
    spoil(d);
    expect(() => checkInteractions(d, 3, 4, 'training data')).toThrow(message);
  });

  it('says which data it checked', () => {
    const d = ok();
    d.items[2] = 9;
    expect(() => checkInteractions(d, 3, 4, 'validation data')).toThrow(/^validation data, row 2:/);
  });
});

describe('splitValidation', () => {
  it('holds out round(n · fraction) rows, disjoint from the rest, together all rows', () => {
    const train = numbered(40);
    const { fitPart, validation } = splitValidation(train, { validationSplit: 0.25 }, new Rng(1));
    expect(validation!.length).toBe(10);
    expect(fitPart.length).toBe(30);
    const all = [...rowsOf(fitPart), ...rowsOf(validation!)].sort((a, b) => a - b);
    expect(all).toEqual(rowsOf(train));
    // Each row keeps its own user and item.
    for (const part of [fitPart, validation!]) for (let r = 0; r < part.length; r++) {
      expect(part.users[r]).toBe(part.ratings[r] % 7);
      expect(part.items[r]).toBe(part.ratings[r] % 11);
    }
    // A random share, not the first or last rows.
    const held = rowsOf(validation!).sort((a, b) => a - b);
    expect(held).not.toEqual(rowsOf(train).slice(0, 10));
    expect(held).not.toEqual(rowsOf(train).slice(30));
  });

  it('holds out at least one row', () => {
    const { fitPart, validation } = splitValidation(numbered(10), { validationSplit: 0.01 }, new Rng(1));
    expect(validation!.length).toBe(1);
    expect(fitPart.length).toBe(9);
  });

  it('is the same for the same seed and differs for another', () => {
    const train = numbered(200);
    const a = splitValidation(train, { validationSplit: 0.2 }, new Rng(5));
    const b = splitValidation(train, { validationSplit: 0.2 }, new Rng(5));
    const c = splitValidation(train, { validationSplit: 0.2 }, new Rng(6));
    expect(rowsOf(b.validation!)).toEqual(rowsOf(a.validation!));
    expect(rowsOf(b.fitPart)).toEqual(rowsOf(a.fitPart));
    expect(rowsOf(c.validation!)).not.toEqual(rowsOf(a.validation!));
  });

  it('uses validationData as given, training on everything', () => {
    const train = numbered(20);
    const given = numbered(3);
    const rng = new Rng(1);
    const { fitPart, validation } = splitValidation(train, { validationData: given, validationSplit: 0.5 }, rng);
    expect(fitPart).toBe(train);
    expect(validation).toBe(given);
    // Nothing was drawn: the generator is where it started.
    expect(rng.nextU32()).toBe(new Rng(1).nextU32());
  });

  it('has no validation set without a split or with a split of 0', () => {
    const train = numbered(20);
    expect(splitValidation(train, {}, new Rng(1))).toEqual({ fitPart: train, validation: null });
    expect(splitValidation(train, { validationSplit: 0 }, new Rng(1))).toEqual({ fitPart: train, validation: null });
  });

  it.each([1, -0.1, 1.5, NaN])('rejects validationSplit %s', (fraction) => {
    expect(() => splitValidation(numbered(20), { validationSplit: fraction }, new Rng(1))).toThrow(`fit: validationSplit must be in (0, 1), got ${fraction}`);
  });
});
