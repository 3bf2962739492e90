/**
 * Hub ids: `hf:<org>/<name>[@<rev>]` names a whole model repo, `hf:<org>/<name>[@<rev>]/<path>` one
 * file of it. Anything else is a local path.
 */

export interface HubId {
  /** `org/name`. */
  repo: string;
  /** Branch, tag or commit; undefined = `main`. */
  revision?: string;
  /** A file inside the repo; undefined = the whole repo. */
  file?: string;
}

export const HUB_PREFIX = 'hf:';
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const REV = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
export const COMMIT_HASH = /^[0-9a-f]{40}$/;

export function isHubId(s: string): boolean {
  return s.startsWith(HUB_PREFIX);
}

/** Parses a hub id; throws an error naming `where` and what is wrong. */
export function parseHubId(s: string, where = 'hub id'): HubId {
  if (!isHubId(s)) throw new Error(`${where}: '${s}' is not a hub id (expected hf:<org>/<name>[@<rev>][/<file>])`);
  const parts = s.slice(HUB_PREFIX.length).split('/');
  if (parts.length < 2 || parts[0] === '' || parts[1] === '')
    throw new Error(`${where}: '${s}' must name a repo as hf:<org>/<name>[@<rev>][/<file>]`);
  const org = parts[0];
  const [name, revision, extra] = parts[1].split('@');
  if (extra !== undefined) throw new Error(`${where}: '${s}' has more than one '@'`);
  for (const [what, v] of [
    ['organisation', org],
    ['repo name', name],
  ] as const)
    if (!NAME.test(v) || v.includes('..'))
      throw new Error(`${where}: '${s}': ${what} '${v}' may hold only letters, digits, '.', '_' and '-'`);
  if (revision !== undefined && !REV.test(revision))
    throw new Error(`${where}: '${s}': revision '${revision}' may hold only letters, digits, '.', '_' and '-'`);
  const rest = parts.slice(2);
  if (rest.some((p) => p === '' || p === '.' || p === '..'))
    throw new Error(`${where}: '${s}': the file path has an empty, '.' or '..' part`);
  return { repo: `${org}/${name}`, revision, file: rest.length ? rest.join('/') : undefined };
}

export function formatHubId(id: HubId): string {
  return `${HUB_PREFIX}${id.repo}${id.revision ? `@${id.revision}` : ''}${id.file ? `/${id.file}` : ''}`;
}
