// From a raw cell to the value a feature encodes: numbers, category labels, label lists.
// Dates are parsed by hand because Date.parse of "01-Jan-1995" differs between engines.

import type { DatePart } from './spec.js';

/** A raw cell: a number, a string, a list (genres), or null when missing. */
export type RawValue = string | number | string[] | null;

/** Raw cells of one entity by column name; absent keys are missing values. */
export type RawRow = Record<string, RawValue | undefined>;

const MONTHS: Record<string, number> = {
  jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12,
};

/**
 * Year, month (1-12) and weekday (0 = Sunday) of a date string or epoch seconds, in UTC;
 * NaN when it cannot be read. A bare year ("1995") has no month or weekday.
 */
export function datePart(value: RawValue | undefined, part: DatePart): number {
  const ymd = toYmd(value);
  if (!ymd) return NaN;
  const [y, m, d] = ymd;
  if (part === 'year') return y;
  if (Number.isNaN(m)) return NaN;
  if (part === 'month') return m;
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The calendar year of epoch seconds, in UTC. */
export function yearOfTimestamp(seconds: number): number {
  return Number.isFinite(seconds) ? new Date(seconds * 1000).getUTCFullYear() : NaN;
}

function toYmd(value: RawValue | undefined): [number, number, number] | null {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    const dt = new Date(value * 1000);
    return [dt.getUTCFullYear(), dt.getUTCMonth() + 1, dt.getUTCDate()];
  }
  if (typeof value !== 'string') return null;
  const s = value.trim();
  let m = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/.exec(s); // MovieLens: 01-Jan-1995
  if (m) {
    const month = MONTHS[m[2].toLowerCase()];
    return month ? [Number(m[3]), month, Number(m[1])] : null;
  }
  m = /^(\d{4})-(\d{1,2})-(\d{1,2})/.exec(s); // ISO 8601
  if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
  m = /^(\d{4})$/.exec(s);
  if (m) return [Number(m[1]), NaN, NaN];
  return null;
}

/** The cell as a number (numeric strings are parsed), NaN when missing or not numeric. */
export function asNumber(value: RawValue | undefined, date?: DatePart): number {
  if (date) return datePart(value, date);
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return NaN;
}

/** The cell as a category label, null when missing. Numbers are written as JavaScript prints them. */
export function asLabel(value: RawValue | undefined, date?: DatePart, prefix?: number): string | null {
  let label: string | null;
  if (date) {
    const v = datePart(value, date);
    label = Number.isNaN(v) ? null : String(v);
  } else if (typeof value === 'number') {
    label = Number.isNaN(value) ? null : String(value);
  } else if (typeof value === 'string') {
    label = value.trim() === '' ? null : value;
  } else {
    label = null; // a list is not one category
  }
  if (label !== null && prefix !== undefined) label = label.slice(0, prefix);
  return label;
}

/** The cell as a list of labels; a single value becomes a list of one. */
export function asLabels(value: RawValue | undefined): string[] {
  if (Array.isArray(value)) return value;
  const label = asLabel(value);
  return label === null ? [] : [label];
}

/** Code of `v` for fixed bucket edges: 1 below edges[0], k+1 in [edges[k-1], edges[k]); 0 if missing. */
export function bucketCode(v: number, edges: readonly number[]): number {
  if (Number.isNaN(v)) return 0;
  let k = 0;
  while (k < edges.length && v >= edges[k]) k++;
  return k + 1;
}

/** The label of `v`'s bucket of the given width, e.g. "1990" for 1995 with width 10. */
export function widthLabel(v: number, width: number): string | null {
  return Number.isFinite(v) ? String(Math.floor(v / width) * width) : null;
}

/** Orders labels numerically when both are numbers ("9" before "10"), else by code unit. */
export function compareLabels(a: string, b: string): number {
  const x = Number(a);
  const y = Number(b);
  if (a !== '' && b !== '' && Number.isFinite(x) && Number.isFinite(y) && x !== y) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
