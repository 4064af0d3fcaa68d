import { describe, expect, it } from 'vitest';
import { asLabel, asNumber, bucketCode, compareLabels, datePart, widthLabel, yearOfTimestamp } from '../../src/preprocessing/derive.js';

describe('raw value derivation', () => {
  it('reads MovieLens and ISO dates, and epoch seconds, in UTC', () => {
    expect(datePart('01-Jan-1995', 'year')).toBe(1995);
    expect(datePart('15-Mar-1995', 'month')).toBe(3);
    expect(datePart('15-Mar-1995', 'weekday')).toBe(3); // a Wednesday
    expect(datePart('2000-02-29', 'weekday')).toBe(2); // a Tuesday
    expect(datePart(881250949, 'year')).toBe(1997);
    expect(datePart(881250949, 'month')).toBe(12);
    expect(datePart('1995', 'month')).toBeNaN();
    expect(datePart('', 'year')).toBeNaN();
    expect(datePart(null, 'year')).toBeNaN();
    expect(yearOfTimestamp(Date.UTC(1998, 0, 1) / 1000 - 1)).toBe(1997);
  });

  it('parses numbers and labels, missing → NaN / null', () => {
    expect(asNumber('24')).toBe(24);
    expect(asNumber(' ')).toBeNaN();
    expect(asNumber(null)).toBeNaN();
    expect(asLabel(1995)).toBe('1995');
    expect(asLabel('85711', undefined, 1)).toBe('8');
    expect(asLabel('T8H1N', undefined, 3)).toBe('T8H');
    expect(asLabel(NaN)).toBeNull();
    expect(asLabel('')).toBeNull();
  });

  it('buckets by edges and by width', () => {
    const edges = [18, 25, 35, 45, 50, 56];
    expect([7, 18, 24, 25, 49, 50, 56, 73, NaN].map((v) => bucketCode(v, edges))).toEqual([1, 2, 2, 3, 5, 6, 7, 7, 0]);
    expect(widthLabel(1995, 10)).toBe('1990');
    expect(widthLabel(NaN, 10)).toBeNull();
  });

  it('orders numeric labels numerically, others by code unit', () => {
    expect(['10', '9', 'b', 'a', '1990'].sort(compareLabels)).toEqual(['9', '10', '1990', 'a', 'b']);
  });
});
