// Command-line options shared by bench/run.js and the section scripts it starts.

export const SECTIONS = ['kernels', 'mf', 'tfjs', 'loaders', 'scaling', 'step', 'embed', 'interop'];

/** Parses --quick, --json, --only <section[,section]>, --help. */
export function parseArgs(argv = process.argv.slice(2)) {
  const opts = { quick: false, json: false, only: [...SECTIONS], help: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--quick') opts.quick = true;
    else if (a === '--json') opts.json = true;
    else if (a === '--help' || a === '-h') opts.help = true;
    else if (a === '--only' || a.startsWith('--only=')) {
      const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      const wanted = String(value ?? '').split(',').filter(Boolean);
      const unknown = wanted.filter((s) => !SECTIONS.includes(s));
      if (wanted.length === 0 || unknown.length > 0) {
        throw new Error(`--only expects one or more of ${SECTIONS.join(', ')} (comma-separated), got '${value ?? ''}'`);
      }
      opts.only = wanted;
    } else throw new Error(`unknown option '${a}' (try --help)`);
  }
  return opts;
}

export const USAGE = `npm run bench [-- options]
  --quick            fewer samples and epochs (a rough look in about two minutes)
  --only <sections>  any of ${SECTIONS.join(', ')}, comma-separated (default: all)
  --json             also write every row to bench/results.json
Data: MovieLens 100K from $WASMREC_DATA, else ../shared/data (never copied into the repo).`;
