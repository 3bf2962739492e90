/**
 * SandboxWorker: one bubblewrap sandbox running the launcher in `serve` mode, spoken to in JSON
 * lines. Spawned with an EMPTY environment (bwrap's own environment is readable inside through
 * /proc/1/environ otherwise) and, when the judge is root, as a dedicated non-root uid so that
 * RLIMIT_NPROC binds. A wall timeout is also enforced from out here: a worker that does not answer
 * in time is killed with its whole sandbox.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import type { HostInfo } from './host.js';
import { bwrapArgs, SANDBOX_LAUNCHER_PATH } from './layout.js';
import type { LauncherReply } from './types.js';

export interface LauncherRequest {
  code: string;
  input: string;
  kind: 'stdio' | 'call';
  fnName?: string;
  cpuSeconds: number;
  memoryMb: number;
  fileSizeMb: number;
  maxProcesses: number;
  outputLimitBytes: number;
  wallTimeoutMs: number;
  prelude: boolean;
}

export interface WorkerSpawnOptions {
  host: HostInfo;
  launcherPath: string;
  tmpMb: number;
  /** Host uid/gid to run the sandbox as (only when the judge is root). */
  uid?: number;
  gid?: number;
  /** Extra time the launcher gets beyond the test's wall timeout before it is killed from outside. */
  graceMs?: number;
}

export class WorkerDiedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

export class SandboxWorker {
  private buf = '';
  private stderrTail = '';
  private pending?: {
    id: number;
    resolve: (r: LauncherReply) => void;
    reject: (e: Error) => void;
    timer?: NodeJS.Timeout;
  };
  private nextId = 1;
  private exited = false;
  private exitInfo = '';
  private readyWaiter?: { resolve: () => void; reject: (e: Error) => void };
  /** The launcher's pid inside the sandbox (1) and the bwrap process id on the host. */
  readonly hostPid: number;

  private constructor(
    private readonly proc: ChildProcessWithoutNullStreams,
    private readonly graceMs: number,
  ) {
    this.hostPid = proc.pid ?? -1;
    proc.stdout.setEncoding('utf8');
    proc.stderr.setEncoding('utf8');
    proc.stdout.on('data', (d: string) => this.onData(d));
    proc.stderr.on('data', (d: string) => {
      this.stderrTail = (this.stderrTail + d).slice(-4000);
    });
    proc.stdin.on('error', () => undefined);
    proc.on('error', (e) => this.onExit(`could not start bwrap: ${e.message}`));
    proc.on('exit', (code, sig) => this.onExit(`sandbox exited (code ${code}, signal ${sig})`));
  }

  static async start(opts: WorkerSpawnOptions): Promise<SandboxWorker> {
    const args = [
      ...bwrapArgs(opts.host, { launcherHostPath: opts.launcherPath, tmpMb: opts.tmpMb }),
      opts.host.python.path,
      '-s',
      SANDBOX_LAUNCHER_PATH,
      'serve',
    ];
    const proc = spawn(opts.host.bwrap, args, {
      env: {},
      stdio: ['pipe', 'pipe', 'pipe'],
      ...(opts.uid !== undefined ? { uid: opts.uid, gid: opts.gid ?? opts.uid } : {}),
    }) as ChildProcessWithoutNullStreams;
    const w = new SandboxWorker(proc, opts.graceMs ?? 3000);
    await new Promise<void>((resolve, reject) => {
      w.readyWaiter = { resolve, reject };
      setTimeout(() => reject(new WorkerDiedError('sandbox did not start within 20 s')), 20_000).unref();
    });
    return w;
  }

  get alive(): boolean {
    return !this.exited;
  }

  private onData(d: string): void {
    this.buf += d;
    if (this.buf.length > 256 * 1024 * 1024) {
      this.kill();
      return;
    }
    let nl: number;
    while ((nl = this.buf.indexOf('\n')) >= 0) {
      const line = this.buf.slice(0, nl);
      this.buf = this.buf.slice(nl + 1);
      this.onLine(line);
    }
  }

  private onLine(line: string): void {
    let msg: LauncherReply & { ready?: boolean };
    try {
      msg = JSON.parse(line);
    } catch {
      this.stderrTail += `\nunparsable launcher line: ${line.slice(0, 200)}`;
      return;
    }
    if (msg.ready) {
      this.readyWaiter?.resolve();
      this.readyWaiter = undefined;
      return;
    }
    const p = this.pending;
    if (p && msg.id === p.id) {
      this.pending = undefined;
      if (p.timer) clearTimeout(p.timer);
      p.resolve(msg);
    }
  }

  private onExit(info: string): void {
    if (this.exited) return;
    this.exited = true;
    this.exitInfo = info;
    const err = new WorkerDiedError(
      `${info}${this.stderrTail ? `; stderr: ${this.stderrTail.trim().slice(-800)}` : ''}`,
    );
    this.readyWaiter?.reject(err);
    this.readyWaiter = undefined;
    const p = this.pending;
    this.pending = undefined;
    if (p) {
      if (p.timer) clearTimeout(p.timer);
      p.reject(err);
    }
  }

  /** Runs one test. Rejects with WorkerDiedError when the sandbox dies or stops answering. */
  run(req: LauncherRequest): Promise<LauncherReply> {
    if (this.exited) return Promise.reject(new WorkerDiedError(`worker is gone: ${this.exitInfo}`));
    if (this.pending) return Promise.reject(new Error('SandboxWorker.run: a test is already running on this worker'));
    const id = this.nextId++;
    return new Promise<LauncherReply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.stderrTail += `\nno answer within ${req.wallTimeoutMs + this.graceMs} ms: killed from outside`;
        this.kill();
      }, req.wallTimeoutMs + this.graceMs);
      this.pending = { id, resolve, reject, timer };
      this.proc.stdin.write(JSON.stringify({ ...req, id }) + '\n');
    });
  }

  /** Kills the sandbox (SIGKILL to bwrap; --die-with-parent takes everything inside down). */
  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  /** Kills the sandbox and waits until bwrap has exited. */
  async terminate(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.kill();
    await done;
  }

  /** Ends the worker politely (EOF on its input), killing it if it lingers. */
  async close(): Promise<void> {
    if (this.exited) return;
    const done = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.stdin.end();
    const t = setTimeout(() => this.kill(), 2000);
    await done;
    clearTimeout(t);
  }
}
