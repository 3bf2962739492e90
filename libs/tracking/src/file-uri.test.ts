import { describe, expect, it } from 'vitest';
import { appendToUri, fileUriToPath, pathToFileUri } from './file-uri.js';

describe('file URIs as MLflow writes them', () => {
  it("matches Python's Path.as_uri() percent-encoding", () => {
    // Python 3: Path('/tmp/a b/ü:x@y~z+q,r=s&t(u)').as_uri()
    const p = '/tmp/a b/ü:x@y~z+q,r=s&t(u)';
    expect(pathToFileUri(p)).toBe('file:///tmp/a%20b/%C3%BC%3Ax%40y~z%2Bq%2Cr%3Ds%26t%28u%29');
    expect(fileUriToPath(pathToFileUri(p))).toBe(p);
  });

  it('reads file:, file:// and plain paths, and refuses remote hosts', () => {
    expect(fileUriToPath('file:///abs/m')).toBe('/abs/m');
    expect(fileUriToPath('file://localhost/abs/m')).toBe('/abs/m');
    expect(fileUriToPath('/abs/m')).toBe('/abs/m');
    expect(() => fileUriToPath('file://server/share')).toThrow(/host 'server'/);
  });

  it('appends path parts with single slashes', () => {
    expect(appendToUri('file:///m/', '12', 'abc', 'artifacts')).toBe('file:///m/12/abc/artifacts');
  });
});
