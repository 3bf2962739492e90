import { describe, expect, it } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { decodeSafetensors, encodeSafetensors } from './checkpoint-state-safetensors.js';
import {
  defaultWeightsHooks,
  pruneCheckpoints,
  readLatestCheckpoint,
  writeDirAtomic,
  writeFileAtomic,
} from './checkpoint-state.js';

describe('minimal safetensors', () => {
  it('round-trips float32 and int32 tensors bit-exactly with an 8-byte aligned header', async () => {
    const a = tf.tensor2d([
      [1.5, -2.25e-7],
      [3, Number.MIN_VALUE],
    ]);
    const b = tf.tensor1d([7, -1, 2147483647], 'int32');
    const bytes = await encodeSafetensors(
      new Map<string, tf.Tensor>([
        ['x.a', a],
        ['y.b', b],
      ]),
      { step: '3' },
    );
    const headerLen = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect(headerLen % 8).toBe(0);
    const header = JSON.parse(Buffer.from(bytes.slice(8, 8 + headerLen)).toString());
    expect(header['x.a']).toEqual({ dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] });
    expect(header['y.b']).toEqual({ dtype: 'I32', shape: [3], data_offsets: [16, 28] });
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ step: '3' });
    expect(Array.from(await tensors.get('x.a')!.data())).toEqual(Array.from(await a.data()));
    expect(Array.from(await tensors.get('y.b')!.data())).toEqual([7, -1, 2147483647]);
    for (const t of [a, b, ...tensors.values()]) t.dispose();
    expect(() => decodeSafetensors(new Uint8Array(4), 'f.safetensors')).toThrow(/f.safetensors: file too short/);
  });
});

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
    await expect(defaultWeightsHooks(new Map([['other', w]])).load(root)).rejects.toThrow(/no tensor 'other'/);
    v.dispose();
    w.dispose();
  });
});
