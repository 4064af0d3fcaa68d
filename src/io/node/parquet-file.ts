// Parquet files read through hyparquet from a file handle: only the footer and the column
// chunks asked for are read, so a table's peak memory is what is decoded, not the file.

import { open, type FileHandle } from 'node:fs/promises';
import { parquetMetadataAsync, type AsyncBuffer, type FileMetaData } from 'hyparquet';
import { fileError } from './fs-errors.js';

export interface OpenParquet {
  file: AsyncBuffer;
  metadata: FileMetaData;
  close(): Promise<void>;
}

/** Opens `path`, reads its footer; errors name the file (not a Parquet file, truncated, unreadable). */
export async function openParquet(path: string): Promise<OpenParquet> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (err) {
    throw fileError('cannot read', path, err);
  }
  try {
    const { size } = await handle.stat();
    const file: AsyncBuffer = {
      byteLength: size,
      async slice(start: number, end = size) {
        const bytes = new Uint8Array(Math.max(0, end - start));
        await handle.read(bytes, 0, bytes.length, start);
        return bytes.buffer;
      },
    };
    const metadata = await parquetMetadataAsync(file);
    return { file, metadata, close: () => handle.close() };
  } catch (err) {
    await handle.close();
    throw new Error(`${path}: not a readable Parquet file: ${(err as Error).message}`, { cause: err });
  }
}
