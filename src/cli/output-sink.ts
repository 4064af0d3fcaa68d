// Where a streaming command writes: a file (through a temporary file renamed at the end, so
// it appears whole or not at all), process stdout, or the CliIO of tests. Writes wait for the
// stream to drain, so a slow reader of the pipe holds the producer back instead of letting
// output pile up in memory.

import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { Writable } from 'node:stream';
import { fileError } from '../io/node/fs-errors.js';
import { processIO, type CliIO } from './io.js';

export interface Sink {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  /** After a failure: a partial file is removed. */
  abort(): Promise<void>;
}

/** A sink for `path` ('-' = standard output). */
export async function outputSink(path: string, io: CliIO): Promise<Sink> {
  if (path !== '-') return fileSink(path);
  if (io !== processIO) return { write: async (text) => io.out(text.replace(/\n$/, '')), close: async () => {}, abort: async () => {} };
  return { write: (text) => writeDrained(process.stdout, text), close: async () => {}, abort: async () => {} };
}

function writeDrained(stream: Writable, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    stream.once('error', onError);
    const done = () => {
      stream.off('error', onError);
      resolve();
    };
    if (stream.write(text)) done();
    else stream.once('drain', done);
  });
}

function fileSink(path: string): Sink {
  const tmp = join(dirname(path), `.${basename(path)}.partial-${randomBytes(6).toString('hex')}`);
  const stream = createWriteStream(tmp, { flags: 'wx' });
  // A write still queued when the job fails errors after abort's destroy: keep it from being uncaught.
  stream.on('error', () => {});
  const ended = () => new Promise<void>((resolve, reject) => stream.end((err?: Error | null) => (err ? reject(err) : resolve())));
  return {
    write: (text) => writeDrained(stream, text).catch((err) => Promise.reject(fileError('cannot write', path, err))),
    close: async () => {
      try {
        await ended();
        await rename(tmp, path);
      } catch (err) {
        await rm(tmp, { force: true });
        throw fileError('cannot write', path, err);
      }
    },
    abort: async () => {
      // After 'close' the file exists (if its open had started) and can be removed.
      if (!stream.closed) await new Promise<void>((resolve) => stream.once('close', () => resolve()).destroy());
      await rm(tmp, { force: true });
    },
  };
}
