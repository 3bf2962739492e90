/**
 * SandboxPool: `concurrency` slots, each with its own non-root uid. In `pool` mode a slot keeps
 * one long-lived sandbox whose launcher forks per test (restarted when a test takes it down; that
 * test is a runtime error). In `strict` mode every test gets a fresh sandbox. Results stream in
 * the order tests finish.
 */
import type { HostInfo } from './host.js';
import { SandboxWorker, WorkerDiedError, type LauncherRequest } from './worker.js';
import type { LauncherReply, SandboxMode } from './types.js';

export interface PoolOptions {
  host: HostInfo;
  launcherPath: string;
  mode: SandboxMode;
  concurrency: number;
  tmpMb: number;
  /** When running as root, slot i runs as uid/gid uidBase + i. */
  uidBase: number;
}

export interface PoolReply {
  reply: LauncherReply;
  /** The sandbox died during the test (the next test gets a fresh one). */
  workerDied: boolean;
  slot: number;
}

interface Slot {
  index: number;
  worker?: SandboxWorker;
  busy: boolean;
}

export class SandboxPool {
  private readonly slots: Slot[];
  private readonly waiting: Array<(slot: Slot) => void> = [];
  private closed = false;
  /** How many sandboxes were started (pool restarts and strict launches). */
  started = 0;

  constructor(private readonly opts: PoolOptions) {
    if (!Number.isInteger(opts.concurrency) || opts.concurrency < 1) {
      throw new Error(`SandboxPool: concurrency must be a positive integer, got ${opts.concurrency}`);
    }
    this.slots = Array.from({ length: opts.concurrency }, (_, index) => ({ index, busy: false }));
  }

  private uidFor(slot: Slot): { uid?: number; gid?: number } {
    if (typeof process.getuid === 'function' && process.getuid() === 0) {
      const id = this.opts.uidBase + slot.index;
      return { uid: id, gid: id };
    }
    return {};
  }

  private acquire(): Promise<Slot> {
    const free = this.slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(slot: Slot): void {
    const next = this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }

  private async startWorker(slot: Slot): Promise<SandboxWorker> {
    this.started++;
    return SandboxWorker.start({
      host: this.opts.host,
      launcherPath: this.opts.launcherPath,
      tmpMb: this.opts.tmpMb,
      ...this.uidFor(slot),
    });
  }

  /** The live worker of a slot (pool mode), for tests and diagnostics. */
  workerOf(slotIndex: number): SandboxWorker | undefined {
    return this.slots[slotIndex]?.worker;
  }

  /** Runs one request on the next free slot. */
  async run(req: LauncherRequest): Promise<PoolReply> {
    if (this.closed) throw new Error('SandboxPool.run: the pool is closed');
    const slot = await this.acquire();
    try {
      if (this.opts.mode === 'strict') {
        const w = await this.startWorker(slot);
        slot.worker = w;
        try {
          return await this.runOn(w, slot, req);
        } finally {
          slot.worker = undefined;
          await w.close(); // EOF: the launcher (pid 1) exits, taking its namespace down, then bwrap
        }
      }
      if (!slot.worker || !slot.worker.alive) slot.worker = await this.startWorker(slot);
      const r = await this.runOn(slot.worker, slot, req);
      if (r.workerDied) slot.worker = undefined;
      return r;
    } finally {
      this.release(slot);
    }
  }

  private async runOn(w: SandboxWorker, slot: Slot, req: LauncherRequest): Promise<PoolReply> {
    try {
      return { reply: await w.run(req), workerDied: false, slot: slot.index };
    } catch (err) {
      if (!(err instanceof WorkerDiedError)) throw err;
      w.kill();
      return {
        reply: {
          exitCode: null,
          signal: 9,
          exception: 'WorkerDied',
          stderr: err.message,
          stdout: '',
          cpuUs: 0,
          wallUs: 0,
          maxRssKb: 0,
        },
        workerDied: true,
        slot: slot.index,
      };
    }
  }

  /** Runs every request, yielding [index, reply] as each finishes (not in input order). */
  async *stream(reqs: LauncherRequest[]): AsyncGenerator<[number, PoolReply]> {
    const done: Array<[number, PoolReply] | Error> = [];
    let wake: (() => void) | undefined;
    reqs.forEach((r, i) => {
      this.run(r).then(
        (res) => {
          done.push([i, res]);
          wake?.();
        },
        (e: Error) => {
          done.push(e);
          wake?.();
        },
      );
    });
    for (let got = 0; got < reqs.length; got++) {
      while (done.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const item = done.shift()!;
      if (item instanceof Error) throw item;
      yield item;
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker?.close()));
  }
}
