// CRC-32 (IEEE 802.3, as in zip, PNG and Python's zlib.crc32), computable in pieces.

let table: Uint32Array | null = null;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/**
 * CRC-32 of `bytes`, continuing from `previous` (the CRC of the bytes before them), so
 * that crc32(b, crc32(a)) is the CRC of a followed by b, as zlib.crc32(b, crc32(a)) is.
 *
 * @example
 * crc32(new TextEncoder().encode('123456789')).toString(16); // 'cbf43926'
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const t = crcTable();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = 0; i < bytes.length; i++) c = t[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}
