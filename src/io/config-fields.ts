// Reading a saved model's config field by field: each value checked for type and range
// with the same rules as the model's constructor, so that building never fails on it.

import { ModelFileError } from './model-file-error.js';

/**
 * The saved `config` of one model in a file, read through typed accessors that name the
 * field in their error ("model.members[1].model.config.idDim must be ...").
 */
export class ConfigFields {
  constructor(
    private readonly config: Record<string, unknown>,
    private readonly path: string,
  ) {}

  private get(key: string): unknown {
    return Object.hasOwn(this.config, key) ? this.config[key] : undefined;
  }

  /** Whether the config has the field (optional fields of newer files). */
  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  fail(key: string, what: string, got: unknown): never {
    const shown = JSON.stringify(got);
    throw new ModelFileError(`${this.path}.config.${key} must be ${what}, got ${shown === undefined ? 'nothing' : shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}`);
  }

  /** A safe integer in [min, max]. */
  int(key: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
    const v = this.get(key);
    return Number.isSafeInteger(v) && (v as number) >= min && (v as number) <= max ? (v as number) : this.fail(key, `an integer in [${min}, ${max}]`, v);
  }

  /** A finite number ≥ min (and < below when given). */
  num(key: string, min: number, below = Infinity): number {
    const v = this.get(key);
    const ok = typeof v === 'number' && Number.isFinite(v) && v >= min && v < below;
    return ok ? v : this.fail(key, below === Infinity ? `a finite number ≥ ${min}` : `a number in [${min}, ${below})`, v);
  }

  /** num(key, min), or `fallback` when the field is absent (files written before it existed). */
  numOr(key: string, min: number, fallback: number): number {
    return this.get(key) === undefined ? fallback : this.num(key, min);
  }

  /** bool(key), or `fallback` when the field is absent (files written before it existed). */
  boolOr(key: string, fallback: boolean): boolean {
    return this.get(key) === undefined ? fallback : this.bool(key);
  }

  bool(key: string): boolean {
    const v = this.get(key);
    return typeof v === 'boolean' ? v : this.fail(key, 'true or false', v);
  }

  oneOf<T extends string>(key: string, allowed: readonly T[]): T {
    const v = this.get(key);
    return allowed.includes(v as T) ? (v as T) : this.fail(key, `one of ${allowed.join(', ')}`, v);
  }

  /** oneOf(key, allowed), or `fallback` when the field is absent (files written before it existed). */
  oneOfOr<T extends string>(key: string, allowed: readonly T[], fallback: T): T {
    return this.get(key) === undefined ? fallback : this.oneOf(key, allowed);
  }

  ints(key: string, min: number): number[] {
    const v = this.get(key);
    if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x) && x >= min)) this.fail(key, `a list of integers ≥ ${min}`, v);
    return v.slice();
  }

  strings(key: string): string[] {
    const v = this.get(key);
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) this.fail(key, 'a list of strings', v);
    return v.slice();
  }

  /** Rows of a list of tuples, each checked by `row` (which returns null when it is malformed). */
  rows<T>(key: string, what: string, row: (v: unknown) => T | null): T[] {
    const v = this.get(key);
    if (!Array.isArray(v)) this.fail(key, `a list of ${what}`, v);
    return v.map((x) => row(x) ?? this.fail(key, `a list of ${what}`, x));
  }
}
