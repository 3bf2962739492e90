/**
 * Tests only: an `ecode` child process whose output can be awaited (`waitFor` a pattern), used by
 * the worker tests and the queue e2e.
 */
import { spawn } from 'node:child_process';
import { ECODE_BIN } from '../runner/run-child.js';

export interface EcodeProcess {
  pid: number;
  /** Exit code (137 when killed by SIGKILL, -1 for another signal). */
  code: Promise<number>;
  out: () => string;
  kill: (sig: NodeJS.Signals) => void;
  /** The first match of `re` in the output so far or to come; rejects after `ms` or once the process has exited without it. */
  waitFor: (re: RegExp, ms?: number) => Promise<RegExpExecArray>;
}

export function spawnEcode(args: string[], cwd: string, options: { waitMs?: number } = {}): EcodeProcess {
  const child = spawn(process.execPath, [ECODE_BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const code = new Promise<number>((res) => child.on('close', (c, sig) => res(c ?? (sig === 'SIGKILL' ? 137 : -1))));
  return {
    pid: child.pid!,
    code,
    out: () => out,
    kill: (sig) => child.kill(sig),
    async waitFor(re, ms = options.waitMs ?? 60_000) {
      const t0 = Date.now();
      for (;;) {
        const m = re.exec(out);
        if (m) return m;
        if (Date.now() - t0 > ms || child.exitCode !== null || child.signalCode !== null)
          throw new Error(`no ${re} within ${ms} ms in:\n${out}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}
