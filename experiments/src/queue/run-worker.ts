/**
 * `ecode worker`: takes runs from the queue and executes each exactly as `ecode run` does, in a
 * child process (this process only keeps the job's lock renewed while the child trains). A run
 * whose worker dies (kill -9, lost machine) stops renewing its lock; BullMQ's stalled-job check in
 * any other worker puts it back in the queue, and the next worker resumes it from the run folder
 * (training from its last checkpoint) when that folder is on storage both reach.
 */
import type { ChildProcess } from 'node:child_process';
import { hostname } from 'node:os';
import { mkdir } from 'node:fs/promises';
import { UnrecoverableError, WaitingError, Worker } from 'bullmq';
import { canonicalHash, ConfigError, resolveConfig } from '@ecode/config';
import { spawnEcodeRun, stopRunChild } from '../runner/run-child.js';
import { closeLostAttempt } from '../runner/close-attempt.js';
import { runPaths, trackingUriOf } from '../runner/run-paths.js';
import { readRunStatus, writeJsonAtomic } from '../runner/run-status.js';
import { connectRedis } from './connect.js';
import type { QueueAddress } from './redis-url.js';
import { QUEUE_NAME, type RunJob, type RunJobData, type RunJobResult } from './run-queue.js';

export interface WorkerOptions {
  address: QueueAddress;
  /** Runs at a time (default 1), each in its own process. */
  concurrency?: number;
  runsDir?: string;
  /** Shown by `ecode queue status` (default <hostname>-<pid>). */
  name?: string;
  /** A run's lock lives this long without renewal (renewed every half); its loss is noticed after it (default 30 s). */
  lockMs?: number;
  /** How often this worker looks for runs whose worker was lost (default 15 s). */
  stalledCheckMs?: number;
  connectTimeoutMs?: number;
  /**
   * After SIGTERM (or a second Ctrl-C), how long a run may take to reach its next micro-batch and
   * write its checkpoint before it is killed (default 30 s); it is then back in the queue either way.
   */
  graceMs?: number;
  log?: (line: string) => void;
  /** Called once the worker is taking jobs. */
  onReady?: (worker: Worker<RunJobData, RunJobResult>) => void;
}

export { TAG_LOST } from '../runner/close-attempt.js';

/** First line of a run's error, without the `Error: ` of a stack. */
function firstLine(text: string): string {
  return text.split('\n')[0].replace(/^Error: /, '');
}

/**
 * Runs until stopped: the first SIGINT lets the current runs finish and then leaves; SIGTERM or a
 * second SIGINT stops the runs now (after their current training step) and puts them back in the
 * queue, to resume from their last checkpoint. Resolves with the exit code (0, or 130 when runs
 * were interrupted).
 */
export async function runWorker(opts: WorkerOptions): Promise<number> {
  const log = opts.log ?? ((l: string) => process.stderr.write(l + '\n'));
  const name = opts.name ?? `${hostname()}-${process.pid}`;
  const runsDir = opts.runsDir ?? 'runs';
  const concurrency = opts.concurrency ?? 1;
  const graceMs = opts.graceMs ?? 30_000;
  const connection = await connectRedis(opts.address, { timeoutMs: opts.connectTimeoutMs, log });
  const children = new Map<string, ChildProcess>();
  let stopping: 'no' | 'finish' | 'now' = 'no';
  let interruptedRuns = 0;

  const processor = async (job: RunJob, token?: string): Promise<RunJobResult> => {
    const d = job.data;
    const id = job.id ?? d.hash;
    const say = (l: string) => log(`[${d.name}] ${l}`);
    const tries = job.opts.attempts ?? 1;
    const losses = job.stalledCounter ?? 0;
    const used = job.attemptsMade + losses;
    // BullMQ counts failures against `attempts` and lost workers against maxStalledCount; the
    // sweep's `queue.attempts` bounds both together.
    if (used >= tries)
      throw new UnrecoverableError(
        `${d.name}: gave up after ${used} tries (${job.attemptsMade} failed, ${losses} lost with their worker), queue.attempts is ${tries}` +
          (job.failedReason ? `; last error: ${job.failedReason}` : ''),
      );
    let config;
    try {
      config = resolveConfig(d.config, `queued run ${d.name}`);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err;
      throw new UnrecoverableError(
        `${d.name}: this worker rejects the run's config (is its ecode at the version that queued it?): ${err.message}`,
      );
    }
    const hash = canonicalHash(config);
    if (hash !== id)
      throw new UnrecoverableError(
        `${d.name}: the config hashes to ${hash.slice(0, 12)} on this worker but was queued as ${id.slice(0, 12)}; update this worker's ecode to the version that queued it`,
      );
    const paths = runPaths(id, runsDir);
    await mkdir(paths.root, { recursive: true });
    await closeLostAttempt(paths, trackingUriOf(config), say, {
      tag: 'its worker was lost during this attempt; retried',
      error: 'its worker was lost (killed, or its machine went down); retried by the queue',
    });
    await writeJsonAtomic(paths.config, d.config);
    const started = Date.now();
    say(
      `started on ${name} (${id.slice(0, 12)}, try ${used + 1} of ${tries}${losses ? `, after ${losses} lost worker(s)` : ''}); log ${paths.log}`,
    );
    const { child, done } = spawnEcodeRun({
      configPath: paths.config,
      name: d.name,
      variant: d.variant,
      sweep: d.sweep,
      runsDir,
      logPath: paths.log,
      tags: d.tags,
      supervised: true,
      graceSeconds: graceMs / 1000,
      onLines: (lines) => {
        for (const l of lines) say(l);
      },
    });
    children.set(id, child);
    if (stopping === 'now') stopChild(child, 'SIGTERM');
    const code = await done;
    children.delete(id);
    if (stopping !== 'no' && children.size === 0) leaveSoon();
    const status = readRunStatus(paths.status);
    const seconds = Math.round((Date.now() - started) / 100) / 10;
    if (code === 0 && status?.state === 'FINISHED') {
      say(`FINISHED in ${seconds} s`);
      return { worker: name, mlflowRunId: status.mlflowRunId, runFolder: paths.root, seconds };
    }
    if (stopping === 'now' && (code === 130 || status?.state === 'KILLED')) {
      interruptedRuns++;
      say('interrupted: back in the queue, to resume from its last checkpoint');
      await job.moveToWait(token);
      throw new WaitingError();
    }
    const why =
      status?.state === 'FAILED' && status.error ? firstLine(status.error) : `ecode run exited with code ${code}`;
    if (status?.error?.startsWith('ConfigError'))
      throw new UnrecoverableError(`${d.name}: ${why} (log ${paths.log} on ${name})`);
    say(`FAILED: ${why}`);
    throw new Error(`${why} (log ${paths.log} on ${name})`);
  };

  const worker = new Worker<RunJobData, RunJobResult>(QUEUE_NAME, processor, {
    connection,
    concurrency,
    name,
    lockDuration: opts.lockMs ?? 30_000,
    stalledInterval: opts.stalledCheckMs ?? 15_000,
    // The job's own attempts bound lost workers too (see the processor); BullMQ must not fail
    // a run for its lost workers before that.
    maxStalledCount: 1000,
    autorun: false,
  });
  let lastError = { text: '', at: 0 };
  worker.on('error', (err) => {
    // While Redis is away every retry fails the same way: say it once a minute, not each time.
    const now = Date.now();
    if (err.message !== lastError.text || now - lastError.at > 60_000) log(`worker: ${err.message}`);
    if (err.message !== lastError.text || now - lastError.at > 60_000) lastError = { text: err.message, at: now };
    // The lock is gone (expired while this process could not renew it): another worker may run the
    // run now, so this copy must stop at once rather than write into the same run folder.
    const lost = /could not renew lock for job (\S+)/.exec(err.message)?.[1];
    const child = lost ? children.get(lost) : undefined;
    if (child) {
      log(`run ${lost!.slice(0, 12)}: lock lost, its process is stopped (the queue gives the run to another worker)`);
      child.kill('SIGKILL');
    }
  });
  worker.on('stalled', (jobId) => log(`run ${String(jobId).slice(0, 12)}: its worker was lost; back in the queue`));

  let markClosed = () => {};
  const closed = new Promise<void>((res) => {
    markClosed = res;
    worker.once('closed', () => res());
  });
  let leaving: NodeJS.Timeout | undefined;
  // BullMQ's close waits on its Redis connections, which retry for as long as Redis is away: once
  // no run is left, give it a few seconds, then drop the connections and leave anyway.
  const leaveSoon = () => {
    if (leaving) return;
    leaving = setTimeout(() => {
      log(
        `worker ${name}: the queue connections did not close within 1.5 s (Redis at ${opts.address.url} away?); leaving anyway`,
      );
      void worker.disconnect().catch(() => undefined);
      connection.disconnect();
      markClosed();
    }, 1500);
  };
  const stopChild = (child: ChildProcess, signal: NodeJS.Signals) =>
    stopRunChild(child, signal, graceMs, () =>
      log(`worker ${name}: grace period of ${graceMs / 1000} s over, killing run process ${child.pid}`),
    );
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping === 'no' && signal === 'SIGINT' && children.size > 0) {
      stopping = 'finish';
      log(
        `worker ${name}: finishing the ${children.size} current run(s), then leaving (Ctrl-C again: stop them now, they resume elsewhere)`,
      );
    } else if (stopping !== 'now') {
      stopping = 'now';
      if (children.size > 0)
        log(
          `worker ${name}: ${signal}: stopping ${children.size} run(s) at their next micro-batch (checkpoint written, within ${graceMs / 1000} s); they go back to the queue`,
        );
      for (const c of children.values()) stopChild(c, 'SIGTERM');
    } else {
      log(`worker ${name}: leaving at once`);
      process.exit(130);
    }
    void worker.close().catch(() => undefined);
    if (children.size === 0) leaveSoon();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    worker.run().catch((err: Error) => log(`worker: ${err.message}`));
    await worker.waitUntilReady();
    log(
      `worker ${name}: taking runs from ${opts.address.url} (queue ${QUEUE_NAME}), ${concurrency} at a time; run folders in ${runsDir}`,
    );
    opts.onReady?.(worker);
    await closed;
  } finally {
    clearTimeout(leaving);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    connection.disconnect();
  }
  log(`worker ${name}: stopped`);
  return interruptedRuns > 0 ? 130 : 0;
}
