/**
 * End to end through the queue: a real redis-server (127.0.0.1, free port, no persistence), the
 * smoke sweep (configs/sweeps/smoke.yaml, every variant at the tiny preset) enqueued with
 * `ecode sweep --queue` and executed by two `ecode worker` processes sharing a run folder and an
 * MLflow file store. One worker is killed with SIGKILL while its run trains (after its first
 * checkpoint); a replacement worker joins. The lost run is noticed as a stalled job and retried
 * by another worker from the shared run folder. At the end every run is FINISHED exactly once in
 * MLflow, the lost attempt is KILLED, the report is written, and the metrics equal those of the
 * same runs done without a queue: the CI's smoke sweep when ECODE_SMOKE_BASELINE names its
 * mlruns folder (.ci/run does), else a plain `ecode sweep` of smoke.yaml run here first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadSweep } from '@ecode/config';
import { FileStoreTracker, TAG_CONFIG_HASH } from '@ecode/tracking';
import { startRedisServer } from './queue/test-redis.js';
import { TAG_LOST } from './queue/run-worker.js';
import { spawnEcode, type EcodeProcess } from './queue/test-process.js';

const SMOKE = fileURLToPath(new URL('../../configs/sweeps/smoke.yaml', import.meta.url));

const ecode = (args: string[], cwd: string) => spawnEcode(args, cwd, { waitMs: 300_000 });

/** Every run of the store by config hash: status, and each metric's history (value by step). */
async function storeRuns(root: string) {
  const tracker = new FileStoreTracker({ root });
  const sweep = loadSweep(SMOKE);
  const exps = new Set(sweep.runs.map((r) => r.config.tracking.experimentName));
  const runs: Array<{ hash: string; status: string; tags: Record<string, string>; metrics: Record<string, string> }> =
    [];
  for (const name of exps) {
    const exp = await tracker.getExperimentByName(name);
    if (!exp) continue;
    for (const run of await tracker.searchRuns({ experimentIds: [exp.experimentId] })) {
      const metrics: Record<string, string> = {};
      for (const key of Object.keys(run.data.metrics).sort()) {
        const history = await tracker.getMetricHistory(run.info.runId, key);
        metrics[key] = history
          .sort((a, b) => a.step - b.step)
          .map((m) => `${m.step}:${m.value}`)
          .join(' ');
      }
      runs.push({ hash: run.data.tags[TAG_CONFIG_HASH], status: run.info.status, tags: run.data.tags, metrics });
    }
  }
  return runs;
}

/** Metrics that measure the machine (throughput, CPU-time costs), not what the run computed. */
const MACHINE_DEPENDENT = /tokens_per_s|speedup|improvement|opt_rate|cost|time/i;

function computed(metrics: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(metrics).filter(([k]) => !MACHINE_DEPENDENT.test(k)));
}

describe('ecode sweep --queue end to end', () => {
  it(
    'two workers, one killed with SIGKILL mid-run: every run FINISHED once, same metrics as without a queue',
    { timeout: 900_000 },
    async () => {
      const sweep = loadSweep(SMOKE);
      const hashes = sweep.runs.map((r) => r.hash).sort();
      let baselineRoot = process.env.ECODE_SMOKE_BASELINE;
      const baseCwd = baselineRoot ? undefined : mkdtempSync(join(tmpdir(), 'ecode-queue-base-'));
      if (baseCwd) {
        const base = ecode(['sweep', SMOKE, '--jobs', '2'], baseCwd);
        expect(await base.code, base.out()).toBe(0);
        baselineRoot = join(baseCwd, 'mlruns');
      }
      const baseline = (await storeRuns(resolve(baselineRoot!))).filter((r) => r.status === 'FINISHED');
      expect(baseline.map((r) => r.hash).sort(), `baseline ${baselineRoot}`).toEqual(hashes);

      const redis = await startRedisServer();
      const cwd = mkdtempSync(join(tmpdir(), 'ecode-queue-e2e-'));
      const workerArgs = (name: string) => [
        'worker',
        '--queue',
        redis.url,
        '--name',
        name,
        '--runs-dir',
        'shared-runs',
        '--lock-seconds',
        '8',
        '--stall-check-seconds',
        '1',
      ];
      const procs: EcodeProcess[] = [];
      try {
        const t0 = Date.now();
        const w1 = ecode(workerArgs('w1'), cwd);
        const w2 = ecode(workerArgs('w2'), cwd);
        procs.push(w1, w2);
        await Promise.all([w1.waitFor(/worker w1: taking runs/), w2.waitFor(/worker w2: taking runs/)]);
        const follower = ecode(['sweep', SMOKE, '--queue', redis.url, '--runs-dir', 'shared-runs'], cwd);
        procs.push(follower);

        // Kill w1 with SIGKILL once its run has written a training checkpoint, while it still runs.
        const started = await w1.waitFor(/\[(\S+)\] started on w1 \(([0-9a-f]{12}), try 1 of 3\); log (\S+)\/log\.txt/);
        const [, lostRun, , lostFolder] = started;
        const checkpoint = join(lostFolder, 'checkpoints', 'latest');
        for (let i = 0; !existsSync(checkpoint); i++) {
          if (i > 3000) throw new Error(`no checkpoint in ${lostFolder} after 300 s:\n${w1.out()}`);
          await new Promise((r) => setTimeout(r, 100));
        }
        w1.kill('SIGKILL');
        expect(await w1.code).toBe(137);
        const statusAtKill = JSON.parse(readFileSync(join(lostFolder, 'status.json'), 'utf8'));
        expect(statusAtKill.state).toBe('RUNNING');
        // A machine comes back: a fresh worker joins (the retry may go to it or to w2).
        const w3 = ecode(workerArgs('w3'), cwd);
        procs.push(w3);

        expect(await follower.code, follower.out()).toBe(0);
        const took = Date.now() - t0;
        const out = follower.out();
        expect(out).toContain(`sweep smoke: 5 runs on ${redis.url}/0: 5 queued, 0 already in the queue, 0 FINISHED`);
        expect(out).toContain(`[${lostRun}] its worker w1 was lost; back in the queue`);
        expect(out).toMatch(new RegExp(`\\[${lostRun}\\] running on w[23] \\(try 2 of 3\\)`));
        expect(out).toContain('sweep smoke: 5 finished, 0 skipped, 0 failed');
        expect(out).not.toContain('try failed');
        expect(out).toMatch(/report: .*reports\/smoke\/report\.md/);
        expect(existsSync(join(cwd, 'reports/smoke/report.html'))).toBe(true);
        expect(readFileSync(join(cwd, 'reports/smoke/report.md'), 'utf8')).toContain('gpt-neo');
        // The retry resumed from the shared run folder rather than starting over.
        const log = readFileSync(join(lostFolder, 'log.txt'), 'utf8');
        expect(log).toMatch(
          /training resumed from the checkpoint at step \d+|train: model\.safetensors exists, skipped/,
        );
        const retriedBy = new RegExp(`\\[${lostRun}\\] FINISHED on (w[23])`).exec(out)?.[1];
        expect(retriedBy).toBeDefined();

        // MLflow: each run FINISHED exactly once; the lost attempt KILLED and tagged; nothing left RUNNING.
        const runs = await storeRuns(join(cwd, 'mlruns'));
        const finished = runs.filter((r) => r.status === 'FINISHED');
        expect(finished.map((r) => r.hash).sort()).toEqual(hashes);
        const lostHash = statusAtKill.hash as string;
        expect(runs.filter((r) => r.status !== 'FINISHED').map((r) => [r.hash, r.status, r.tags[TAG_LOST]])).toEqual([
          [lostHash, 'KILLED', 'its worker was lost during this attempt; retried'],
        ]);
        // Same computed metrics (losses per step, pass rates, BLEU, sizes) as the runs done without a queue.
        for (const run of finished) {
          const base = baseline.find((b) => b.hash === run.hash)!;
          expect(Object.keys(computed(run.metrics)).length).toBeGreaterThan(10);
          expect(computed(run.metrics), run.hash).toEqual(computed(base.metrics));
        }

        // The queue's own account: all finished, the lost run with one lost worker, two tries.
        const status = ecode(['queue', 'status', '--queue', redis.url, '--json'], cwd);
        expect(await status.code).toBe(0);
        const st = JSON.parse(status.out());
        expect(st.counts).toEqual({ waiting: 0, active: 0, finished: 5, failed: 0, unknown: 0 });
        expect(st.runs.find((r: { hash: string }) => r.hash === lostHash)).toMatchObject({
          workerLosses: 1,
          failures: 0,
          attemptsStarted: 2,
          worker: retriedBy,
        });
        expect(st.workers).toEqual(['w2', 'w3']);
        const resumeLine = log.split('\n').find((l) => /resumed from the checkpoint|model\.safetensors exists/.test(l));
        process.stderr.write(
          [
            `queue e2e: smoke sweep through the queue in ${Math.round(took / 1000)} s; w1 killed during ${lostRun}:`,
            ...out.split('\n').filter((l) => l.startsWith(`[${lostRun}]`)),
            `retry: ${resumeLine}`,
            '',
          ].join('\n'),
        );

        for (const w of [w2, w3]) w.kill('SIGINT');
        expect(await w2.code).toBe(0);
        expect(await w3.code).toBe(0);
      } finally {
        for (const p of procs) p.kill('SIGKILL');
        await redis.stop();
        rmSync(cwd, { recursive: true, force: true });
        if (baseCwd) rmSync(baseCwd, { recursive: true, force: true });
      }
    },
  );
});
