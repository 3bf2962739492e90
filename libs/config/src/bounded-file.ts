/**
 * Reading input files that may come from anywhere (a config that arrived through the queue, an
 * `extends:` target, a dataset folder): only a regular file, only up to a size cap, and only UTF-8
 * text. A device (`/dev/zero`), a FIFO, a directory or an oversized file is refused with a reason
 * instead of being read without end.
 */
import { closeSync, fstatSync, lstatSync, openSync, readSync, statSync, type Stats } from 'node:fs';

/** Config, `extends:` and sweep files: a few KiB in practice. */
export const MAX_CONFIG_FILE_BYTES = 1 << 20;

export class BoundedFileError extends Error {
  override name = 'BoundedFileError';
  constructor(
    readonly kind: 'missing' | 'not-a-file' | 'too-large' | 'not-utf8' | 'unreadable',
    readonly path: string,
    /** Why, without the path: "is a directory", "is 3.2 MiB, over the 1 MiB limit of ...". */
    readonly reason: string,
    /** The 1-based line of the problem, where there is one (invalid UTF-8). */
    readonly line?: number,
  ) {
    super(`${path}: ${reason}`);
  }
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1 << 20) return `${+(n / 1024).toFixed(1)} KiB`;
  if (n < 1 << 30) return `${+(n / (1 << 20)).toFixed(1)} MiB`;
  return `${+(n / (1 << 30)).toFixed(1)} GiB`;
}

function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isFIFO()) return 'a named pipe';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `path` is a regular file (symbolic links followed) of at most `maxBytes`, without
 * opening anything else; throws BoundedFileError otherwise. `what` names the limit in messages.
 */
export function checkRegularFile(path: string, maxBytes: number, what: string): Stats {
  let st: Stats;
  try {
    st = statSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') {
      let dangling = false;
      try {
        dangling = lstatSync(path).isSymbolicLink();
      } catch {
        /* not there at all */
      }
      throw new BoundedFileError('missing', path, dangling ? 'is a broken symbolic link' : 'no such file');
    }
    if (code === 'ELOOP') throw new BoundedFileError('unreadable', path, 'is a loop of symbolic links');
    if (code === 'EACCES') throw new BoundedFileError('unreadable', path, 'permission denied');
    if (code === 'ENOTDIR') throw new BoundedFileError('missing', path, 'no such file (a part of the path is a file)');
    throw new BoundedFileError('unreadable', path, (err as Error).message);
  }
  if (!st.isFile()) {
    const k = kindOf(st);
    throw new BoundedFileError('not-a-file', path, k.startsWith('not') ? k : `is ${k}, not a file`);
  }
  if (st.size > maxBytes)
    throw new BoundedFileError(
      'too-large',
      path,
      `is ${formatBytes(st.size)}, over the ${formatBytes(maxBytes)} limit of ${what}`,
    );
  return st;
}

/** The bytes of a regular file of at most `maxBytes` (see checkRegularFile). */
export function readBoundedBytes(path: string, maxBytes: number, what: string): Buffer {
  checkRegularFile(path, maxBytes, what);
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new BoundedFileError('unreadable', path, code === 'EACCES' ? 'permission denied' : (err as Error).message);
  }
  try {
    // The file may have been swapped or grown since the check: read at most maxBytes + 1.
    if (!fstatSync(fd).isFile()) throw new BoundedFileError('not-a-file', path, 'not a regular file');
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const buf = Buffer.allocUnsafe(Math.min(1 << 20, maxBytes + 1 - total));
      let n: number;
      try {
        n = readSync(fd, buf, 0, buf.length, null);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        throw new BoundedFileError('unreadable', path, code === 'EISDIR' ? 'is a directory' : (err as Error).message);
      }
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
      total += n;
      if (total > maxBytes)
        throw new BoundedFileError('too-large', path, `is over the ${formatBytes(maxBytes)} limit of ${what}`);
    }
    return Buffer.concat(chunks, total);
  } finally {
    closeSync(fd);
  }
}

/** UTF-8 text of `bytes` (a leading byte order mark dropped), or BoundedFileError naming the line. */
export function decodeUtf8(bytes: Buffer, path: string): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new BoundedFileError('not-utf8', path, 'is UTF-16 text; save it as UTF-8', 1);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    const lossy = bytes.toString('utf8');
    const at = lossy.indexOf('\ufffd');
    const line = at < 0 ? 1 : lossy.slice(0, at).split('\n').length;
    throw new BoundedFileError('not-utf8', path, `is not valid UTF-8 text (line ${line})`, line);
  }
}

/** A regular UTF-8 text file of at most `maxBytes`. */
export function readBoundedText(path: string, maxBytes: number, what: string): string {
  return decodeUtf8(readBoundedBytes(path, maxBytes, what), path);
}
