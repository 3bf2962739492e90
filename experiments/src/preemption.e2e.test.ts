/**
 * Preemption with real processes (what SLURM, Kubernetes and spot instances do: SIGTERM, then
 * SIGKILL after a grace period), at a micro size:
 * - `ecode train` receiving SIGTERM mid-training writes a checkpoint at the signal (no periodic
 *   checkpoint is due), marks itself KILLED in MLflow and exits 130; run again, it resumes from that
 *   checkpoint to weights bit-identical to an uninterrupted run's, and its metric log holds each
 *   step once;
 * - `ecode sweep` getting a Ctrl-C at the terminal (SIGINT to its whole process group): each run
 *   hears it once, from the sweep (runs have their own process groups), and stops with a checkpoint;
 * - `ecode worker` receiving SIGTERM mid-run passes it on, puts the run back in the queue, and
 *   another worker resumes it from the checkpoint written at the signal, to the same weights;
 * - an idle `ecode worker` whose Redis has been gone for a while exits within 5 s of SIGTERM.
 */
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSweep, type SweepRun } from '@ecode/config';
import { FileStoreTracker } from '@ecode/tracking';
import { ECODE_BIN } from './runner/run-child.js';
import { startRedisServer } from './queue/test-redis.js';
import { spawnEcode, type EcodeProcess } from './queue/test-process.js';

const CONFIGS = fileURLToPath(new URL('../../configs/', import.meta.url));
const STEPS = 24;

const ecode = (args: string[], cwd: string) => spawnEcode(args, cwd, { waitMs: 180_000 });

/** Optimizer steps recorded in a run folder's train-metrics.jsonl, in file order. */
function loggedSteps(runFolder: string): number[] {
  const file = join(runFolder, 'train-metrics.jsonl');
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { step: number }).step);
}

async function until(what: string, ok: () => boolean, ms = 180_000): Promise<void> {
  for (const t0 = Date.now(); !ok();) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The step of the checkpoint `latest` names in a run folder. */
function latestCheckpointStep(runFolder: string): number {
  const name = readFileSync(join(runFolder, 'checkpoints', 'latest'), 'utf8').trim();
  return Number(/^step-(\d+)$/.exec(name)?.[1]);
}

async function mlflowStatus(cwd: string, runFolder: string): Promise<string> {
  const status = JSON.parse(readFileSync(join(runFolder, 'status.json'), 'utf8')) as { mlflowRunId: string };
  const run = await new FileStoreTracker({ root: join(cwd, 'mlruns') }).getRun(status.mlflowRunId);
  return run.info.status;
}

describe('preemption: SIGTERM to runs and workers', () => {
  let cwd: string;
  let run: SweepRun;
  let baselineWeights: Buffer;
  const procs: EcodeProcess[] = [];

  beforeAll(async () => {
    cwd = mkdtempSync(join(tmpdir(), 'ecode-preempt-'));
    // No periodic checkpoint before the end: the one the resume uses is the one written at the signal.
    writeFileSync(
      join(cwd, 'micro.yaml'),
      [
        `extends: ${join(CONFIGS, 'presets/tiny.yaml')}`,
        'data: { synthetic: { problems: 8 } }',
        `training: { maxSteps: ${STEPS}, evalEvery: 8, checkpointEvery: 1000, gradientAccumulation: 2 }`,
        'generation: { maxNewTokens: 8 }',
        'evaluation: { maxProblems: 1, repeats: 1, bootstrapSamples: 50 }',
        '',
      ].join('\n'),
    );
    writeFileSync(
      join(cwd, 'sweep.yaml'),
      ['name: preempt', 'base: micro.yaml', 'variants:', '  e-code: {}', 'seeds: [5]', ''].join('\n'),
    );
    run = loadSweep(join(cwd, 'sweep.yaml')).runs[0];
    writeFileSync(join(cwd, 'run.json'), JSON.stringify(run.config));
    // The uninterrupted run.
    const base = ecode(['train', 'run.json', '--runs-dir', 'base'], cwd);
    procs.push(base);
    expect(await base.code, base.out()).toBe(0);
    baselineWeights = readFileSync(join(cwd, 'base', run.hash, 'model.safetensors'));
    expect(loggedSteps(join(cwd, 'base', run.hash))).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }, 300_000);

  afterAll(() => {
    for (const p of procs) p.kill('SIGKILL');
    if (cwd) rmSync(cwd, { recursive: true, force: true });
  });

  it('ecode train: SIGTERM mid-training checkpoints at the signal; the rerun resumes to identical weights', async () => {
    const folder = join(cwd, 'a', run.hash);
    const first = ecode(['train', 'run.json', '--runs-dir', 'a'], cwd);
    procs.push(first);
    await until('3 training steps', () => loggedSteps(folder).length >= 3 || first.out().includes('training done'));
    first.kill('SIGTERM');
    expect(await first.code, first.out()).toBe(130);
    expect(first.out()).toContain('SIGTERM: stopping at the next micro-batch and writing a checkpoint (within 30 s');
    expect(first.out()).toContain('run interrupted: marked KILLED; run the same command again to resume');
    const stoppedAt = latestCheckpointStep(folder);
    expect(stoppedAt).toBeGreaterThanOrEqual(3);
    expect(stoppedAt).toBeLessThan(STEPS);
    // The checkpoint holds every step that was logged: nothing finished is lost.
    expect(loggedSteps(folder)).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
    expect(JSON.parse(readFileSync(join(folder, 'status.json'), 'utf8')).state).toBe('KILLED');
    expect(await mlflowStatus(cwd, folder)).toBe('KILLED');

    const second = ecode(['train', 'run.json', '--runs-dir', 'a'], cwd);
    procs.push(second);
    expect(await second.code, second.out()).toBe(0);
    expect(second.out()).toContain(`training resumed from the checkpoint at step ${stoppedAt}`);
    expect(readFileSync(join(folder, 'model.safetensors')).equals(baselineWeights)).toBe(true);
    expect(loggedSteps(folder)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
  }, 300_000);

  it('ecode sweep: Ctrl-C at the terminal (its whole process group) stops the run once, with a checkpoint', async () => {
    // A working directory of its own: the sweep skips runs FINISHED in its MLflow store.
    const scwd = join(cwd, 'swept');
    mkdirSync(scwd);
    for (const f of ['micro.yaml', 'sweep.yaml']) copyFileSync(join(cwd, f), join(scwd, f));
    const folder = join(scwd, 'runs', run.hash);
    // Its own process group, as a shell gives a foreground job: a Ctrl-C goes to the whole group.
    const sweep = spawn(process.execPath, [ECODE_BIN, 'sweep', 'sweep.yaml'], {
      cwd: scwd,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    sweep.stdout.on('data', (b: Buffer) => (out += b.toString()));
    sweep.stderr.on('data', (b: Buffer) => (out += b.toString()));
    const code = new Promise<number | null>((res) => sweep.on('close', (c) => res(c)));
    try {
      await until('3 training steps', () => loggedSteps(folder).length >= 3);
      process.kill(-sweep.pid!, 'SIGINT');
      expect(await code, out).toBe(130);
    } finally {
      try {
        process.kill(-sweep.pid!, 'SIGKILL');
      } catch {
        /* gone */
      }
    }
    const log = readFileSync(join(folder, 'log.txt'), 'utf8');
    // The run heard the signal once (from the sweep), never a second time ("again: at once").
    expect(log.match(/SIGINT: stopping at the next micro-batch/g), log).toHaveLength(1);
    expect(log).not.toContain('SIGINT again: stopping at once');
    expect(out).toContain('[e-code-s5] KILLED after');
    const stoppedAt = latestCheckpointStep(folder);
    expect(loggedSteps(folder)).toEqual(Array.from({ length: stoppedAt }, (_, i) => i + 1));
    expect(JSON.parse(readFileSync(join(folder, 'status.json'), 'utf8')).state).toBe('KILLED');
    expect(await mlflowStatus(scwd, folder)).toBe('KILLED');
  }, 300_000);

  it('ecode worker: SIGTERM mid-run requeues the run; another worker resumes it to identical weights', async () => {
    // A working directory of its own: the queued sweep skips runs FINISHED in its MLflow store.
    const qcwd = join(cwd, 'queued');
    mkdirSync(qcwd);
    for (const f of ['micro.yaml', 'sweep.yaml']) copyFileSync(join(cwd, f), join(qcwd, f));
    const redis = await startRedisServer();
    const folder = join(qcwd, 'shared', run.hash);
    const workerArgs = (name: string) => ['worker', '--queue', redis.url, '--name', name, '--runs-dir', 'shared'];
    try {
      const w1 = ecode(workerArgs('w1'), qcwd);
      procs.push(w1);
      await w1.waitFor(/worker w1: taking runs/);
      const queued = ecode(['sweep', 'sweep.yaml', '--queue', redis.url, '--runs-dir', 'shared', '--detach'], qcwd);
      expect(await queued.code, queued.out()).toBe(0);
      expect(queued.out()).toContain('1 queued');
      await w1.waitFor(/started on w1/);
      await until('3 training steps', () => loggedSteps(folder).length >= 3);
      w1.kill('SIGTERM');
      expect(await w1.code, w1.out()).toBe(130);
      expect(w1.out()).toContain('worker w1: SIGTERM: stopping 1 run(s) at their next micro-batch');
      expect(w1.out()).toContain('interrupted: back in the queue, to resume from its last checkpoint');
      expect(w1.out()).toContain('worker w1: stopped');
      const stoppedAt = latestCheckpointStep(folder);
      expect(stoppedAt).toBeGreaterThanOrEqual(3);
      expect(stoppedAt).toBeLessThan(STEPS);
      expect(await mlflowStatus(qcwd, folder)).toBe('KILLED');

      const w2 = ecode(workerArgs('w2'), qcwd);
      procs.push(w2);
      await w2.waitFor(/FINISHED in/, 240_000);
      expect(readFileSync(join(folder, 'log.txt'), 'utf8')).toContain(
        `training resumed from the checkpoint at step ${stoppedAt}`,
      );
      expect(readFileSync(join(folder, 'model.safetensors')).equals(baselineWeights)).toBe(true);
      expect(loggedSteps(folder)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
      w2.kill('SIGINT');
      expect(await w2.code).toBe(0);
    } finally {
      await redis.stop();
    }
  }, 300_000);
});

describe('preemption: an idle worker', () => {
  it('ecode worker: idle, its Redis gone for a while, exits within 5 s of SIGTERM', async () => {
    const redis = await startRedisServer();
    const w = ecode(['worker', '--queue', redis.url, '--name', 'idle'], tmpdir());
    try {
      await w.waitFor(/worker idle: taking runs/);
      await redis.stop();
      await w.waitFor(/queue: lost Redis at/);
      // Long enough for the reconnect back-off to grow (the state in which SIGTERM used to be ignored).
      await new Promise((r) => setTimeout(r, 12_000));
      const t0 = Date.now();
      w.kill('SIGTERM');
      const code = await Promise.race([w.code, new Promise<string>((r) => setTimeout(() => r('alive'), 5000))]);
      expect(code, w.out()).toBe(0);
      expect(Date.now() - t0).toBeLessThan(5000);
      expect(w.out()).toContain('worker idle: stopped');
    } finally {
      w.kill('SIGKILL');
      await redis.stop();
    }
  }, 60_000);
});
