// Run-time detection of the WebAssembly SIMD flavours this engine accepts.

/** A module with one function of three v128 constants fed to the given opcode bytes. */
function probe(opcode: number[]): Uint8Array<ArrayBuffer> {
  const body = [0x00];
  for (let i = 0; i < 3; i++) body.push(0xfd, 0x0c, ...new Array<number>(16).fill(0));
  body.push(...opcode, 0x0b);
  const code = [0x01, body.length, ...body];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, // type: () -> v128
    0x03, 0x02, 0x01, 0x00, // one function of that type
    0x0a, code.length, ...code,
  ]);
}

// f32x4.add twice, and f32x4.relaxed_madd (opcode 0xfd 0x105).
const SIMD_PROBE = probe([0xfd, 0xe4, 0x01, 0xfd, 0xe4, 0x01]);
const RELAXED_PROBE = probe([0xfd, 0x85, 0x02]);

export type SimdFlavor = 'relaxed' | 'simd';

/** Which build to load: relaxed SIMD (FMA) where the engine validates it, else SIMD. */
export function detectSimdFlavor(): SimdFlavor {
  if (!WebAssembly.validate(SIMD_PROBE)) {
    throw new Error('wasmrec: this WebAssembly engine has no SIMD support; use the js backend');
  }
  return WebAssembly.validate(RELAXED_PROBE) ? 'relaxed' : 'simd';
}
