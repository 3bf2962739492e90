/**
 * `ecode worker` and `ecode sweep --queue` as processes against a real redis-server: a run that
 * fails is retried per the policy and ends FAILED with its error (in the queue, the follower's
 * output and MLflow); a config this worker rejects fails once, never retried; a worker that
 * cannot reach Redis says which URL and exits 1.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileStoreTracker } from '@ecode/tracking';
import { connectRedis } from './connect.js';
import { parseQueueUrl } from './redis-url.js';
import { openRunQueue, queueStatus } from './run-queue.js';
import { freePort, startRedisServer, type TestRedis } from './test-redis.js';
import { spawnEcode, type EcodeProcess } from './test-process.js';

const CONFIGS = fileURLToPath(new URL('../../../configs/', import.meta.url));

const ecode = (args: string[], cwd: string) => spawnEcode(args, cwd, { waitMs: 60_000 });

/** The exit code, or 'still running after 60 s' (the process is then killed). */
async function exitOf(p: EcodeProcess): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const hung = new Promise<string>((res) => {
    timer = setTimeout(() => {
      p.kill('SIGKILL');
      res(`still running after 60 s:\n${p.out()}`);
    }, 60_000);
  });
  try {
    return await Promise.race([p.code, hung]);
  } finally {
    clearTimeout(timer);
  }
}

describe('ecode worker: cannot reach Redis', () => {
  it(
    // No tight wall-clock bound: starting the CLI alone takes seconds on a loaded machine. The
    // connect timeout is the worker's own (3 s, named in the message); without it ioredis retries
    // forever and the process never exits, which `exitOf` reports (and kills) after 60 s.
    'says which URL and exits 1 (ioredis alone would retry forever)',
    { timeout: 150_000 },
    async () => {
      const cwd = mkdtempSync(join(tmpdir(), 'ecode-worker-'));
      const port = await freePort();
      const w = ecode(['worker', '--queue', `redis://127.0.0.1:${port}/2`], cwd);
      expect(await exitOf(w)).toBe(1);
      expect(w.out()).toContain(
        `ecode worker: cannot reach Redis at redis://127.0.0.1:${port}/2 (connect ECONNREFUSED 127.0.0.1:${port}) within 3 s; start redis-server there or correct --queue`,
      );
      // The sweep side and the status command say the same.
      const s = ecode(
        ['sweep', join(CONFIGS, 'sweeps/smoke.yaml'), '--queue', `redis://127.0.0.1:${port}`, '--connect-timeout', '1'],
        cwd,
      );
      expect(await exitOf(s)).toBe(1);
      expect(s.out()).toContain(`ecode sweep: cannot reach Redis at redis://127.0.0.1:${port}/0`);
      rmSync(cwd, { recursive: true, force: true });
    },
  );

  it('usage errors: no --queue, a URL that is not redis://, a bad number', async () => {
    const cwd = tmpdir();
    const a = ecode(['worker'], cwd);
    expect(await a.code).toBe(2);
    expect(a.out()).toContain('ecode worker: --queue redis://HOST:PORT[/db] is required');
    const b = ecode(['queue', 'status', '--queue', 'http://127.0.0.1:1'], cwd);
    expect(await b.code).toBe(2);
    expect(b.out()).toContain("--queue: 'http://127.0.0.1:1' has scheme 'http:', expected redis://HOST:PORT[/db]");
    const c = ecode(['worker', '--queue', 'redis://127.0.0.1:1', '--concurrency', '0'], cwd);
    expect(await c.code).toBe(2);
    expect(c.out()).toContain("--concurrency: found '0', expected an integer >= 1 and <= 64");
  });
});

describe('ecode worker with a real Redis', () => {
  let redis: TestRedis;
  let cwd: string;
  beforeAll(async () => {
    redis = await startRedisServer();
    cwd = mkdtempSync(join(tmpdir(), 'ecode-worker-'));
  });
  afterAll(async () => {
    await redis?.stop();
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it(
    'a failing run is tried queue.attempts times, then FAILED with its error; a rejected config is not retried',
    { timeout: 180_000 },
    async () => {
      const missing = resolve(cwd, 'no-such-data.jsonl');
      writeFileSync(
        join(cwd, 'fail.yaml'),
        [
          'name: fails',
          `base: ${join(CONFIGS, 'presets/tiny.yaml')}`,
          'variants:',
          `  bad: { data: { source: jsonl, path: ${missing} } }`,
          'seeds: [3]',
          'queue: { attempts: 5, backoff: { type: fixed, delaySeconds: 60 } }',
          '',
        ].join('\n'),
      );
      const worker = ecode(['worker', '--queue', redis.url, '--name', 'w1', '--runs-dir', 'shared-runs'], cwd);
      await worker.waitFor(/worker w1: taking runs from/);
      // Flags override the sweep file: 2 tries, 0.5 s apart.
      const sweep = ecode(
        [
          'sweep',
          'fail.yaml',
          '--queue',
          redis.url,
          '--attempts',
          '2',
          '--backoff-seconds',
          '0.5',
          '--runs-dir',
          'shared-runs',
        ],
        cwd,
      );
      expect(await sweep.code, sweep.out()).toBe(1);
      const out = sweep.out();
      expect(out).toContain('[bad-s3] queued (');
      expect(out).toContain('2 tries each, fixed backoff from 0.5 s');
      expect(out).toContain('[bad-s3] running on w1 (try 1 of 2)');
      expect(out).toContain(`[bad-s3] try failed (data.path: ${missing} does not exist (log `);
      expect(out).toContain('[bad-s3] running on w1 (try 2 of 2)');
      expect(out).toMatch(
        new RegExp(
          `\\[bad-s3\\] FAILED: data\\.path: ${missing.replace(/[.]/g, '\\.')} does not exist \\(log .*shared-runs/[0-9a-f]{64}/log\\.txt on w1\\)`,
        ),
      );
      expect(out).toContain('sweep fails: 0 finished, 0 skipped, 1 failed');
      expect(worker.out()).toContain(`[bad-s3] FAILED: data.path: ${missing} does not exist`);

      // MLflow: both tries are FAILED runs carrying the error.
      const exp = readdirSync(join(cwd, 'mlruns')).find(
        (e) => existsSync(join(cwd, 'mlruns', e, 'meta.yaml')) && e !== '0',
      )!;
      const runs = readdirSync(join(cwd, 'mlruns', exp)).filter(
        (r) => existsSync(join(cwd, 'mlruns', exp, r, 'meta.yaml')) && r !== 'meta.yaml',
      );
      expect(runs).toHaveLength(2);
      for (const r of runs) {
        expect(readFileSync(join(cwd, 'mlruns', exp, r, 'meta.yaml'), 'utf8')).toMatch(/^status: 4$/m); // FAILED
        expect(readFileSync(join(cwd, 'mlruns', exp, r, 'tags', 'ecode.error'), 'utf8')).toBe(
          `data.path: ${missing} does not exist`,
        );
      }

      // A job whose config this worker's schema rejects: UnrecoverableError, one try of 3.
      const connection = await connectRedis(parseQueueUrl(redis.url));
      const queue = openRunQueue(connection);
      try {
        await queue.add(
          'odd-s1',
          {
            sweep: 'odd',
            sweepFile: '/x.yaml',
            name: 'odd-s1',
            variant: 'odd',
            seed: 1,
            hash: 'f'.repeat(64),
            queuedBy: 'test',
            config: { training: { maxSteps: 'many' } } as never,
          },
          { jobId: 'f'.repeat(64), attempts: 3, backoff: { type: 'fixed', delay: 100 } },
        );
        let st = await queueStatus(queue, redis.url);
        for (let i = 0; i < 100 && st.runs.find((r) => r.run === 'odd-s1')?.state !== 'failed'; i++) {
          await new Promise((r) => setTimeout(r, 100));
          st = await queueStatus(queue, redis.url);
        }
        const odd = st.runs.find((r) => r.run === 'odd-s1')!;
        expect(odd).toMatchObject({ state: 'failed', attemptsStarted: 1, failures: 1, worker: 'w1' });
        expect(odd.error).toContain(
          "odd-s1: this worker rejects the run's config (is its ecode at the version that queued it?): invalid config",
        );
        expect(odd.error).toContain('training.maxSteps: found "many", expected an integer >= 1');
        expect(st.runs.find((r) => r.run === 'bad-s3')).toMatchObject({ state: 'failed', failures: 2, attempts: 2 });
        expect(st.workers).toEqual(['w1']);
      } finally {
        await queue.close();
        connection.disconnect();
      }
      // An idle worker leaves on Ctrl-C with 0.
      worker.kill('SIGINT');
      expect(await worker.code).toBe(0);
      expect(worker.out()).toContain('worker w1: stopped');
    },
  );

  it(
    'SIGTERM stops a busy worker: its run goes back to the queue (no try used) and resumes on another worker from its checkpoint',
    { timeout: 300_000 },
    async () => {
      writeFileSync(
        join(cwd, 'stop.yaml'),
        [
          'name: stops',
          `base: ${join(CONFIGS, 'presets/tiny.yaml')}`,
          'variants:',
          '  e-code: {}',
          'seeds: [5]',
          'overrides:',
          '  data: { synthetic: { problems: 8 } }',
          '  training: { maxSteps: 40, evalEvery: 20, checkpointEvery: 4 }',
          '  generation: { maxNewTokens: 8 }',
          '  evaluation: { maxProblems: 1, bootstrapSamples: 20 }',
          '',
        ].join('\n'),
      );
      const w3 = ecode(['worker', '--queue', `${redis.url}/1`, '--name', 'w3', '--runs-dir', 'shared-runs'], cwd);
      await w3.waitFor(/worker w3: taking runs from/);
      const sweep = ecode(['sweep', 'stop.yaml', '--queue', `${redis.url}/1`, '--runs-dir', 'shared-runs'], cwd);
      // Stop it once training has written a checkpoint.
      const folder = (await w3.waitFor(/\[e-code-s5\] started on w3 \(.*\); log (\S+)\/log\.txt/))[1];
      for (let i = 0; !existsSync(join(folder, 'checkpoints', 'latest')); i++) {
        if (i > 1200) throw new Error(`no checkpoint in ${folder}:\n${w3.out()}`);
        await new Promise((r) => setTimeout(r, 100));
      }
      w3.kill('SIGTERM');
      expect(await w3.code).toBe(130);
      expect(w3.out()).toContain(
        'worker w3: SIGTERM: stopping 1 run(s) at their next micro-batch (checkpoint written, within 30 s); they go back to the queue',
      );
      expect(w3.out()).toContain('[e-code-s5] interrupted: back in the queue, to resume from its last checkpoint');
      const connection = await connectRedis(parseQueueUrl(`${redis.url}/1`));
      const queue = openRunQueue(connection);
      try {
        const st = await queueStatus(queue, redis.url);
        expect(st.runs).toHaveLength(1);
        expect(st.runs[0]).toMatchObject({
          state: 'waiting',
          failures: 0,
          workerLosses: 0,
          attemptsStarted: 1,
          worker: 'w3',
        });
      } finally {
        await queue.close();
        connection.disconnect();
      }
      // Another worker takes it and resumes from the checkpoint at step 4 (or 8).
      const w4 = ecode(['worker', '--queue', `${redis.url}/1`, '--name', 'w4', '--runs-dir', 'shared-runs'], cwd);
      expect(await sweep.code, sweep.out()).toBe(0);
      expect(sweep.out()).toContain('[e-code-s5] running on w3 (try 1 of 3)');
      expect(sweep.out()).toContain('[e-code-s5] running on w4 (try 1 of 3)');
      expect(sweep.out()).toContain('[e-code-s5] FINISHED on w4');
      expect(w4.out()).toMatch(/\[e-code-s5\] training resumed from the checkpoint at step \d+/);
      // MLflow: the stopped attempt KILLED, the resumed one FINISHED.
      const tracker = new FileStoreTracker({ root: join(cwd, 'mlruns') });
      const exp = (await tracker.getExperimentByName('ecode'))!;
      const statuses = (await tracker.searchRuns({ experimentIds: [exp.experimentId] }))
        .filter((r) => r.info.runName === 'e-code-s5')
        .map((r) => r.info.status)
        .sort();
      expect(statuses).toEqual(['FINISHED', 'KILLED']);
      w4.kill('SIGINT');
      expect(await w4.code).toBe(0);
    },
  );
});
