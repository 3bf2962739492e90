/**
 * The sweep run queue on Redis, through BullMQ: one job per run, the run's config hash as the job
 * id (so enqueueing twice adds nothing), the resolved config in the job, and the sweep's retry
 * policy in the job's options. Workers (`worker.ts`) execute the jobs; `ecode sweep --queue`
 * enqueues and follows them; `ecode queue status` lists them.
 */
import { hostname } from 'node:os';
import { Queue, type Job, type JobState } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ExperimentConfig, Sweep, SweepQueueOptions, SweepRun } from '@ecode/config';
import { sweepRunTags } from '../runner/run-tags.js';

/** Every sweep shares one queue per Redis database: a run is the same job whichever sweep queued it. */
export const QUEUE_NAME = 'ecode-runs';

export interface RunJobData {
  sweep: string;
  sweepFile: string;
  name: string;
  variant: string;
  seed: number;
  hash: string;
  /** The fully resolved run config (its canonical hash is the job id). */
  config: ExperimentConfig;
  queuedBy: string;
  /** Extra MLflow tags of the run (overrides as given, grid point); absent from older queues. */
  tags?: Record<string, string>;
}

export interface RunJobResult {
  worker: string;
  mlflowRunId?: string;
  runFolder: string;
  seconds: number;
}

export type RunJob = Job<RunJobData, RunJobResult>;
export type RunQueue = Queue<RunJobData, RunJobResult>;

export function openRunQueue(connection: Redis): RunQueue {
  return new Queue<RunJobData, RunJobResult>(QUEUE_NAME, { connection });
}

/** BullMQ's job options for a run under the sweep's retry policy. */
export function jobOptions(run: SweepRun, policy: SweepQueueOptions) {
  return {
    jobId: run.hash,
    attempts: policy.attempts,
    backoff: { type: policy.backoff.type, delay: Math.round(policy.backoff.delaySeconds * 1000) },
  };
}

export type EnqueueOutcome =
  /** FINISHED in MLflow already: not queued. */
  | 'finished'
  /** A job for this run is waiting, running or waiting to retry: left alone. */
  | 'queued'
  | 'added'
  /** Its previous job had failed (or completed without a FINISHED MLflow run here): queued again. */
  | 'requeued';

export interface EnqueueResult {
  run: SweepRun;
  outcome: EnqueueOutcome;
  /** The job's state before, for `queued` and `requeued`. */
  state?: JobState | 'unknown';
  /** The MLflow run id for `finished`; the previous failure for `requeued`. */
  detail?: string;
}

/**
 * Enqueues the runs of a sweep that are neither FINISHED in MLflow (`finished`: hash -> run id)
 * nor already in the queue. Safe to repeat and to run from two machines at once: BullMQ adds a
 * job id only once.
 */
export async function enqueueSweep(
  queue: RunQueue,
  sweep: Sweep,
  finished: Map<string, string>,
  policy: SweepQueueOptions = sweep.queue,
): Promise<EnqueueResult[]> {
  const results: EnqueueResult[] = [];
  const data = (run: SweepRun): RunJobData => ({
    sweep: sweep.name,
    sweepFile: sweep.file,
    name: run.name,
    variant: run.variant,
    seed: run.seed,
    hash: run.hash,
    config: run.config,
    queuedBy: hostname(),
    tags: sweepRunTags(sweep, run),
  });
  for (const run of sweep.runs) {
    const mlflowRun = finished.get(run.hash);
    if (mlflowRun) {
      results.push({ run, outcome: 'finished', detail: mlflowRun });
      continue;
    }
    const job = await queue.getJob(run.hash);
    if (job) {
      const state = await job.getState();
      if (state !== 'completed' && state !== 'failed') {
        results.push({ run, outcome: 'queued', state });
        continue;
      }
      // Finished jobs keep their ids: the new attempt needs the id free again.
      await job.remove();
      await queue.add(run.name, data(run), jobOptions(run, policy));
      results.push({ run, outcome: 'requeued', state, detail: state === 'failed' ? job.failedReason : undefined });
      continue;
    }
    await queue.add(run.name, data(run), jobOptions(run, policy));
    results.push({ run, outcome: 'added' });
  }
  return results;
}

/** What `ecode queue status` and the sweep follower show of one run. */
export interface RunJobView {
  hash: string;
  run: string;
  sweep: string;
  /** waiting (includes delayed retries), active, finished (BullMQ: completed) or failed. */
  state: 'waiting' | 'active' | 'finished' | 'failed' | 'unknown';
  /** BullMQ's own state name. */
  jobState: JobState | 'unknown';
  /** The worker that runs it (active) or ran it last. */
  worker?: string;
  /** Starts so far, and the sweep's limit. */
  attemptsStarted: number;
  attempts: number;
  failures: number;
  /** Times its worker was lost while running it (detected as a stalled job). */
  workerLosses: number;
  error?: string;
  mlflowRunId?: string;
  /** Epoch ms: queued, last started, finished. */
  queuedAt: number;
  startedAt?: number;
  finishedAt?: number;
  /** For a delayed retry: when it becomes runnable. */
  retryAt?: number;
}

export function viewState(state: JobState | 'unknown'): RunJobView['state'] {
  if (state === 'completed') return 'finished';
  if (state === 'failed' || state === 'active') return state;
  if (state === 'unknown') return 'unknown';
  return 'waiting';
}

export function viewJob(job: RunJob, jobState: JobState | 'unknown'): RunJobView {
  const v: RunJobView = {
    hash: job.id ?? job.data.hash,
    run: job.data.name,
    sweep: job.data.sweep,
    state: viewState(jobState),
    jobState,
    attemptsStarted: job.attemptsStarted ?? 0,
    attempts: job.opts.attempts ?? 1,
    // BullMQ counts the attempt that completed a job in attemptsMade too.
    failures: Math.max(0, (job.attemptsMade ?? 0) - (jobState === 'completed' ? 1 : 0)),
    workerLosses: job.stalledCounter ?? 0,
    queuedAt: job.timestamp,
  };
  if (job.processedBy) v.worker = job.processedBy;
  if (job.failedReason) v.error = job.failedReason;
  if (job.returnvalue?.mlflowRunId) v.mlflowRunId = job.returnvalue.mlflowRunId;
  if (job.processedOn) v.startedAt = job.processedOn;
  if (job.finishedOn) v.finishedAt = job.finishedOn;
  if (jobState === 'delayed' && job.delay) v.retryAt = job.timestamp + job.delay;
  return v;
}

/** One run's job as it stands now (undefined: no such job). */
export async function getRunJob(queue: RunQueue, hash: string): Promise<RunJobView | undefined> {
  const job = await queue.getJob(hash);
  if (!job) return undefined;
  return viewJob(job, await job.getState());
}

export interface QueueStatus {
  queue: string;
  url: string;
  workers: string[];
  counts: Record<RunJobView['state'], number>;
  runs: RunJobView[];
}

const STATE_GROUPS: Array<JobState> = [
  'active',
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
  'failed',
  'completed',
];

/** Every job in the queue, grouped by state (active first), and the workers connected now. */
export async function queueStatus(queue: RunQueue, url: string): Promise<QueueStatus> {
  const runs: RunJobView[] = [];
  for (const state of STATE_GROUPS) {
    const jobs = (await queue.getJobs([state], 0, -1, true)) as RunJob[];
    for (const job of jobs) if (job) runs.push(viewJob(job, state));
  }
  // BullMQ names a worker's Redis connections <prefix>:<queue>:w:<worker name> (two per worker).
  const names = (await queue.getWorkers()).map((w) => /:w:(.+)$/.exec(w.rawname ?? '')?.[1] ?? '(unnamed)');
  const workers = [...new Set(names)].sort();
  const counts = { waiting: 0, active: 0, finished: 0, failed: 0, unknown: 0 };
  for (const r of runs) counts[r.state]++;
  return { queue: QUEUE_NAME, url, workers, counts, runs };
}
