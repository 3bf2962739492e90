/**
 * Golden-file test: the store FileStoreTracker leaves must equal, byte for byte, the hand-written
 * MLflow-format tree in fixtures/golden-store (see its README), after replacing the store's
 * absolute URI by file:///ROOT; and with random ids and the real clock, after normalising ids and
 * timestamps on both sides.
 */
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { FileStoreTracker, type FileStoreOptions } from './file-store.js';
import { pathToFileUri } from './file-uri.js';

const GOLDEN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/golden-store');
const EXP = '123456789012345678';
const RUN = '0123456789abcdef0123456789abcdef';

async function listTree(root: string): Promise<string[]> {
  const out: string[] = [];
  async function walk(dir: string, rel: string): Promise<void> {
    for (const e of await fs.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        out.push(r + '/');
        await walk(path.join(dir, e.name), r);
      } else out.push(r);
    }
  }
  await walk(root, '');
  return out.sort();
}

async function scenario(options: FileStoreOptions): Promise<{ expId: string; runId: string }> {
  const tracker = new FileStoreTracker(options);
  const expId = await tracker.getOrCreateExperiment('ablation study');
  const run = await tracker.startRun({
    experimentId: expId,
    runName: 'e-code-seed1',
    tags: { 'ecode.config_hash': 'deadbeef', 'ecode.variant': 'e-code' },
  });
  await run.logParams({ 'model.layers': 2, 'train.lr': 0.001, 'model/name': 'e-code' });
  await run.logMetrics([
    { key: 'loss', value: 2.5, step: 0, timestamp: 1700000000100 },
    { key: 'loss', value: 1.25, step: 1, timestamp: 1700000000200 },
    { key: 'lr', value: 1e-5, step: 0, timestamp: 1700000000100 },
    { key: 'grad_norm', value: NaN, step: 0, timestamp: 1700000000100 },
    { key: 'grad_norm', value: Infinity, step: 0, timestamp: 1700000000100 },
    { key: 'tokens_per_s', value: 1e16, step: 2, timestamp: 1700000000300 },
    { key: 'tokens_per_s', value: 3, step: 3, timestamp: 1700000000300 },
  ]);
  await run.logArtifact({ name: 'config.yaml', content: 'seed: 1\n' });
  await run.logArtifact({ name: 'summary.md', content: '# Report\n' }, 'reports');
  await tracker.endRun(run.runId, 'FINISHED', 1700000001000);
  return { expId, runId: run.runId };
}

const SOURCE_TAGS = () => ({
  'mlflow.user': 'alice',
  'mlflow.source.name': 'ecode',
  'mlflow.source.type': 'LOCAL',
  'mlflow.source.git.commit': 'a'.repeat(40),
});

let tmp: string | undefined;
afterEach(async () => {
  if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  tmp = undefined;
});

async function compare(root: string, normalise: (s: string) => string): Promise<void> {
  const expectedTree = (await fs.readFile(path.join(GOLDEN, 'tree.txt'), 'utf8'))
    .trim()
    .split('\n')
    .map(normalise)
    .sort();
  const actualTree = (await listTree(root)).map(normalise).sort();
  expect(actualTree).toEqual(expectedTree);
  const goldenFiles = (await listTree(path.join(GOLDEN, 'store'))).filter((p) => !p.endsWith('/'));
  const actualFiles = (await listTree(root)).filter((p) => !p.endsWith('/'));
  const byNorm = new Map(actualFiles.map((p) => [normalise(p), p]));
  for (const rel of goldenFiles) {
    const expected = normalise(await fs.readFile(path.join(GOLDEN, 'store', rel), 'utf8'));
    const actualRel = byNorm.get(normalise(rel));
    expect(actualRel, `missing ${rel}`).toBeDefined();
    const actual = normalise(
      (await fs.readFile(path.join(root, actualRel!), 'utf8')).split(pathToFileUri(root)).join('file:///ROOT'),
    );
    expect(actual, rel).toBe(expected);
  }
}

describe('FileStoreTracker golden files', () => {
  it('writes exactly the hand-written MLflow tree (fixed ids and clock)', async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-golden-'));
    const root = path.join(tmp, 'mlruns');
    await scenario({
      root,
      now: () => 1700000000000,
      newRunId: () => RUN,
      newExperimentId: () => EXP,
      sourceTags: SOURCE_TAGS,
    });
    await compare(root, (s) => s);
  });

  it('matches after normalising random ids and real timestamps', async () => {
    tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'ecode-golden-'));
    const root = path.join(tmp, 'mlruns');
    const { expId, runId } = await scenario({ root, sourceTags: SOURCE_TAGS });
    expect(runId).toMatch(/^[0-9a-f]{32}$/);
    expect(expId).toMatch(/^[1-9][0-9]{17}$/);
    const normalise = (s: string) =>
      s
        .split(expId)
        .join('<EXP>')
        .split(runId)
        .join('<RUN>')
        .split(EXP)
        .join('<EXP>')
        .split(RUN)
        .join('<RUN>')
        .replace(/(creation_time|last_update_time|start_time): \d{13}/g, '$1: <TS>');
    await compare(root, normalise);
  });
});
