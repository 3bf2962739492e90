/**
 * Deterministic cost: valgrind's instruction count (cachegrind `I refs`) of one interpreter running
 * the program once, inside the same sandbox layout (same argv, environment, cwd and
 * PYTHONHASHSEED=0, so the count repeats exactly), with the empty program's count subtracted.
 */
import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostInfo, ValgrindInfo } from './host.js';
import { bwrapArgs, SANDBOX_LAUNCHER_PATH, SANDBOX_PROGRAM_PATH } from './layout.js';
import type { SandboxOptions, SandboxTest } from './types.js';

export interface InstructionRun {
  /** Instructions of the whole run (interpreter start, launcher, program). */
  instructions: number;
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  stdout: string;
  stderr: string;
}

export interface InstructionRunOptions {
  host: HostInfo;
  valgrind: ValgrindInfo;
  launcherPath: string;
  limits: SandboxOptions;
  tmpMb: number;
  prelude: boolean;
  uid?: number;
  /** valgrind runs ~20-80x slower than the program: the CPU and wall limits are scaled by this. */
  slowdown?: number;
}

const IREFS = /==1==\s+I\s+refs:\s+([\d,]+)/;

export async function runUnderCachegrind(
  code: string,
  test: SandboxTest,
  o: InstructionRunOptions,
): Promise<InstructionRun> {
  const dir = mkdtempSync(join(tmpdir(), 'ecode-sbx-ir-'));
  chmodSync(dir, 0o755);
  const prog = join(dir, 'main.py');
  writeFileSync(prog, code, { mode: 0o644 });
  chmodSync(prog, 0o644);
  const slowdown = o.slowdown ?? 60;
  const limits = {
    cpuSeconds: Math.ceil(o.limits.cpuSeconds * slowdown + 10),
    fileSizeMb: o.limits.fileSizeMb,
    maxProcesses: o.limits.maxProcesses,
    prelude: o.prelude,
  };
  const args = [
    ...bwrapArgs(o.host, {
      launcherHostPath: o.launcherPath,
      tmpMb: o.tmpMb,
      valgrind: o.valgrind,
      binds: [[prog, SANDBOX_PROGRAM_PATH]],
    }),
    o.valgrind.bin,
    '--tool=cachegrind',
    '--cache-sim=no',
    '--cachegrind-out-file=/dev/null',
    '--log-fd=3',
    o.host.python.path,
    '-s',
    SANDBOX_LAUNCHER_PATH,
    'once',
    SANDBOX_PROGRAM_PATH,
    test.kind ?? 'stdio',
    test.fnName ?? '',
    JSON.stringify(limits),
  ];
  try {
    return await new Promise<InstructionRun>((resolve, reject) => {
      const proc = spawn(o.host.bwrap, args, {
        env: {},
        stdio: ['pipe', 'pipe', 'pipe', 'pipe'],
        ...(o.uid !== undefined ? { uid: o.uid, gid: o.uid } : {}),
      });
      let stdout = '';
      let stderr = '';
      let log = '';
      const cap = o.limits.outputLimitKb * 1024;
      let timedOut = false;
      proc.stdout!.setEncoding('utf8').on('data', (d: string) => {
        if (stdout.length < cap) stdout += d;
        else proc.kill('SIGKILL');
      });
      proc.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr = (stderr + d).slice(-4000)));
      (proc.stdio[3] as NodeJS.ReadableStream).setEncoding('utf8');
      (proc.stdio[3] as NodeJS.ReadableStream).on('data', (d: string) => (log += d));
      const timer = setTimeout(
        () => {
          timedOut = true;
          proc.kill('SIGKILL');
        },
        (o.limits.wallTimeoutSeconds * slowdown + 15) * 1000,
      );
      proc.stdin!.on('error', () => undefined);
      proc.stdin!.end(test.input ?? '');
      proc.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      proc.on('close', (codeRc, sig) => {
        clearTimeout(timer);
        const m = IREFS.exec(log);
        if (!m && !timedOut && codeRc !== 0) {
          resolve({
            instructions: NaN,
            exitCode: codeRc,
            signal: sig,
            timedOut,
            stdout,
            stderr: `${stderr}\n${log}`.trim().slice(-2000),
          });
          return;
        }
        resolve({
          instructions: m ? Number(m[1].replace(/,/g, '')) : NaN,
          exitCode: codeRc,
          signal: sig,
          timedOut,
          stdout,
          stderr,
        });
      });
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
