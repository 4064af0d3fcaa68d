// File system errors in words that name the file: "ratings.csv: no such file or directory"
// rather than Node's "ENOENT: no such file or directory, open '…'" (or the name of a temporary file).

/** A file system error's cause in words ("no such file or directory" for ENOENT). */
export function causeOf(err: unknown): string {
  switch ((err as NodeJS.ErrnoException | undefined)?.code) {
    case 'ENOENT':
      return 'no such file or directory';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'is a folder, not a file';
    case 'ENOTDIR':
      return 'a part of the path is not a folder';
    case 'EROFS':
      return 'the file system is read-only';
    case 'ENOSPC':
      return 'no space left on the device';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * An Error saying what could not be done to `path` and why, keeping the original as `cause`.
 *
 * @example
 * await readFile(p).catch((err) => { throw fileError('cannot read', p, err); });
 */
export function fileError(what: string, path: string, err: unknown): Error {
  return new Error(`${what} ${path}: ${causeOf(err)}`, { cause: err });
}
