/**
 * `file://` URIs as MLflow writes them (Python's `pathlib.Path(p).as_uri()`: every byte outside
 * `A-Za-z0-9_.-~/` percent-encoded), and back to paths.
 */
import path from 'node:path';

export function pathToFileUri(p: string): string {
  const abs = path.resolve(p);
  let out = '';
  for (const byte of Buffer.from(abs, 'utf8')) {
    const ch = String.fromCharCode(byte);
    out += /[A-Za-z0-9_.\-~/]/.test(ch) ? ch : '%' + byte.toString(16).toUpperCase().padStart(2, '0');
  }
  return 'file://' + out;
}

/** `file:///a/b`, `file:/a/b` or a plain path to an absolute local path. */
export function fileUriToPath(uri: string): string {
  if (!uri.startsWith('file:')) return path.resolve(uri);
  let rest = uri.slice('file:'.length);
  if (rest.startsWith('//')) {
    rest = rest.slice(2);
    const slash = rest.indexOf('/');
    const host = slash < 0 ? rest : rest.slice(0, slash);
    if (host !== '' && host !== 'localhost')
      throw new Error(`file URI '${uri}' names host '${host}'; only local paths are supported`);
    rest = slash < 0 ? '/' : rest.slice(slash);
  }
  return path.resolve(decodeURIComponent(rest));
}

/** MLflow's `append_to_uri_path`: join path parts onto a URI with single slashes. */
export function appendToUri(uri: string, ...parts: string[]): string {
  let out = uri.replace(/\/+$/, '');
  for (const part of parts) out += '/' + part.replace(/^\/+/, '');
  return out;
}
