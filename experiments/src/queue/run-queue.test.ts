/**
 * Enqueueing a sweep against a real redis-server (started here on 127.0.0.1, no persistence):
 * job ids are config hashes, a second enqueue adds nothing, runs FINISHED in MLflow are not
 * queued, failed jobs are queued again.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadSweep, type Sweep } from '@ecode/config';
import { FileStoreTracker, TAG_CONFIG_HASH } from '@ecode/tracking';
import { UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { runCli } from '../cli.js';
import { queueStatusCommand } from '../commands/queue-status.js';
import { captureIo } from '../commands/test-io.js';
import { finishedRuns } from '../sweep-runner.js';
import { connectRedis } from './connect.js';
import { parseQueueUrl } from './redis-url.js';
import { enqueueSweep, openRunQueue, queueStatus, type RunQueue } from './run-queue.js';
import { startRedisServer, type TestRedis } from './test-redis.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));

describe('enqueueSweep on a real Redis', () => {
  let redis: TestRedis;
  let connection: Redis;
  let queue: RunQueue;
  let dir: string;
  let sweep: Sweep;

  beforeAll(async () => {
    redis = await startRedisServer();
    connection = await connectRedis(parseQueueUrl(redis.url));
    queue = openRunQueue(connection);
    dir = mkdtempSync(join(tmpdir(), 'ecode-queue-'));
    writeFileSync(
      join(dir, 'sweep.yaml'),
      [
        'name: q',
        `base: ${join(CONFIGS, 'presets/tiny.yaml')}`,
        'variants:',
        `  e-code: ${join(CONFIGS, 'variants/e-code.yaml')}`,
        `  relu: ${join(CONFIGS, 'variants/relu.yaml')}`,
        'seeds: [1, 2]',
        `overrides: { tracking: { uri: "file:${join(dir, 'mlruns')}" } }`,
        'queue: { attempts: 4, backoff: { type: fixed, delaySeconds: 2.5 } }',
        '',
      ].join('\n'),
    );
    sweep = loadSweep(join(dir, 'sweep.yaml'));
  });
  beforeEach(async () => {
    await connection.flushdb();
  });
  afterAll(async () => {
    await queue?.close();
    connection?.disconnect();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one job per run, its config hash as the id, with the sweep file retry policy', async () => {
    const first = await enqueueSweep(queue, sweep, new Map());
    expect(first.map((r) => [r.run.name, r.outcome])).toEqual([
      ['e-code-s1', 'added'],
      ['e-code-s2', 'added'],
      ['relu-s1', 'added'],
      ['relu-s2', 'added'],
    ]);
    const job = await queue.getJob(sweep.runs[2].hash);
    expect(job?.id).toBe(sweep.runs[2].hash);
    expect(job?.name).toBe('relu-s1');
    expect(job?.opts).toMatchObject({ attempts: 4, backoff: { type: 'fixed', delay: 2500 } });
    expect(job?.data).toMatchObject({
      sweep: 'q',
      name: 'relu-s1',
      variant: 'relu',
      seed: 1,
      hash: sweep.runs[2].hash,
    });
    expect(job?.data.config).toEqual(sweep.runs[2].config);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 4 });
  });

  it('enqueueing again adds nothing', async () => {
    await enqueueSweep(queue, sweep, new Map());
    const again = await enqueueSweep(queue, sweep, new Map());
    expect(again.map((r) => `${r.outcome}:${r.state}`)).toEqual(Array(4).fill('queued:waiting'));
    expect(await queue.getJobCounts('waiting', 'active', 'delayed', 'completed', 'failed')).toEqual({
      waiting: 4,
      active: 0,
      delayed: 0,
      completed: 0,
      failed: 0,
    });
    // Two machines enqueueing the same sweep at once: still one job per run.
    await connection.flushdb();
    await Promise.all([enqueueSweep(queue, sweep, new Map()), enqueueSweep(queue, sweep, new Map())]);
    expect(await queue.getJobCounts('waiting')).toEqual({ waiting: 4 });
  });

  it('a run FINISHED in MLflow (same config hash) is not queued', async () => {
    const tracker = new FileStoreTracker({ root: join(dir, 'mlruns'), sourceTags: () => ({}) });
    const run = sweep.runs[1];
    const exp = await tracker.getOrCreateExperiment(run.config.tracking.experimentName);
    const handle = await tracker.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: run.hash } });
    await handle.end('FINISHED');
    const done = await finishedRuns(sweep);
    expect([...done.keys()]).toEqual([run.hash]);
    const res = await enqueueSweep(queue, sweep, done);
    expect(res.map((r) => r.outcome)).toEqual(['added', 'finished', 'added', 'added']);
    expect(res[1].detail).toBe(handle.runId);
    expect(await queue.getJob(run.hash)).toBeUndefined();
    rmSync(join(dir, 'mlruns'), { recursive: true, force: true });
  });

  it('a failed job is queued again (with its last error reported); status lists every state', async () => {
    await enqueueSweep(queue, sweep, new Map());
    // Fail one job as a worker would (take it, then move it to failed with its error).
    const w = new Worker('ecode-runs', null, { connection: connection.duplicate(), name: 'test-worker' });
    const token = 'tok';
    const job = await w.getNextJob(token);
    expect(job?.id).toBe(sweep.runs[0].hash);
    const active = await queueStatus(queue, redis.url);
    expect(active.counts).toEqual({ waiting: 3, active: 1, finished: 0, failed: 0, unknown: 0 });
    expect(active.runs[0]).toMatchObject({
      run: 'e-code-s1',
      state: 'active',
      worker: 'test-worker',
      attemptsStarted: 1,
    });
    await job!.moveToFailed(new Error('data.path: /x does not exist'), token);
    // attempts 4: a failure goes to a delayed retry, not to failed yet.
    expect(await job!.getState()).toBe('delayed');
    // A failure that is not retried (BullMQ's UnrecoverableError, as a worker throws for config errors).
    const token2 = 'tok2';
    const taken = await w.getNextJob(token2);
    expect(taken?.id).toBe(sweep.runs[1].hash);
    await taken!.moveToFailed(new UnrecoverableError('data.path: /y does not exist'), token2);
    expect(await taken!.getState()).toBe('failed');
    const status = await queueStatus(queue, redis.url);
    expect(status.counts.failed).toBe(1);
    expect(status.runs.find((r) => r.state === 'failed')).toMatchObject({
      run: 'e-code-s2',
      error: 'data.path: /y does not exist',
      failures: 1,
      worker: 'test-worker',
    });
    // The text table of `ecode queue status`, and its JSON.
    const c = captureIo();
    expect(await runCli([queueStatusCommand], ['queue', 'status', '--queue', redis.url], c.io)).toBe(0);
    const lines = c.out().trimEnd().split('\n');
    expect(lines[0]).toBe(`queue ecode-runs on ${redis.url}/0: 3 waiting, 0 active, 0 finished, 1 failed`);
    expect(lines[1]).toBe('workers connected: test-worker');
    expect(lines[2].split(/\s+/)).toEqual(['STATE', 'SWEEP', 'RUN', 'HASH', 'TRIES-USED', 'WORKER', 'SINCE', 'DETAIL']);
    expect(lines.find((l) => l.includes('e-code-s1'))).toMatch(
      /^waiting \(retry in [0-3]s\) +q +e-code-s1 +[0-9a-f]{12} +1\/4 +test-worker +\d+s +data\.path: \/x does not exist$/,
    );
    expect(lines.find((l) => l.startsWith('failed'))).toMatch(
      /^failed +q +e-code-s2 +[0-9a-f]{12} +1\/4 +test-worker +\d+s +data\.path: \/y does not exist$/,
    );
    const j = captureIo();
    expect(await runCli([queueStatusCommand], ['queue', 'status', '--queue', redis.url, '--json'], j.io)).toBe(0);
    expect(JSON.parse(j.out()).counts).toEqual({ waiting: 3, active: 0, finished: 0, failed: 1, unknown: 0 });

    const res = await enqueueSweep(queue, sweep, new Map());
    expect(res[1]).toMatchObject({ outcome: 'requeued', state: 'failed', detail: 'data.path: /y does not exist' });
    expect(await (await queue.getJob(sweep.runs[1].hash))!.getState()).toBe('waiting');
    await w.close();
  });
});
