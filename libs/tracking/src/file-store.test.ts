import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileStoreTracker } from './file-store.js';
import { TAG_CONFIG_HASH } from './tags.js';

let tmp: string;
let tracker: FileStoreTracker;
let clock: number;
beforeEach(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-fs-'));
  clock = 1_700_000_000_000;
  tracker = new FileStoreTracker({
    root: path.join(tmp, 'mlruns'),
    now: () => clock++,
    sourceTags: () => ({ 'mlflow.user': 'tester' }),
  });
});
afterEach(async () => {
  await fs.rm(tmp, { recursive: true, force: true });
});

describe('FileStoreTracker', () => {
  it('creates the Default experiment and .trash, and reuses experiments by name', async () => {
    const a = await tracker.getOrCreateExperiment('sweep');
    const b = await tracker.getOrCreateExperiment('sweep');
    expect(a).toBe(b);
    const names = (await tracker.listExperiments()).map((e) => e.name).sort();
    expect(names).toEqual(['Default', 'sweep']);
    expect((await fs.stat(path.join(tmp, 'mlruns', '.trash'))).isDirectory()).toBe(true);
    expect((await tracker.getExperiment('0')).artifactLocation).toBe(tracker.uri + '/0');
  });

  it('round-trips params, latest metrics, history and tags through getRun', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const run = await tracker.startRun({ experimentId: exp, runName: 'r1', tags: { [TAG_CONFIG_HASH]: 'abc' } });
    await run.logParams({ lr: 0.001, layers: 2, name: 'x y', flag: true });
    await run.logMetrics([
      { key: 'loss', value: 3, step: 0, timestamp: 10 },
      { key: 'loss', value: 2, step: 1, timestamp: 11 },
      { key: 'loss', value: 5, step: 1, timestamp: 9 },
      { key: 'acc', value: NaN, step: 0, timestamp: 10 },
    ]);
    await run.end('FAILED');
    const got = await tracker.getRun(run.runId);
    expect(got.info.status).toBe('FAILED');
    expect(got.info.runName).toBe('r1');
    expect(got.info.userId).toBe('tester');
    expect(got.info.endTime).toBeGreaterThan(got.info.startTime);
    expect(got.data.params).toEqual({ lr: '0.001', layers: '2', name: 'x y', flag: 'true' });
    expect(got.data.metrics.loss).toEqual({ key: 'loss', value: 2, step: 1, timestamp: 11 });
    expect(got.data.metrics.acc.value).toBeNaN();
    expect(got.data.tags).toMatchObject({ 'mlflow.runName': 'r1', 'mlflow.user': 'tester', [TAG_CONFIG_HASH]: 'abc' });
    expect((await tracker.getMetricHistory(run.runId, 'loss')).map((m) => m.value)).toEqual([3, 2, 5]);
  });

  it('keeps params immutable, as MLflow does', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const run = await tracker.startRun({ experimentId: exp });
    await run.logParams({ lr: '0.1' });
    await run.logParams({ lr: '0.1' });
    await expect(run.logParams({ lr: '0.2' })).rejects.toThrow(/Changing param values is not allowed.*lr/);
  });

  it('rejects keys MLflow rejects: bad characters, path traversal, too long, long values', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const run = await tracker.startRun({ experimentId: exp });
    await expect(run.logParams({ 'a*b': 1 })).rejects.toThrow(/Invalid parameter name: 'a\*b'/);
    await expect(run.logParams({ '../escape': 1 })).rejects.toThrow(/would resolve to/);
    await expect(run.logMetrics([{ key: '/abs', value: 1 }])).rejects.toThrow(/Invalid metric name/);
    await expect(run.setTags({ 'a/./b': 'x' })).rejects.toThrow(/Invalid tag name/);
    await expect(run.setTags({ ['k'.repeat(251)]: 'x' })).rejects.toThrow(/exceeded length limit of 250/);
    await expect(run.logParams({ p: 'v'.repeat(6001) })).rejects.toThrow(/exceeded length limit of 6000/);
    await expect(run.setTags({ t: 'v'.repeat(5001) })).rejects.toThrow(/exceeded length limit of 5000/);
    await expect(run.logArtifact({ name: '../x', content: 'x' })).rejects.toThrow(/must be relative/);
    await expect(tracker.getRun('../x')).rejects.toThrow(/Invalid run ID/);
    expect(await fs.readdir(path.join(tmp, 'mlruns', exp, run.runId, 'params'))).toEqual([]);
  });

  it('renaming through the mlflow.runName tag updates meta.yaml', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const run = await tracker.startRun({ experimentId: exp, runName: 'old' });
    await run.setTags({ 'mlflow.runName': 'new' });
    expect((await tracker.getRun(run.runId)).info.runName).toBe('new');
    await expect(
      tracker.startRun({ experimentId: exp, runName: 'a', tags: { 'mlflow.runName': 'b' } }),
    ).rejects.toThrow(/different values/);
  });

  it('copies file and folder artifacts into the run', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const run = await tracker.startRun({ experimentId: exp });
    const src = path.join(tmp, 'gen');
    await fs.mkdir(src);
    await fs.writeFile(path.join(src, 'a.jsonl'), '{"x":1}\n');
    const file = await run.logArtifact(path.join(src, 'a.jsonl'));
    const dir = await run.logArtifact(src, 'outputs');
    expect(file.artifactPath).toBe('a.jsonl');
    expect(dir.artifactPath).toBe('outputs/gen');
    const art = path.join(tmp, 'mlruns', exp, run.runId, 'artifacts');
    expect(await fs.readFile(path.join(art, 'a.jsonl'), 'utf8')).toBe('{"x":1}\n');
    expect(await fs.readFile(path.join(art, 'outputs', 'gen', 'a.jsonl'), 'utf8')).toBe('{"x":1}\n');
  });

  it('searchRuns finds a FINISHED run by config hash and skips others', async () => {
    const exp = await tracker.getOrCreateExperiment('e');
    const done = await tracker.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'H' } });
    await done.end('FINISHED');
    const failed = await tracker.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'H' } });
    await failed.end('FAILED');
    const other = await tracker.startRun({ experimentId: exp, tags: { [TAG_CONFIG_HASH]: 'G' } });
    await other.end('FINISHED');
    await fs.mkdir(path.join(tmp, 'mlruns', exp, 'half-written-run'));
    const found = await tracker.searchRuns({
      experimentIds: [exp],
      tags: { [TAG_CONFIG_HASH]: 'H' },
      status: 'FINISHED',
    });
    expect(found.map((r) => r.info.runId)).toEqual([done.runId]);
    const all = await tracker.searchRuns({ experimentIds: [exp] });
    expect(all.map((r) => r.info.runId)).toEqual([other.runId, failed.runId, done.runId]);
  });

  it('is safe for two processes writing to one experiment', async () => {
    const root = path.join(tmp, 'shared-mlruns');
    const worker = path.join(path.dirname(fileURLToPath(import.meta.url)), 'testing', 'file-store-worker.ts');
    const runWorker = () =>
      new Promise<string>((resolve, reject) => {
        const child = spawn(process.execPath, ['--import', 'tsx', worker, root, 'shared', '3', '40'], {
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        let err = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (err += d));
        child.on('close', (code) =>
          code === 0 ? resolve(out.trim()) : reject(new Error(`worker exited ${code}: ${err}`)),
        );
      });
    const [a, b] = await Promise.all([runWorker(), runWorker()]);
    expect(a).toBe(b);
    const reader = new FileStoreTracker({ root });
    expect((await reader.listExperiments()).filter((e) => e.name === 'shared')).toHaveLength(1);
    const runs = await reader.searchRuns({ experimentIds: [a], status: 'FINISHED' });
    expect(runs).toHaveLength(6);
    for (const r of runs) {
      const history = await reader.getMetricHistory(r.info.runId, 'loss');
      expect(history.map((m) => m.step)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    }
    expect((await fs.readdir(root)).filter((n) => n.startsWith('.ecode'))).toEqual([]);
  }, 60_000);
});
