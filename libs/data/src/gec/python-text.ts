/**
 * Small pieces of Python text semantics the GEC importer needs to match the original byte for
 * byte: reading a file like `open(path, encoding='UTF-8').read()` (universal newlines, BOM kept),
 * `str.strip()`, `str()` of a literal value, and the original's escape replacement.
 */
import { BoundedFileError, readBoundedBytes } from '@ecode/config';
import { PyBytes, PyDict, PySet, PyTuple, type PyValue } from '../python-literal.js';

/** Characters for which Python's `str.isspace()` is true. */
const PY_SPACE = '\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');
const ALL_SPACE = new RegExp(`^[${PY_SPACE}]+$`);

export class TextFileError extends Error {
  constructor(
    readonly kind: 'missing' | 'invalid-utf8' | 'unreadable' | 'not-a-file' | 'too-large',
    readonly path: string,
    detail: string,
  ) {
    super(`${path}: ${detail}`);
  }
}

/** The largest GEC file read (its biggest IO Case Test Dictionary files are a few MiB). */
export const MAX_GEC_FILE_BYTES = 64 << 20;

/** Reads a text file as Python's `open(path, 'r', encoding='UTF-8').read()` does. */
export async function readTextLikePython(path: string): Promise<string> {
  let bytes: Buffer;
  try {
    // Only a regular file under the cap: a FIFO, a device or a huge file is a per-problem error.
    bytes = readBoundedBytes(path, MAX_GEC_FILE_BYTES, 'a GEC file');
  } catch (err) {
    if (!(err instanceof BoundedFileError)) throw err;
    const kind = err.kind === 'not-utf8' ? 'unreadable' : err.kind;
    throw new TextFileError(kind, path, err.reason);
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw new TextFileError('invalid-utf8', path, 'not valid UTF-8');
  }
  return text.replace(/\r\n?/g, '\n');
}

/** Python's `str.strip()` with no argument. */
export function pyStrip(text: string): string {
  return text.replace(STRIP, '');
}

/** Python's `str.isspace()`. */
export function pyIsSpace(text: string): boolean {
  return ALL_SPACE.test(text);
}

/** The original's decoding of a code file: replace the two-character escapes, nothing else. */
export function unescapeGecCode(raw: string): string {
  return raw.replaceAll('\\n', '\n').replaceAll('\\t', '\t').replaceAll('\\r', '\r');
}

function pyRepr(v: PyValue): string {
  if (typeof v === 'string') return `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
  return pyStr(v);
}

/**
 * `str(value)` as an f-string would render it. Exact for str, int, bool and None; containers and
 * floats are close approximations (an integral float reads back as an int, see python-literal.ts).
 */
export function pyStr(v: PyValue): string {
  if (v === null) return 'None';
  if (typeof v === 'string') return v;
  if (typeof v === 'boolean') return v ? 'True' : 'False';
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return `[${v.map(pyRepr).join(', ')}]`;
  if (v instanceof PyTuple)
    return v.items.length === 1 ? `(${pyRepr(v.items[0])},)` : `(${v.items.map(pyRepr).join(', ')})`;
  if (v instanceof PySet) return v.items.length === 0 ? 'set()' : `{${v.items.map(pyRepr).join(', ')}}`;
  if (v instanceof PyBytes) return `b'${Buffer.from(v.bytes).toString('latin1')}'`;
  if (v instanceof PyDict) return `{${v.entries.map(([k, x]) => `${pyRepr(k)}: ${pyRepr(x)}`).join(', ')}}`;
  return String(v);
}
