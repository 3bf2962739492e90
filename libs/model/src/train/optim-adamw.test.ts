import { describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { AdamW } from './optim-adamw.js';
import { clipByGlobalNorm, globalNorm } from './optim-clip.js';

/** PyTorch AdamW's update written out in doubles, the reference for the tensor version. */
function referenceAdamW(
  p: number[],
  grads: number[][],
  lr: number,
  wd: number,
  b1 = 0.9,
  b2 = 0.999,
  eps = 1e-8,
): number[] {
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  grads.forEach((g, k) => {
    const t = k + 1;
    for (let i = 0; i < p.length; i++) {
      p[i] *= 1 - lr * wd;
      m[i] = b1 * m[i] + (1 - b1) * g[i];
      v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
      const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
      p[i] -= (lr / (1 - b1 ** t)) * (m[i] / denom);
    }
  });
  return p;
}

describe('AdamW', () => {
  it('matches the PyTorch AdamW update (decoupled weight decay, bias correction)', async () => {
    const w = tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'adamw-test-w');
    const opt = new AdamW(new Map([['w', w]]), { weightDecay: 0.1 });
    const grads = [
      [0.1, -0.2, 0.3],
      [0.05, 0.4, -0.1],
      [-0.3, 0.1, 0.2],
    ];
    for (const g of grads) {
      const gt = tf.tensor1d(g);
      opt.apply(new Map([['w', gt]]), 0.01);
      gt.dispose();
    }
    const expected = referenceAdamW([0.5, -1, 2], grads, 0.01, 0.1);
    const got = Array.from(await w.data());
    got.forEach((x, i) => expect(x).toBeCloseTo(expected[i], 6));
    expect(opt.step).toBe(3);
    opt.dispose();
    w.dispose();
  });

  it('continues identically after its state is saved and restored into a new optimizer', async () => {
    const mk = (name: string) =>
      tf.variable(
        tf.tensor2d([
          [1, 2],
          [3, 4],
        ]),
        true,
        name,
      );
    const g1 = tf.tensor2d([
      [0.1, 0.2],
      [-0.3, 0.4],
    ]);
    const g2 = tf.tensor2d([
      [0.5, -0.1],
      [0.2, 0.05],
    ]);
    const a = mk('adamw-a');
    const optA = new AdamW(new Map([['a', a]]));
    optA.apply(new Map([['a', g1]]), 0.1);
    const saved = optA.getState();
    optA.apply(new Map([['a', g2]]), 0.1);

    const b = mk('adamw-b');
    const optB = new AdamW(new Map([['a', b]]));
    optB.apply(new Map([['a', g1]]), 0.1); // same weights as `a` after step 1
    const fresh = new AdamW(new Map([['a', b]]));
    fresh.setState({ step: saved.step, tensors: saved.tensors });
    fresh.apply(new Map([['a', g2]]), 0.1);
    expect(Array.from(await b.data())).toEqual(Array.from(await a.data()));
    expect(() => fresh.setState({ step: 1, tensors: new Map() })).toThrow(/no tensor 'exp_avg.a'/);
    expect(() => fresh.apply(new Map([['zzz', g1]]), 0.1)).toThrow(/unknown variable 'zzz'/);
    for (const t of [...saved.tensors.values(), g1, g2, a, b]) t.dispose();
    optA.dispose();
    optB.dispose();
    fresh.dispose();
  });

  it('creates no tensors per step', () => {
    const w = tf.variable(tf.ones([4]), true, 'adamw-mem');
    const opt = new AdamW(new Map([['w', w]]), { weightDecay: 0.01 });
    const g = tf.ones([4]);
    opt.apply(new Map([['w', g]]), 0.1);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.apply(new Map([['w', g]]), 0.1);
    expect(tf.memory().numTensors).toBe(before);
    g.dispose();
    opt.dispose();
    w.dispose();
  });
});

describe('global-norm clipping', () => {
  it('computes the global norm and scales every gradient by maxNorm / norm', async () => {
    const grads = new Map([
      ['a', tf.tensor1d([3, 0])],
      ['b', tf.tensor1d([0, 4])],
    ]);
    const n = globalNorm(grads.values(), 2);
    expect((await n.norm.data())[0]).toBeCloseTo(5, 6);
    expect((await n.scale.data())[0]).toBeCloseTo(2 / (5 + 1e-6), 6);
    const unclipped = globalNorm(grads.values());
    expect((await unclipped.scale.data())[0]).toBe(1);
    tf.dispose([n.norm, n.scale, unclipped.norm, unclipped.scale]);
    const { grads: clipped, norm } = clipByGlobalNorm(grads, 1);
    expect((await norm.data())[0]).toBeCloseTo(5, 6);
    expect(Array.from(await clipped.get('a')!.data())[0]).toBeCloseTo(0.6, 5);
    expect(Array.from(await clipped.get('b')!.data())[1]).toBeCloseTo(0.8, 5);
    const { grads: same, norm: n2 } = clipByGlobalNorm(grads, 10);
    expect(Array.from(await same.get('b')!.data())).toEqual([0, 4]);
    for (const t of [...grads.values(), ...clipped.values(), ...same.values(), norm, n2]) t.dispose();
  });
});
