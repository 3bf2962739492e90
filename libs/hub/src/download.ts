/**
 * Files of Hub model repos, through the shared Hugging Face cache, with huggingface_hub's protocol:
 * a HEAD on `<endpoint>/<repo>/resolve/<rev>/<file>` gives the commit (`X-Repo-Commit`), the blob id
 * (`X-Linked-Etag` or `ETag`) and the size (`X-Linked-Size` or `Content-Length`), following
 * same-origin redirects (renamed repos) and stopping at a CDN redirect, whose target is then
 * downloaded. Bytes go to `blobs/<etag>.incomplete` (resumed with a Range request next time), are
 * checked against the size and the etag (sha256 for LFS files, git's blob sha1 otherwise) and only
 * then renamed to `blobs/<etag>` and linked from `snapshots/<commit>/<file>`.
 */
import { createHash } from 'node:crypto';
import {
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  closeSync,
  readFileSync,
  rmSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { cachedCommit, linkSnapshot, markNoExist, noExistPath, repoFolder, snapshotPath, writeRef } from './cache.js';
import { hubSettings, type HubSettings } from './env.js';
import { COMMIT_HASH, formatHubId, type HubId } from './hub-id.js';
import { DownloadProgress, formatBytes, type ProgressStream } from './progress.js';

export type HubErrorCode =
  'offline-missing' | 'gated' | 'not-found' | 'network' | 'integrity' | 'interrupted' | 'protocol';

export class HubError extends Error {
  constructor(
    readonly code: HubErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'HubError';
  }
}

export interface HubOptions {
  /** Default: `hubSettings()` (the environment). */
  settings?: HubSettings;
  /** Where the progress line goes (default process.stderr); null = none. */
  progress?: ProgressStream | null;
  /** Files at least this large get a progress line (default 10 MiB). */
  progressMinBytes?: number;
  fetch?: typeof fetch;
}

export interface HubFile {
  /** The snapshot path (a symlink into `blobs/`). */
  path: string;
  repo: string;
  /** The revision asked for (default `main`). */
  revision: string;
  /** The commit it resolved to. */
  commit: string;
  file: string;
  size: number;
  /** Bytes fetched now (0 = from the cache). */
  downloaded: number;
}

interface Metadata {
  commit: string;
  etag: string;
  size: number;
  location: string;
}

function normalizeEtag(e: string | null): string | undefined {
  if (!e) return undefined;
  return e.replace(/^W\//, '').replace(/^"|"$/g, '');
}

function fileUrl(endpoint: string, repo: string, revision: string, file: string): string {
  return `${endpoint}/${repo}/resolve/${encodeURIComponent(revision)}/${file.split('/').map(encodeURIComponent).join('/')}`;
}

function authHeaders(url: string, s: HubSettings): Record<string, string> {
  return s.token && new URL(url).origin === new URL(s.endpoint).origin ? { authorization: `Bearer ${s.token}` } : {};
}

/** The HEAD request; `missing` when the repo has no such file (404 EntryNotFound). */
async function fetchMetadata(
  id: Required<Pick<HubId, 'repo' | 'file'>> & { revision: string },
  s: HubSettings,
  doFetch: typeof fetch,
): Promise<Metadata | { missing: true; commit?: string }> {
  const shown = formatHubId(id);
  let url = fileUrl(s.endpoint, id.repo, id.revision, id.file);
  for (let hop = 0; hop < 10; hop++) {
    const r = await doFetch(url, {
      method: 'HEAD',
      redirect: 'manual',
      headers: { 'accept-encoding': 'identity', ...authHeaders(url, s) },
    });
    const location = r.headers.get('location');
    if (r.status >= 300 && r.status < 400 && location) {
      const next = new URL(location, url).toString();
      // A CDN redirect carries the metadata; same-origin redirects (renamed repos) are followed.
      if (new URL(next).origin !== new URL(url).origin || r.headers.get('x-repo-commit'))
        return metadataFrom(r, next, shown);
      url = next;
      continue;
    }
    if (r.status === 401 || r.status === 403)
      throw new HubError(
        'gated',
        `${shown}: the Hub answered ${r.status} (${r.headers.get('x-error-message') ?? 'gated or private repo'}); ` +
          (s.token
            ? 'the token in HF_TOKEN / the token file has no access to it: accept its terms on the Hub or use another token'
            : 'set HF_TOKEN (or log in with `huggingface-cli login`, which writes $HF_HOME/token) with access to it'),
      );
    if (r.status === 404) {
      const code = r.headers.get('x-error-code');
      const commit = r.headers.get('x-repo-commit') ?? undefined;
      if (code === 'EntryNotFound')
        return { missing: true, commit: commit && COMMIT_HASH.test(commit) ? commit : undefined };
      throw new HubError(
        'not-found',
        code === 'RevisionNotFound'
          ? `${shown}: revision '${id.revision}' does not exist in ${id.repo}`
          : `${shown}: repository ${id.repo} not found at ${s.endpoint} (${code ?? '404'})`,
      );
    }
    if (!r.ok) throw new HubError('protocol', `${shown}: HEAD ${url} answered ${r.status} ${r.statusText}`);
    return metadataFrom(r, url, shown);
  }
  throw new HubError('protocol', `${shown}: more than 10 redirects`);
}

function metadataFrom(r: Response, location: string, shown: string): Metadata {
  const commit = r.headers.get('x-repo-commit') ?? '';
  const etag = normalizeEtag(r.headers.get('x-linked-etag') ?? r.headers.get('etag'));
  const size = Number(r.headers.get('x-linked-size') ?? r.headers.get('content-length'));
  if (!COMMIT_HASH.test(commit)) throw new HubError('protocol', `${shown}: the Hub sent no commit (X-Repo-Commit)`);
  if (!etag || !/^[A-Za-z0-9._-]+$/.test(etag))
    throw new HubError('protocol', `${shown}: the Hub sent no usable ETag / X-Linked-Etag`);
  if (!Number.isInteger(size) || size < 0) throw new HubError('protocol', `${shown}: the Hub sent no size`);
  return { commit, etag, size, location };
}

async function fileHash(path: string, algo: 'sha256' | 'sha1', prefix?: string): Promise<string> {
  const h = createHash(algo);
  if (prefix) h.update(prefix);
  for await (const chunk of createReadStream(path)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/** Checks a complete blob against its etag: sha256 (LFS) or git's blob sha1; other etags: size only. */
async function verify(path: string, etag: string, size: number): Promise<string | undefined> {
  if (/^[0-9a-f]{64}$/.test(etag)) {
    const got = await fileHash(path, 'sha256');
    return got === etag ? undefined : `sha256 ${got} differs from the Hub's ${etag}`;
  }
  if (/^[0-9a-f]{40}$/.test(etag)) {
    const got = await fileHash(path, 'sha1', `blob ${size}\0`);
    return got === etag ? undefined : `git blob sha1 ${got} differs from the Hub's ${etag}`;
  }
  return undefined;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * One downloader per blob, across processes (a sweep's runs start side by side): `<blob>.lock`
 * holds the downloader's pid; the others wait for the blob (or take over a dead process's lock).
 * `undefined` = another process downloaded it.
 */
async function withBlobLock<T>(blob: string, fn: () => Promise<T>): Promise<T | undefined> {
  const lock = `${blob}.lock`;
  mkdirSync(dirname(blob), { recursive: true });
  for (;;) {
    try {
      const fd = openSync(lock, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      let pid = NaN;
      try {
        pid = Number(readFileSync(lock, 'utf8'));
      } catch {
        continue; // released meanwhile
      }
      if (Number.isInteger(pid) && pid > 0 && !alive(pid)) {
        rmSync(lock, { force: true });
        continue;
      }
      await new Promise((r) => setTimeout(r, 100));
      if (existsSync(blob)) return undefined;
    }
  }
  try {
    return existsSync(blob) ? undefined : await fn();
  } finally {
    rmSync(lock, { force: true });
  }
}

async function downloadBlob(
  meta: Metadata,
  blob: string,
  label: string,
  s: HubSettings,
  opts: HubOptions,
  doFetch: typeof fetch,
): Promise<number> {
  const incomplete = `${blob}.incomplete`;
  mkdirSync(dirname(blob), { recursive: true });
  let have = existsSync(incomplete) ? statSync(incomplete).size : 0;
  if (have > meta.size) {
    unlinkSync(incomplete);
    have = 0;
  }
  const headers: Record<string, string> = { 'accept-encoding': 'identity', ...authHeaders(meta.location, s) };
  if (have > 0) headers.range = `bytes=${have}-`;
  let r: Response;
  try {
    r = await doFetch(meta.location, { headers, redirect: 'follow' });
  } catch (e) {
    throw new HubError('network', `${label}: cannot download from ${meta.location}: ${(e as Error).message}`);
  }
  if (r.status === 416 && have === meta.size) {
    // Already complete: fall through to the checks.
  } else if (!r.ok || !r.body) {
    throw new HubError('protocol', `${label}: GET ${meta.location} answered ${r.status} ${r.statusText}`);
  } else if (have > 0 && r.status !== 206) {
    have = 0; // the server ignored the range: start again
  }
  const fd = openSync(incomplete, have > 0 ? 'a' : 'w');
  const start = have;
  const minBytes = opts.progressMinBytes ?? 10 * 1024 * 1024;
  const out = opts.progress === undefined ? process.stderr : opts.progress;
  const progress = out && meta.size >= minBytes ? new DownloadProgress(out, label, meta.size, have) : undefined;
  try {
    if (r.status !== 416 && r.body)
      for await (const chunk of r.body as unknown as AsyncIterable<Uint8Array>) {
        writeSync(fd, chunk);
        have += chunk.byteLength;
        progress?.update(have);
      }
  } catch (e) {
    throw new HubError(
      'interrupted',
      `${label}: download interrupted after ${formatBytes(have)} of ${formatBytes(meta.size)} (${(e as Error).message}); ` +
        `the partial file ${incomplete} is never used as it is: run again to resume it`,
    );
  } finally {
    closeSync(fd);
  }
  progress?.finish(have);
  if (have < meta.size)
    throw new HubError(
      'interrupted',
      `${label}: the connection closed after ${formatBytes(have)} of ${formatBytes(meta.size)}; ` +
        `the partial file ${incomplete} is never used as it is: run again to resume it`,
    );
  const bad =
    have > meta.size ? `${have} bytes, the Hub said ${meta.size}` : await verify(incomplete, meta.etag, meta.size);
  if (bad) {
    unlinkSync(incomplete);
    throw new HubError(
      'integrity',
      `${label}: the downloaded file is not the Hub's (${bad}); it was deleted, run again`,
    );
  }
  renameSync(incomplete, blob);
  return have - start;
}

function offlineMissing(id: HubId, folder: string, why: string): HubError {
  return new HubError(
    'offline-missing',
    `${formatHubId(id)}: HF_HUB_OFFLINE is set and ${why} (cache: ${folder}); ` +
      'download it once online (unset HF_HUB_OFFLINE) or copy a huggingface_hub cache there',
  );
}

function fromCache(folder: string, repo: string, revision: string, file: string): HubFile | 'no-exist' | undefined {
  const commit = cachedCommit(folder, revision);
  if (!commit) return undefined;
  const p = snapshotPath(folder, commit, file);
  if (existsSync(p)) return { path: p, repo, revision, commit, file, size: statSync(p).size, downloaded: 0 };
  if (existsSync(noExistPath(folder, commit, file))) return 'no-exist';
  return undefined;
}

/**
 * One file of a Hub repo, from the cache or downloaded into it. `optional`: a file the repo does
 * not have gives `undefined` (and is remembered as huggingface_hub does, under `.no_exist/`)
 * instead of an error.
 */
export async function hubFile(id: HubId, opts: HubOptions & { optional: true }): Promise<HubFile | undefined>;
export async function hubFile(id: HubId, opts?: HubOptions & { optional?: false }): Promise<HubFile>;
export async function hubFile(id: HubId, opts: HubOptions & { optional?: boolean } = {}): Promise<HubFile | undefined> {
  if (!id.file) throw new Error(`hubFile: ${formatHubId(id)} names no file`);
  const s = opts.settings ?? hubSettings();
  const doFetch = opts.fetch ?? fetch;
  const revision = id.revision ?? 'main';
  const file = id.file;
  const folder = repoFolder(s.cacheDir, id.repo);
  const cached = fromCache(folder, id.repo, revision, file);
  const missing = (): undefined => {
    if (opts.optional) return undefined;
    throw new HubError('not-found', `${formatHubId(id)}: ${id.repo} has no file '${file}' at ${revision}`);
  };
  if (s.offline || (cached && COMMIT_HASH.test(revision))) {
    if (cached === 'no-exist') return missing();
    if (cached) return cached;
    throw offlineMissing(id, folder, `${file} of ${id.repo}@${revision} is not in the cache`);
  }
  let meta: Metadata | { missing: true; commit?: string };
  try {
    meta = await fetchMetadata({ repo: id.repo, revision, file }, s, doFetch);
  } catch (e) {
    if (e instanceof HubError) throw e;
    // Unreachable Hub: huggingface_hub falls back to the cache too.
    if (cached === 'no-exist') return missing();
    if (cached) return cached;
    throw new HubError(
      'network',
      `${formatHubId(id)}: cannot reach ${s.endpoint} (${(e as Error).message}); ` +
        'set HF_ENDPOINT for a mirror, or HF_HUB_OFFLINE=1 to use the cache only',
    );
  }
  if ('missing' in meta) {
    const commit = meta.commit ?? cachedCommit(folder, revision);
    if (commit) {
      writeRef(folder, revision, commit);
      markNoExist(folder, commit, file);
    }
    return missing();
  }
  writeRef(folder, revision, meta.commit);
  const snap = snapshotPath(folder, meta.commit, file);
  const result = { repo: id.repo, revision, commit: meta.commit, file, size: meta.size };
  if (existsSync(snap)) return { ...result, path: snap, downloaded: 0 };
  const blob = join(folder, 'blobs', meta.etag);
  let downloaded = 0;
  if (!existsSync(blob))
    downloaded =
      (await withBlobLock(blob, () => downloadBlob(meta, blob, `${id.repo}/${file}`, s, opts, doFetch))) ?? 0;
  return { ...result, path: linkSnapshot(folder, meta.commit, file, meta.etag), downloaded };
}
