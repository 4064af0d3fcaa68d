// Dates in rating files, read in well-defined formats only. Date.parse is not used: it
// turns "x 1" into 2001-01-01, reads zone-less times in the machine's time zone, and
// differs between engines.

/** What the messages say a date must look like. */
export const DATE_FORMATS = 'Unix seconds, ISO 8601 like 2020-01-31T12:00:00Z, or 31-Jan-2020';

// Every quantifier is bounded, so a long value fails in linear time.
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;
const MOVIELENS = /^(\d{1,2})-([A-Za-z]{3})-(\d{4})$/;
const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Seconds since the epoch of a UTC calendar time; Date.UTC alone maps years 0..99 to 1900..1999. */
function utcSeconds(year: number, month: number, day: number, hour: number, minute: number, second: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, month - 1, day);
  d.setUTCHours(hour, minute, second, 0);
  return d.getTime() / 1000;
}

/** The zone's offset from UTC in seconds: 'Z', '+01', '+0130', '+01:30'; NaN when out of range. */
function zoneOffset(zone: string | undefined): number {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const sign = zone[0] === '-' ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = digits.length > 2 ? Number(digits.slice(2)) : 0;
  return hours <= 23 && minutes <= 59 ? sign * (hours * 3600 + minutes * 60) : NaN;
}

/**
 * Seconds since the epoch of a date string (not of a number: callers read Unix seconds as
 * numbers), or NaN. ISO 8601 times without a zone are read as UTC, so a file means the
 * same on every machine.
 *
 * @example
 * parseDate('2020-01-01T01:30:00+01:30'); // 1577836800
 * parseDate('01-Jan-1995');               // 788918400
 * parseDate('March 7');                   // NaN
 */
export function parseDate(value: string): number {
  const s = value.trim();
  const ml = MOVIELENS.exec(s);
  if (ml) {
    const month = MONTHS.indexOf(ml[2].toLowerCase()) + 1;
    const [day, year] = [Number(ml[1]), Number(ml[3])];
    return month > 0 && day >= 1 && day <= daysIn(year, month) ? utcSeconds(year, month, day, 0, 0, 0) : NaN;
  }
  const iso = ISO.exec(s);
  if (!iso) return NaN;
  const [year, month, day] = [Number(iso[1]), Number(iso[2]), Number(iso[3])];
  const [hour, minute, second] = [Number(iso[4] ?? 0), Number(iso[5] ?? 0), Number(iso[6] ?? 0)];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return NaN;
  if (hour > 23 || minute > 59 || second > 59) return NaN;
  const fraction = iso[7] ? Number(`0.${iso[7]}`) : 0;
  return utcSeconds(year, month, day, hour, minute, second) + fraction - zoneOffset(iso[8]);
}
