// `wasmrec fetch <name>`: download a MovieLens release into the cache and print its folder.

import { Argument, type Command } from 'commander';
import { SingleBar, Presets } from 'cli-progress';
import { FETCHABLE, fetchDataset, type FetchName } from '../../io/node/fetch.js';

/** Adds the `fetch` subcommand to `program`. */
export function registerFetch(program: Command): void {
  program
    .command('fetch')
    .description('download a MovieLens data set from GroupLens into the cache and print its folder')
    .addArgument(new Argument('<name>', 'data set').choices(Object.keys(FETCHABLE)))
    .option('--cache <dir>', 'cache folder (default: $WASMREC_CACHE or ~/.cache/wasmrec)')
    .option('--url <url>', 'base URL or full .zip URL (default: $WASMREC_FETCH_BASE_URL or files.grouplens.org)')
    .option('--sha256 <hex>', 'expected SHA-256 of the zip')
    .option('--force', 'download again even when already cached')
    .action(async (name: FetchName, opts: { cache?: string; url?: string; sha256?: string; force?: boolean }) => {
      // The bar goes to stderr so that stdout carries only the path (for $(wasmrec fetch ...)).
      const bar = new SingleBar({ stream: process.stderr, format: `${name} [{bar}] {percentage}% | {value}/{total} bytes`, hideCursor: true }, Presets.shades_classic);
      let started = false;
      try {
        const dir = await fetchDataset(name, {
          ...opts,
          onProgress: (received, total) => {
            if (!started) {
              bar.start(total ?? 0, 0);
              started = true;
            }
            if (total === undefined) bar.setTotal(received);
            bar.update(received);
          },
          onNote: (m) => process.stderr.write(`wasmrec: ${m}\n`),
        });
        if (started) bar.stop();
        process.stdout.write(`${dir}\n`);
      } catch (err) {
        if (started) bar.stop();
        throw err;
      }
    });
}
