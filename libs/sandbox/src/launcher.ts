/**
 * The Python launcher shipped with this lib (python/launcher.py), copied once to a world-readable
 * folder so that the sandbox's unprivileged uid can bind it wherever the repository lives.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SOURCE = fileURLToPath(new URL('../python/launcher.py', import.meta.url));

let installed: { path: string; hash: string } | undefined;

export function launcherSource(): string {
  return readFileSync(SOURCE, 'utf8');
}

/** Path of a readable copy of launcher.py and the hash of its text (part of every cache key). */
export function installLauncher(): { path: string; hash: string } {
  if (installed && existsSync(installed.path)) return installed;
  const text = launcherSource();
  const hash = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const dir = join(tmpdir(), `ecode-sandbox-${hash}`);
  const path = join(dir, 'launcher.py');
  if (!existsSync(path)) {
    mkdirSync(dir, { recursive: true });
    chmodSync(dir, 0o755);
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, text, { mode: 0o644 });
    chmodSync(tmp, 0o644);
    renameSync(tmp, path);
  }
  installed = { path, hash };
  return installed;
}
