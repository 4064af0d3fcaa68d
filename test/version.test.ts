// The version written into model files is package.json's.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { WASMREC_VERSION } from '../src/version.js';

it('WASMREC_VERSION equals the version in package.json', () => {
  expect(WASMREC_VERSION).toBe(JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')).version);
});
