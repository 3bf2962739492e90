/**
 * A pool of python3 workers (one per core by default) that run solutions against their tests:
 * the generation-time check that every synthetic solution is correct, and the CPU-time
 * measurement the benchmark uses. Not a sandbox: only for code this generator wrote.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createInterface } from 'node:readline';
import { pythonExecutable } from '../python.js';
import { VERIFY_HARNESS_PY } from './verify-harness.js';

export interface VerifyTest {
  input: string;
  output: string;
}

export interface TestResult {
  ok: boolean;
  /** CPU seconds (user + system) of each run. */
  cpu: number[];
  /** Wall seconds of each run. */
  wall: number[];
  reason: string;
}

export interface VerifyJob {
  code: string;
  tests: VerifyTest[];
  /** CPU seconds per run (default 10; generous so that drops never depend on machine load). */
  cpuLimit?: number;
  /** Runs per test (for timing; default 1). */
  repeat?: number;
  /** Keep repeating (up to 100 x repeat) until the runs' CPU seconds add up to this. */
  minCpu?: number;
  /** Compare outputs (default true). */
  check?: boolean;
}

interface Pending {
  id: number;
  job: VerifyJob;
  resolve: (r: TestResult[]) => void;
  reject: (e: Error) => void;
}

class Worker {
  private proc!: ChildProcessWithoutNullStreams;
  current: Pending | undefined;
  private stderr = '';

  constructor(private readonly onIdle: (w: Worker) => void) {
    this.start();
  }

  private start(): void {
    this.proc = spawn(pythonExecutable(), ['-u', '-c', VERIFY_HARNESS_PY], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, PYTHONHASHSEED: '0', PYTHONIOENCODING: 'utf-8' },
    });
    const rl = createInterface({ input: this.proc.stdout });
    rl.on('line', (line) => {
      const p = this.current;
      if (!p) return;
      this.current = undefined;
      try {
        const msg = JSON.parse(line) as { id: number; results: TestResult[] };
        if (msg.id !== p.id) throw new Error(`verifier answered job ${msg.id}, expected ${p.id}`);
        p.resolve(msg.results);
      } catch (err) {
        p.reject(err as Error);
      }
      this.onIdle(this);
    });
    this.proc.stderr.on('data', (d: Buffer) => {
      this.stderr = (this.stderr + d.toString()).slice(-2000);
    });
    this.proc.on('exit', (code, signal) => {
      const p = this.current;
      this.current = undefined;
      if (this.closing) return;
      if (p) p.reject(new Error(`python verifier exited (code ${code}, signal ${signal}): ${this.stderr}`));
      this.start();
      this.onIdle(this);
    });
  }

  closing = false;

  send(p: Pending): void {
    this.current = p;
    const { job } = p;
    this.proc.stdin.write(
      JSON.stringify({
        id: p.id,
        code: job.code,
        tests: job.tests,
        cpu_limit: job.cpuLimit ?? 10,
        repeat: job.repeat ?? 1,
        min_cpu: job.minCpu ?? 0,
        check: job.check ?? true,
      }) + '\n',
    );
  }

  close(): void {
    this.closing = true;
    this.proc.stdin.end();
  }
}

export class VerifierPool {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: Pending[] = [];
  private nextId = 1;

  /** `concurrency` defaults to the number of cores. */
  constructor(concurrency = availableParallelism()) {
    for (let i = 0; i < Math.max(1, concurrency); i++) {
      const w = new Worker((x) => this.release(x));
      this.workers.push(w);
      this.idle.push(w);
    }
  }

  private release(w: Worker): void {
    const next = this.queue.shift();
    if (next) w.send(next);
    else if (!this.idle.includes(w)) this.idle.push(w);
  }

  run(job: VerifyJob): Promise<TestResult[]> {
    return new Promise((resolve, reject) => {
      const p: Pending = { id: this.nextId++, job, resolve, reject };
      const w = this.idle.pop();
      if (w) w.send(p);
      else this.queue.push(p);
    });
  }

  close(): void {
    for (const w of this.workers) w.close();
  }
}
