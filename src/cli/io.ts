// Where the CLI writes: process streams in real use, buffers in tests.

export interface CliIO {
  /** One line of standard output (results, tables, JSON). */
  out(line: string): void;
  /** One line of standard error (progress, notes). */
  err(line: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly interactive: boolean;
}

export const processIO: CliIO = {
  out: (line) => void process.stdout.write(`${line}\n`),
  err: (line) => void process.stderr.write(`${line}\n`),
  get interactive() {
    return Boolean(process.stderr.isTTY);
  },
};

/** Collects lines in memory (tests). */
export function memoryIO(): CliIO & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { stdout, stderr, out: (l) => void stdout.push(l), err: (l) => void stderr.push(l), interactive: false };
}
