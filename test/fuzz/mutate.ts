// Generated damage to real-looking files: byte flips, truncation, inserted or deleted
// delimiters, quotes, line breaks, byte order marks, huge numbers, unicode and blank lines.
import fc from 'fast-check';

/** Things that break parsers when they appear where they should not. */
const TOKENS = [
  ',', '\t', ';', '|', '::', ':', '"', '""', '"x"y', '\r', '\n', '\r\n', '\n\n', '\n \t\n', '\uFEFF', '\u0000', '\u0001', '\u007f', '\u0085',
  ' ', '', 'é', 'Ã©', '🎬', '\uD800', '\uDC00', '\uFFFD', '1e39', '-1e39', '1e309', '-1e-400', '3.4028235e38', 'NaN', 'Infinity', '-Infinity',
  '0x1f', '1e', '.', '-', '+', '1.', '.5', '4.5', '0', '-0', '__proto__', 'constructor', 'toString', '(1995)', '01-Jan-1995', '32-Feb-2001',
  '2020-02-30', '2020-01-01T25:00Z', 'March 7', 'x 1', 'userId,movieId,rating,timestamp', 'movieId,title,genres', '(no genres listed)',
];

/** One edit at a relative position (0..1 of the text's length). */
export type Mutation =
  | { op: 'insert'; at: number; text: string }
  | { op: 'replace'; at: number; text: string }
  | { op: 'delete'; at: number; length: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate-line'; at: number; times: number }
  | { op: 'huge'; at: number; text: string; length: number };

// fc.double crowds its values near 0 (every edit would hit the header): positions are
// drawn as integers instead, and fast-check's own bias still favours the ends.
const POSITIONS = 1 << 20;
const at = fc.nat({ max: POSITIONS }).map((k) => k / POSITIONS);
const token = fc.oneof({ arbitrary: fc.constantFrom(...TOKENS), weight: 4 }, { arbitrary: fc.string({ unit: 'binary', maxLength: 6 }), weight: 1 });

/** Repeated to a field of `length` characters: digit runs with a bad end, exponents, spaces, quotes, delimiters. */
const HUGE_UNITS = ['1', '9', '0', ' ', '"', ',', '\t', '|', ':', 'e', '-', '.', '1e', 'é', '\n', '\r\n'];

export const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('insert' as const), at, text: token }), weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('replace' as const), at, text: token }), weight: 4 },
  { arbitrary: fc.record({ op: fc.constant('delete' as const), at, length: fc.integer({ min: 1, max: 40 }) }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('duplicate-line' as const), at, times: fc.integer({ min: 1, max: 3 }) }), weight: 1 },
  { arbitrary: fc.record({ op: fc.constant('huge' as const), at, text: fc.constantFrom(...HUGE_UNITS), length: fc.integer({ min: 1000, max: 100_000 }) }), weight: 1 },
);

function apply(text: string, m: Mutation): string {
  const pos = Math.floor(m.at * text.length);
  switch (m.op) {
    case 'insert':
      return text.slice(0, pos) + m.text + text.slice(pos);
    case 'replace':
      return text.slice(0, pos) + m.text + text.slice(pos + 1);
    case 'delete':
      return text.slice(0, pos) + text.slice(pos + m.length);
    case 'truncate':
      return text.slice(0, pos);
    case 'duplicate-line': {
      const start = text.lastIndexOf('\n', pos - 1) + 1;
      const end = text.indexOf('\n', pos);
      const line = text.slice(start, end < 0 ? text.length : end + 1);
      return text.slice(0, start) + line.repeat(m.times + 1) + text.slice(start + line.length);
    }
    case 'huge':
      return text.slice(0, pos) + m.text.repeat(Math.ceil(m.length / m.text.length)) + 'x' + text.slice(pos);
  }
}

/** How the mutated text reaches the parser: as a string, UTF-8 bytes with flips, or Latin-1 bytes. */
export interface Encoding {
  kind: 'string' | 'utf-8' | 'latin1';
  flips: [number, number][];
}

const encoding: fc.Arbitrary<Encoding> = fc.record({
  kind: fc.constantFrom('string' as const, 'string' as const, 'utf-8' as const, 'latin1' as const),
  flips: fc.array(fc.tuple(at, fc.integer({ min: 0, max: 255 })), { maxLength: 3 }),
});

function encode(text: string, e: Encoding): string | Uint8Array {
  if (e.kind === 'string') return text;
  const bytes = e.kind === 'utf-8' ? new TextEncoder().encode(text) : Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
  for (const [where, value] of e.flips) if (bytes.length > 0) bytes[Math.floor(where * bytes.length) % bytes.length] = value;
  return bytes;
}

/** A damaged copy of one file: the seed, its edits and how it is handed over. */
export interface Damage {
  seed: number;
  edits: Mutation[];
  encoding: Encoding;
}

export const damage = (nSeeds: number): fc.Arbitrary<Damage> =>
  fc.record({ seed: fc.nat({ max: nSeeds - 1 }), edits: fc.array(mutation, { minLength: 1, maxLength: 5 }), encoding });

/** Applies `d` to `seeds[d.seed]`. */
export function damaged(seeds: readonly string[], d: Damage): string | Uint8Array {
  return encode(d.edits.reduce(apply, seeds[d.seed]), d.encoding);
}

/** Damages some files of a multi-file data set (by name), leaving the others intact. */
export function damageFiles(files: Record<string, string>, names: readonly string[], picks: { file: number; damage: Damage }[], drop: number[]): Record<string, string | Uint8Array> {
  const out: Record<string, string | Uint8Array> = { ...files };
  for (const { file, damage: d } of picks) {
    const name = names[file % names.length];
    const current = out[name];
    out[name] = damaged([typeof current === 'string' ? current : new TextDecoder('latin1').decode(current)], { ...d, seed: 0 });
  }
  // Dropping a file tests the "missing file" paths too.
  for (const k of drop) delete out[names[k % names.length]];
  return out;
}

/** Which files of a data set to damage and which to drop. */
export const fileDamage = (nFiles: number) =>
  fc.record({
    picks: fc.array(fc.record({ file: fc.nat({ max: nFiles - 1 }), damage: damage(1) }), { minLength: 1, maxLength: 3 }),
    // One case in eight drops a file.
    drop: fc.oneof({ arbitrary: fc.constant<number[]>([]), weight: 7 }, { arbitrary: fc.nat({ max: nFiles - 1 }).map((k) => [k]), weight: 1 }),
  });
