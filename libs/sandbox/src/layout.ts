/**
 * The bubblewrap allow-list layout (research/sandbox.md §1.2): only the interpreter, its stdlib,
 * shared libraries, a small /tmp, a tiny /dev/shm and the launcher; read-only root and /dev; every
 * namespace unshared (no network); no capabilities; an empty environment plus a few fixed
 * variables; the launcher as pid 1 so that wait4 sees the program's CPU time and so that the
 * programs cannot signal it.
 */
import type { HostInfo, ValgrindInfo } from './host.js';

export const SANDBOX_LAUNCHER_PATH = '/sandbox/launcher.py';
export const SANDBOX_PROGRAM_PATH = '/sandbox/main.py';
/** The uid and gid the program sees inside (nobody). */
export const INSIDE_UID = 65534;

export interface LayoutOptions {
  launcherHostPath: string;
  tmpMb: number;
  /** Extra read-only binds: host path → sandbox path. */
  binds?: Array<[string, string]>;
  valgrind?: ValgrindInfo;
}

/** Fixed environment of every sandbox (PYTHONHASHSEED fixed: hashing, hence timing, repeats). */
export const SANDBOX_ENV: Record<string, string> = {
  PATH: '/usr/bin',
  PYTHONHASHSEED: '0',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONIOENCODING: 'utf-8',
  LANG: 'C.UTF-8',
};

/** bwrap arguments up to (not including) the command to run inside. */
export function bwrapArgs(host: HostInfo, opts: LayoutOptions): string[] {
  const a: string[] = [
    '--unshare-all',
    '--die-with-parent',
    '--new-session',
    '--clearenv',
    '--unshare-user',
    '--uid',
    String(INSIDE_UID),
    '--gid',
    String(INSIDE_UID),
    '--disable-userns',
    '--cap-drop',
    'ALL',
  ];
  const py = host.python;
  a.push('--ro-bind', py.path, py.path);
  if (py.path !== '/usr/bin/python3') a.push('--ro-bind', py.path, '/usr/bin/python3');
  a.push('--ro-bind', py.stdlib, py.stdlib);
  for (const d of py.extraDirs) a.push('--ro-bind', d, d);
  for (const d of host.libDirs) a.push('--ro-bind', d, d);
  a.push('--symlink', 'usr/lib', '/lib', '--symlink', 'usr/bin', '/bin');
  if (host.libDirs.includes('/usr/lib64')) a.push('--symlink', 'usr/lib64', '/lib64');
  if (opts.valgrind) {
    a.push('--ro-bind', opts.valgrind.bin, opts.valgrind.bin);
    a.push('--ro-bind', opts.valgrind.libDir, opts.valgrind.libDir);
  }
  a.push('--size', String(opts.tmpMb * 1024 * 1024), '--tmpfs', '/tmp');
  a.push('--dev', '/dev', '--size', String(1024 * 1024), '--tmpfs', '/dev/shm', '--proc', '/proc');
  a.push('--ro-bind', opts.launcherHostPath, SANDBOX_LAUNCHER_PATH);
  for (const [from, to] of opts.binds ?? []) a.push('--ro-bind', from, to);
  a.push('--chdir', '/tmp');
  for (const [k, v] of Object.entries(SANDBOX_ENV)) a.push('--setenv', k, v);
  a.push('--remount-ro', '/', '--remount-ro', '/dev', '--as-pid-1');
  return a;
}
