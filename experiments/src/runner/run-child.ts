/**
 * One run as a child `ecode run` process, as `ecode sweep` and `ecode worker` start it: its output
 * goes to `runs/<hash>/log.txt` and, line by line, to the caller.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ECODE_BIN = resolve(dirname(fileURLToPath(import.meta.url)), '../../bin/ecode.js');

export interface RunChildRequest {
  /** The run's resolved config.json. */
  configPath: string;
  name: string;
  variant: string;
  sweep: string;
  runsDir: string;
  logPath: string;
  /** Extra MLflow tags (`--tag key=value`), e.g. the overrides as given and the grid point. */
  tags?: Record<string, string>;
  /** Lines the child printed (stdout and stderr), without the line ends. */
  onLines?: (lines: string[]) => void;
  /**
   * Own process group (a Ctrl-C at the terminal reaches only the parent, which decides) and an
   * IPC channel whose closing tells the child that its parent died (`ecode run` then exits at
   * once, so a killed worker leaves no run behind).
   */
  supervised?: boolean;
  /** `--grace-seconds` of the run (how long it may take to checkpoint after a signal). */
  graceSeconds?: number;
}

export interface RunChild {
  child: ChildProcess;
  /** The exit code (130 when it died of a signal). */
  done: Promise<number>;
}

export function spawnEcodeRun(req: RunChildRequest): RunChild {
  const logFile = createWriteStream(req.logPath, { flags: 'a' });
  const child = spawn(
    process.execPath,
    [
      ECODE_BIN,
      'run',
      req.configPath,
      '--name',
      req.name,
      '--variant',
      req.variant,
      '--sweep',
      req.sweep,
      '--runs-dir',
      req.runsDir,
      ...Object.entries(req.tags ?? {}).flatMap(([k, v]) => ['--tag', `${k}=${v}`]),
      ...(req.graceSeconds !== undefined ? ['--grace-seconds', String(req.graceSeconds)] : []),
    ],
    {
      stdio: req.supervised ? ['ignore', 'pipe', 'pipe', 'ipc'] : ['ignore', 'pipe', 'pipe'],
      detached: Boolean(req.supervised),
      env: process.env,
      cwd: process.cwd(),
    },
  );
  const onData = (buf: Buffer) => {
    logFile.write(buf);
    const lines = buf
      .toString()
      .split(/[\r\n]+/)
      .filter((l) => l.trim());
    if (lines.length > 0) req.onLines?.(lines);
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const done = new Promise<number>((res) => {
    child.on('error', (err) => {
      logFile.write(`cannot start ecode run: ${err.message}\n`);
    });
    child.on('close', (code, sig) => {
      logFile.end(() => res(code ?? (sig ? 130 : 1)));
    });
  });
  return { child, done };
}

/**
 * Stops a supervised run: `signal` to `ecode run` itself (it stops at its next micro-batch and
 * writes a checkpoint; the sandboxed programs it may be judging are left to finish, so no result
 * is spoilt by the signal), then SIGKILL to its whole process group once `graceMs` is over, or at
 * once with `graceMs` 0. `onKill` hears of the SIGKILL.
 */
export function stopRunChild(child: ChildProcess, signal: NodeJS.Signals, graceMs: number, onKill?: () => void): void {
  const running = () => child.exitCode === null && child.signalCode === null;
  const kill = () => {
    if (!running()) return;
    onKill?.();
    try {
      process.kill(-child.pid!, 'SIGKILL'); // its own group (spawned detached): sandboxes too
    } catch {
      child.kill('SIGKILL');
    }
  };
  if (graceMs <= 0) {
    kill();
    return;
  }
  if (running()) child.kill(signal);
  const timer = setTimeout(kill, graceMs);
  child.once('close', () => clearTimeout(timer));
}
