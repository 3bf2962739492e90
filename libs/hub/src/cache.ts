/**
 * The huggingface_hub cache layout: `<cache>/models--<org>--<name>/` with `blobs/<etag>`,
 * `snapshots/<commit>/<path>` (relative symlinks to the blobs), `refs/<revision>` (a commit hash)
 * and `.no_exist/<commit>/<path>` (a file the Hub answered 404 for).
 */
import { existsSync, mkdirSync, readFileSync, renameSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { COMMIT_HASH } from './hub-id.js';

/** `models--<org>--<name>` (as huggingface_hub and @huggingface/hub's getRepoFolderName name it). */
export function repoFolder(cacheDir: string, repo: string): string {
  return join(cacheDir, ['models', ...repo.split('/')].join('--'));
}

/** The commit a revision names in the cache: itself when it is a commit hash, else `refs/<rev>`. */
export function cachedCommit(folder: string, revision: string): string | undefined {
  if (COMMIT_HASH.test(revision)) return revision;
  try {
    const c = readFileSync(join(folder, 'refs', revision), 'utf8').trim();
    return COMMIT_HASH.test(c) ? c : undefined;
  } catch {
    return undefined;
  }
}

export function snapshotPath(folder: string, commit: string, file: string): string {
  return join(folder, 'snapshots', commit, file);
}

export function noExistPath(folder: string, commit: string, file: string): string {
  return join(folder, '.no_exist', commit, file);
}

export function writeRef(folder: string, revision: string, commit: string): void {
  if (revision === commit) return;
  const ref = join(folder, 'refs', revision);
  mkdirSync(dirname(ref), { recursive: true });
  if (existsSync(ref) && readFileSync(ref, 'utf8').trim() === commit) return;
  const tmp = `${ref}.${process.pid}.tmp`;
  writeFileSync(tmp, commit);
  renameSync(tmp, ref);
}

/** `snapshots/<commit>/<file>` -> `../../blobs/<etag>` (relative, as huggingface_hub makes it). */
export function linkSnapshot(folder: string, commit: string, file: string, etag: string): string {
  const target = snapshotPath(folder, commit, file);
  mkdirSync(dirname(target), { recursive: true });
  if (existsSync(target)) unlinkSync(target);
  symlinkSync(relative(dirname(target), join(folder, 'blobs', etag)), target);
  return target;
}

export function markNoExist(folder: string, commit: string, file: string): void {
  const p = noExistPath(folder, commit, file);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, '');
}
