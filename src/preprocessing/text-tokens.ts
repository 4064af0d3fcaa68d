// Tokens of free text for the `text` feature: Unicode words in lower case, optional word
// bigrams and character n-grams, and the hashing trick that maps a token to one of B buckets
// without a vocabulary to ship.

/** How text becomes tokens. */
export interface TokenOptions {
  /** Add each pair of adjacent words as a token "a b" (default true). */
  bigrams?: boolean;
  /** Add the character n-grams of this length inside each word, "#ab" style (default 0 = none). */
  charNgrams?: number;
}

// Letters and digits of any script; an apostrophe inside a word keeps it whole (don't, l'été).
const WORD = /[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{M}]+)*/gu;

/**
 * The tokens of `text`: lower-cased words in order, then their bigrams and character n-grams.
 *
 * @example
 * tokenize('Toy Story (1995)'); // ['toy', 'story', '1995', 'toy story', 'story 1995']
 */
export function tokenize(text: string, options: TokenOptions = {}): string[] {
  const words = text.normalize('NFKC').toLowerCase().match(WORD) ?? [];
  const tokens = [...words];
  if (options.bigrams ?? true) for (let k = 1; k < words.length; k++) tokens.push(`${words[k - 1]} ${words[k]}`);
  const n = options.charNgrams ?? 0;
  if (n > 0) {
    for (const w of words) {
      const chars = [...`<${w}>`];
      for (let k = 0; k + n <= chars.length; k++) tokens.push(`#${chars.slice(k, k + n).join('')}`);
    }
  }
  return tokens;
}

/**
 * The bucket of a token among `buckets` (1..buckets; 0 stays "unknown"): 32-bit FNV-1a over
 * the UTF-16 code units, so the same token lands in the same bucket in every runtime.
 *
 * @example
 * hashBucket('story', 4096); // a number in 1..4096, the same everywhere
 */
export function hashBucket(token: string, buckets: number): number {
  let h = 0x811c9dc5;
  for (let k = 0; k < token.length; k++) {
    h ^= token.charCodeAt(k);
    h = Math.imul(h, 0x01000193);
  }
  return 1 + ((h >>> 0) % buckets);
}
