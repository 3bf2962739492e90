/**
 * A stand-in for the Hub's file interface on 127.0.0.1, for tests (point HF_ENDPOINT at `url`):
 * `HEAD|GET /<org>/<name>/resolve/<rev>/<path>` with `X-Repo-Commit`, `ETag` (git blob sha1) or,
 * for LFS files (`.safetensors`, `.bin`), a 302 to `/cdn/<sha256>` carrying `X-Linked-Etag` and
 * `X-Linked-Size`; Range requests (206); 401 for gated repos; 404 with `X-Error-Code`
 * (RepositoryNotFound, RevisionNotFound, EntryNotFound); same-origin 307s for renamed repos; and a
 * connection cut after N bytes of a file, once.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StubRepo {
  /** Branch or tag -> commit (40 hex). */
  refs: Record<string, string>;
  /** Files of every commit of this repo: path -> bytes. */
  files: Record<string, Uint8Array>;
  gated?: boolean;
}

export interface StubHub {
  url: string;
  /** Every request, e.g. `HEAD /org/name/resolve/main/config.json`. */
  requests: string[];
  /** Cut the connection after `bytes` bytes on the next GET of this file (path in the repo). */
  cutNext(file: string, bytes: number): void;
  /** Replace a file's content as served from the CDN (to test a corrupt download). */
  corruptNext(file: string): void;
  close(): Promise<void>;
}

const isLfs = (p: string) => /\.(safetensors|bin)$/.test(p);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const gitSha1 = (b: Uint8Array) => createHash('sha1').update(`blob ${b.length}\0`).update(b).digest('hex');

export async function startStubHub(
  repos: Record<string, StubRepo>,
  renamed: Record<string, string> = {},
): Promise<StubHub> {
  const requests: string[] = [];
  const cuts = new Map<string, number>();
  const corrupt = new Set<string>();
  const blobs = new Map<string, { file: string; bytes: Uint8Array }>();
  for (const r of Object.values(repos))
    for (const [file, bytes] of Object.entries(r.files)) if (isLfs(file)) blobs.set(sha256(bytes), { file, bytes });

  const send = (
    req: IncomingMessage,
    res: ServerResponse,
    bytes: Uint8Array,
    headers: Record<string, string>,
    file: string,
  ) => {
    const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
    let body = bytes;
    let status = 200;
    if (range) {
      const start = Number(range[1]);
      const end = range[2] ? Number(range[2]) + 1 : bytes.length;
      if (start >= bytes.length) {
        res.writeHead(416, { 'content-range': `bytes */${bytes.length}` }).end();
        return;
      }
      body = bytes.subarray(start, end);
      status = 206;
      headers['content-range'] = `bytes ${start}-${end - 1}/${bytes.length}`;
    }
    res.writeHead(status, { ...headers, 'content-length': String(body.length), 'accept-ranges': 'bytes' });
    if (req.method === 'HEAD') return void res.end();
    const cut = cuts.get(file);
    if (cut !== undefined && req.method === 'GET') {
      cuts.delete(file);
      res.write(body.subarray(0, cut), () => res.socket?.destroy());
      return;
    }
    res.end(body);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(`${req.method} ${url.pathname}`);
    const cdn = /^\/cdn\/([0-9a-f]{64})$/.exec(url.pathname);
    if (cdn) {
      const b = blobs.get(cdn[1]);
      if (!b) return void res.writeHead(404).end();
      let bytes = b.bytes;
      if (corrupt.has(b.file) && req.method === 'GET') {
        corrupt.delete(b.file);
        bytes = bytes.slice();
        bytes[bytes.length - 1] ^= 0xff;
      }
      return send(req, res, bytes, { etag: `"${cdn[1]}"` }, b.file);
    }
    const m = /^\/([^/]+\/[^/]+)\/resolve\/([^/]+)\/(.+)$/.exec(url.pathname);
    if (!m) return void res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    const [, repoName, revRaw, fileRaw] = m;
    if (renamed[repoName]) {
      res.writeHead(307, { location: `/${renamed[repoName]}/resolve/${revRaw}/${fileRaw}` });
      return void res.end();
    }
    const repo = repos[repoName];
    if (!repo) return void res.writeHead(404, { 'x-error-code': 'RepoNotFound' }).end();
    if (repo.gated) return void res.writeHead(401, { 'x-error-message': 'Access to this model is restricted' }).end();
    const rev = decodeURIComponent(revRaw);
    const commit = /^[0-9a-f]{40}$/.test(rev) && Object.values(repo.refs).includes(rev) ? rev : repo.refs[rev];
    if (!commit) return void res.writeHead(404, { 'x-error-code': 'RevisionNotFound' }).end();
    const file = fileRaw.split('/').map(decodeURIComponent).join('/');
    const bytes = repo.files[file];
    if (!bytes) return void res.writeHead(404, { 'x-error-code': 'EntryNotFound', 'x-repo-commit': commit }).end();
    if (isLfs(file)) {
      const h = sha256(bytes);
      res.writeHead(302, {
        location: `/cdn/${h}`,
        'x-repo-commit': commit,
        'x-linked-etag': `"${h}"`,
        'x-linked-size': String(bytes.length),
        etag: `"${gitSha1(new TextEncoder().encode(`version https://git-lfs.github.com/spec/v1\noid sha256:${h}\n`))}"`,
      });
      return void res.end();
    }
    send(req, res, bytes, { 'x-repo-commit': commit, etag: `"${gitSha1(bytes)}"` }, file);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    cutNext: (file, bytes) => void cuts.set(file, bytes),
    corruptNext: (file) => void corrupt.add(file),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
