import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { AdamW } from './optim-adamw.js';
import {
  loadOptimizerState,
  saveOptimizerState,
  defaultWeightsHooks,
  pruneCheckpoints,
  readLatestCheckpoint,
  writeDirAtomic,
  writeFileAtomic,
} from './checkpoint-state.js';

describe('atomic checkpoint files', () => {
  it('writes files and directories through temp + rename, replacing old ones', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-ck-'));
    await writeFileAtomic(join(root, 'f.txt'), 'one');
    await writeFileAtomic(join(root, 'f.txt'), 'two');
    expect(await readFile(join(root, 'f.txt'), 'utf8')).toBe('two');
    await writeDirAtomic(root, 'best', async (d) => writeFile(join(d, 'w'), 'v1'));
    await writeDirAtomic(root, 'best', async (d) => writeFile(join(d, 'w'), 'v2'));
    expect(await readFile(join(root, 'best', 'w'), 'utf8')).toBe('v2');
    expect((await readdir(root)).sort()).toEqual(['best', 'f.txt']);
    // A writer that crashes leaves the previous directory intact.
    await expect(
      writeDirAtomic(root, 'best', async () => {
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    expect(await readFile(join(root, 'best', 'w'), 'utf8')).toBe('v2');
    expect(await readLatestCheckpoint(root)).toBeNull();
  });

  it('prunes old step directories and keeps the latest', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-ck-'));
    for (const s of ['step-000001', 'step-000002', 'step-000003']) await mkdir(join(root, s));
    await mkdir(join(root, '.step-000004.tmp-999999-1'));
    await writeFile(join(root, 'latest'), 'step-000003\n');
    await pruneCheckpoints(root, 2);
    expect((await readdir(root)).sort()).toEqual(['latest', 'step-000002', 'step-000003']);
  });

  it('default weight hooks reload every variable bit-exactly and name a missing tensor', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-ck-'));
    const v = tf.variable(tf.tensor1d([0.1, 0.2, 0.3]), true, 'ck-hook-v');
    const hooks = defaultWeightsHooks(new Map([['layer.weight', v]]));
    await hooks.save(root);
    const saved = Array.from(await v.data());
    v.assign(tf.zeros([3]));
    await hooks.load(root);
    expect(Array.from(await v.data())).toEqual(saved);
    const w = tf.variable(tf.zeros([2]), true, 'ck-hook-w');
    await expect(defaultWeightsHooks(new Map([['other', w]])).load(root)).rejects.toThrow(
      /1 variables got no tensor, e.g. other/,
    );
    v.dispose();
    w.dispose();
  });

  it('saves and restores the AdamW state bit-exactly (moments and step)', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ecode-ck-'));
    const w = tf.variable(tf.tensor1d([0.5, -0.25, 1e-7]), true, 'ck-opt-w');
    const opt = new AdamW(new Map([['layer.weight', w]]));
    const g = tf.tensor1d([0.3, -1.7, 2e-5]);
    opt.apply(new Map([['layer.weight', g]]), 0.01);
    opt.apply(new Map([['layer.weight', g]]), 0.01);
    await saveOptimizerState(root, opt);
    const fresh = new AdamW(new Map([['layer.weight', w]]));
    await loadOptimizerState(root, fresh);
    expect(fresh.step).toBe(2);
    const a = opt.getState();
    const b = fresh.getState();
    for (const [k, t] of a.tensors)
      expect(Array.from(await b.tensors.get(k)!.data()), k).toEqual(Array.from(await t.data()));
    for (const t of [...a.tensors.values(), ...b.tensors.values(), g, w]) t.dispose();
    opt.dispose();
    fresh.dispose();
  });
});
