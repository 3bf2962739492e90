/**
 * The context tags MLflow's Python client adds to every run it starts (DefaultRunContext and
 * GitRunContext): mlflow.user, mlflow.source.name, mlflow.source.type and, inside a git work tree,
 * mlflow.source.git.commit.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { MLFLOW_GIT_COMMIT, MLFLOW_SOURCE_NAME, MLFLOW_SOURCE_TYPE, MLFLOW_USER } from './tags.js';

/** Python's getpass.getuser(): LOGNAME, USER, LNAME, USERNAME, then the password database. */
export function currentUser(): string {
  for (const name of ['LOGNAME', 'USER', 'LNAME', 'USERNAME']) {
    const v = process.env[name];
    if (v) return v;
  }
  try {
    return os.userInfo().username;
  } catch {
    return 'unknown';
  }
}

const commitCache = new Map<string, string | undefined>();

/** HEAD of the git work tree holding `dir`, or undefined outside one (or without git). */
export function gitCommit(dir: string = process.cwd()): string | undefined {
  if (commitCache.has(dir)) return commitCache.get(dir);
  let commit: string | undefined;
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: dir,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 5000,
    }).trim();
    commit = /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
  } catch {
    commit = undefined;
  }
  commitCache.set(dir, commit);
  return commit;
}

export function defaultSourceTags(): Record<string, string> {
  const tags: Record<string, string> = {
    [MLFLOW_USER]: currentUser(),
    [MLFLOW_SOURCE_NAME]: process.argv[1] ?? 'node',
    [MLFLOW_SOURCE_TYPE]: 'LOCAL',
  };
  const commit = gitCommit();
  if (commit) tags[MLFLOW_GIT_COMMIT] = commit;
  return tags;
}
