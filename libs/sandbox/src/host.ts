/**
 * What the host offers: bubblewrap, the Python interpreter (its real path, version and stdlib)
 * and valgrind. A missing tool is an error that says what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, realpathSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

export class MissingToolError extends Error {
  constructor(
    readonly tool: string,
    readonly install: string,
    why: string,
  ) {
    super(`${tool} is required by @ecode/sandbox but ${why}: install it with \`${install}\``);
    this.name = 'MissingToolError';
  }
}

export interface PythonInfo {
  /** Real path of the interpreter binary (no symlinks, never a pyenv shim). */
  path: string;
  version: string;
  /** The stdlib folder, bound read-only into the sandbox. */
  stdlib: string;
  /** Folders the interpreter needs besides its stdlib (libpython, when shared). */
  extraDirs: string[];
}

export interface HostInfo {
  bwrap: string;
  python: PythonInfo;
  /** Shared-library folders bound into the sandbox. */
  libDirs: string[];
}

export interface ValgrindInfo {
  /** The real valgrind binary (the `valgrind` wrapper is a shell script, absent in the sandbox). */
  bin: string;
  /** Its tools folder. */
  libDir: string;
}

function findOnPath(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), '/usr/bin', '/bin', '/usr/local/bin', ...extra];
  for (const d of dirs) {
    const p = join(d, name);
    if (existsSync(p)) return p;
  }
  return undefined;
}

export function findBwrap(): string {
  const p = findOnPath('bwrap');
  if (!p)
    throw new MissingToolError('bubblewrap (bwrap)', 'apt-get install -y bubblewrap', 'no bwrap binary is on PATH');
  return p;
}

const pythonCache = new Map<string, PythonInfo>();

export function findPython(pythonPath = '/usr/bin/python3'): PythonInfo {
  const hit = pythonCache.get(pythonPath);
  if (hit) return hit;
  if (!existsSync(pythonPath)) {
    throw new MissingToolError('python3', 'apt-get install -y python3', `${pythonPath} does not exist`);
  }
  const real = realpathSync(pythonPath);
  const r = spawnSync(
    real,
    ['-s', '-S', '-c', 'import sys,sysconfig;print(sys.version.split()[0]);print(sysconfig.get_paths()["stdlib"])'],
    { encoding: 'utf8', env: {}, timeout: 20_000 },
  );
  if (r.status !== 0) {
    throw new MissingToolError(
      'python3',
      'apt-get install -y python3',
      `${real} did not run (${r.stderr || r.error?.message || r.status})`,
    );
  }
  const [version, stdlib] = r.stdout.trim().split('\n');
  if (/shims/.test(real) || !/ELF/.test(fileHead(real))) {
    throw new MissingToolError(
      'python3',
      'apt-get install -y python3',
      `${real} is not an ELF binary (a pyenv shim?); pass a real interpreter`,
    );
  }
  const extraDirs: string[] = [];
  const prefixLib = join(dirname(dirname(real)), 'lib');
  if (!prefixLib.startsWith('/usr/') && existsSync(prefixLib)) {
    if (readdirSync(prefixLib).some((f) => f.startsWith('libpython'))) extraDirs.push(prefixLib);
  }
  const info: PythonInfo = { path: real, version, stdlib, extraDirs };
  pythonCache.set(pythonPath, info);
  return info;
}

function fileHead(path: string): string {
  const r = spawnSync('head', ['-c', '4', path], { encoding: 'latin1' });
  return r.stdout ?? '';
}

export function libDirs(): string[] {
  return ['/usr/lib/x86_64-linux-gnu', '/usr/lib/aarch64-linux-gnu', '/usr/lib64'].filter((d) => existsSync(d));
}

export function detectHost(pythonPath?: string): HostInfo {
  return { bwrap: findBwrap(), python: findPython(pythonPath), libDirs: libDirs() };
}

export function findValgrind(): ValgrindInfo {
  const wrapper = findOnPath('valgrind');
  const bin =
    ['/usr/bin/valgrind.bin', '/usr/libexec/valgrind/valgrind.bin'].find((p) => existsSync(p)) ??
    (wrapper && existsSync(`${wrapper}.bin`) ? `${wrapper}.bin` : wrapper);
  const libDir = ['/usr/libexec/valgrind', '/usr/lib/x86_64-linux-gnu/valgrind', '/usr/lib/valgrind'].find(
    (d) => existsSync(join(d, 'cachegrind-amd64-linux')) || existsSync(join(d, 'cachegrind-arm64-linux')),
  );
  if (!bin || !libDir) {
    throw new MissingToolError(
      'valgrind',
      'apt-get install -y valgrind',
      'it was not found (needed for costMeasure: instructions)',
    );
  }
  return { bin: realpathSync(bin), libDir };
}
