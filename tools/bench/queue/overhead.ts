/**
 * The run queue's own cost per run, against a local redis-server (started here on 127.0.0.1, no
 * persistence): what `ecode sweep --queue` and `ecode worker` add to a run beyond the run itself.
 * - enqueue: `enqueueSweep` per run (job lookup by config hash + add), and again when every run
 *   is already queued (the idempotent no-op);
 * - enqueue -> start: from `add` to the worker's processor being called (a worker waiting idle);
 * - completion bookkeeping: from the processor returning to the job being `completed` in Redis;
 * - follower poll: one `getRunJob` (what `ecode sweep --queue` does per unfinished run per second).
 * Prints JSON. Usage: npx tsx tools/bench/queue/overhead.ts [jobs=200]
 */
import os from 'node:os';
import { Worker } from 'bullmq';
import type { Sweep, SweepRun } from '@ecode/config';
import { connectRedis } from '../../../experiments/src/queue/connect.js';
import { parseQueueUrl } from '../../../experiments/src/queue/redis-url.js';
import { enqueueSweep, getRunJob, openRunQueue, QUEUE_NAME } from '../../../experiments/src/queue/run-queue.js';
import { startRedisServer } from '../../../experiments/src/queue/test-redis.js';

const jobs = Number(process.argv[2] ?? 200);
const stats = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => Math.round(s[Math.min(s.length - 1, Math.floor(p * s.length))] * 1000) / 1000;
  return {
    median: q(0.5),
    p95: q(0.95),
    max: q(1),
    mean: Math.round((s.reduce((a, b) => a + b, 0) / s.length) * 1000) / 1000,
  };
};

const redis = await startRedisServer();
const connection = await connectRedis(parseQueueUrl(redis.url));
const queue = openRunQueue(connection);
// A synthetic sweep: `jobs` runs with distinct fake hashes and a config of realistic size.
const config = JSON.parse(JSON.stringify((await import('@ecode/config')).loadConfig('configs/presets/cpu.yaml')));
const runs: SweepRun[] = Array.from({ length: jobs }, (_, i) => ({
  name: `v-s${i}`,
  variant: 'v',
  seed: i,
  hash: (i.toString(16).padStart(8, '0') + 'ab'.repeat(28)).slice(0, 64),
  config,
}));
const sweep = {
  name: 'bench',
  file: '/bench.yaml',
  base: '/b.yaml',
  variants: ['v'],
  seeds: [],
  runs,
  queue: { attempts: 3, backoff: { type: 'exponential', delaySeconds: 30 } },
} as unknown as Sweep;
const configBytes = JSON.stringify(config).length;

try {
  // 1. enqueue, then enqueue again (every run already queued).
  let t0 = performance.now();
  await enqueueSweep(queue, sweep, new Map());
  const enqueuePerRun = (performance.now() - t0) / jobs;
  t0 = performance.now();
  const again = await enqueueSweep(queue, sweep, new Map());
  const reenqueuePerRun = (performance.now() - t0) / jobs;
  if (again.some((r) => r.outcome !== 'queued')) throw new Error('re-enqueue added jobs');

  // 2. follower poll of one run.
  t0 = performance.now();
  for (const r of runs) await getRunJob(queue, r.hash);
  const pollPerRun = (performance.now() - t0) / jobs;
  await queue.obliterate({ force: true });

  // 3. enqueue -> start and completion, one job at a time through an idle worker.
  const workerConnection = connection.duplicate();
  const startLatency: number[] = [];
  const completion: number[] = [];
  let addedAt = 0;
  let returnedAt = 0;
  let onStart: (() => void) | undefined;
  const worker = new Worker(
    QUEUE_NAME,
    async () => {
      startLatency.push(performance.now() - addedAt);
      onStart?.();
      returnedAt = performance.now();
      return { worker: 'bench', runFolder: '/r', seconds: 0 };
    },
    { connection: workerConnection, name: 'bench', lockDuration: 30_000, stalledInterval: 15_000 },
  );
  await worker.waitUntilReady();
  await new Promise((r) => setTimeout(r, 300));
  for (const run of runs) {
    const completed = new Promise<void>((res) => {
      const on = (job: { id?: string }) => {
        if (job.id === run.hash) {
          completion.push(performance.now() - returnedAt);
          worker.off('completed', on);
          res();
        }
      };
      worker.on('completed', on);
    });
    addedAt = performance.now();
    await queue.add(
      run.name,
      { ...sweep.runs[0], sweep: 'bench', sweepFile: '/b', queuedBy: 'bench', config },
      { jobId: run.hash, attempts: 3 },
    );
    await completed;
  }
  await worker.close();
  workerConnection.disconnect();
  const out = {
    bench: 'queue-overhead',
    jobs,
    configBytes,
    redis: (await connection.info('server')).match(/redis_version:(\S+)/)?.[1],
    bullmq: (await import('bullmq/package.json', { with: { type: 'json' } })).default.version,
    node: process.version,
    cpus: os.cpus().length,
    loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100),
    ms: {
      enqueuePerRun: Math.round(enqueuePerRun * 1000) / 1000,
      reenqueueNoopPerRun: Math.round(reenqueuePerRun * 1000) / 1000,
      followerPollPerRun: Math.round(pollPerRun * 1000) / 1000,
      enqueueToStart: stats(startLatency),
      completionBookkeeping: stats(completion),
    },
  };
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
} finally {
  await queue.close();
  connection.disconnect();
  await redis.stop();
}
