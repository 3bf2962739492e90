import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeAvailable } from '@ecode/kernels';
import { initBackend as startBackend } from '../backend/backend.js';
import { nativeActive, setNativeKernels } from '@ecode/kernels';
import {
  bmm,
  columnSum,
  dropout,
  SeedSequence,
  gelu,
  geluNew,
  layerNorm,
  linear,
  maskedSoftmax,
  matMul2d,
  sparseCrossEntropy,
} from './ops.js';
import { relErr } from '../testing/fixtures.js';

function gradsOf(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Float32Array[] {
  const g = tf.grads((...a: tf.Tensor[]) =>
    tf.sum(
      tf.mul(
        f(...a),
        tf
          .range(0, f(...xs).size)
          .reshape(f(...xs).shape)
          .sin(),
      ),
    ),
  )(xs);
  return g.map((t) => t.dataSync() as Float32Array);
}

const hasNative = nativeAvailable();

// wasm twice: the JS fused kernels with XNNPACK products, and the native kernels (when built).
for (const [label, backend, native] of [
  ['wasm', 'wasm', false],
  ['wasm+native', 'wasm', true],
  ['cpu', 'cpu', false],
] as const) {
  const initBackend = async (b: typeof backend, log: (l: string) => void) => {
    await startBackend(b, log);
    if (b === 'wasm') setNativeKernels(native);
    expect(nativeActive() && b === 'wasm').toBe(native);
  };
  describe.skipIf(native && !hasNative)(`fast ops on ${label}`, () => {
    it('linear, matMul2d and bmm match tf.matMul in value and gradient', async () => {
      await initBackend(backend, () => {});
      const x = tf.randomNormal([5, 3], 0, 1, 'float32', 1);
      const w = tf.randomNormal([4, 3], 0, 1, 'float32', 2);
      const b = tf.randomNormal([4], 0, 1, 'float32', 3);
      const ref = (xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D, false, true), bb);
      expect(relErr(linear(x, w, b).dataSync(), ref(x, w, b).dataSync())).toBeLessThan(1e-6);
      const g1 = gradsOf((xx, ww, bb) => linear(xx, ww, bb), [x, w, b]);
      const g2 = gradsOf(ref, [x, w, b]);
      g1.forEach((g, i) => expect(relErr(g, g2[i])).toBeLessThan(1e-5));

      const a2 = tf.randomNormal([3, 6], 0, 1, 'float32', 4);
      const b2 = tf.randomNormal([6, 2], 0, 1, 'float32', 5);
      const m1 = gradsOf((p, q) => matMul2d(p as tf.Tensor2D, q as tf.Tensor2D), [a2, b2]);
      const m2 = gradsOf((p, q) => tf.matMul(p as tf.Tensor2D, q as tf.Tensor2D), [a2, b2]);
      m1.forEach((g, i) => expect(relErr(g, m2[i])).toBeLessThan(1e-5));

      const a3 = tf.randomNormal([4, 3, 5], 0, 1, 'float32', 6);
      const b3 = tf.randomNormal([4, 5, 2], 0, 1, 'float32', 7);
      expect(
        relErr(
          bmm(a3 as tf.Tensor3D, b3 as tf.Tensor3D).dataSync(),
          tf.matMul(a3 as tf.Tensor3D, b3 as tf.Tensor3D).dataSync(),
        ),
      ).toBeLessThan(1e-6);
      const k1 = gradsOf((p, q) => bmm(p as tf.Tensor3D, q as tf.Tensor3D), [a3, b3]);
      const k2 = gradsOf((p, q) => tf.matMul(p as tf.Tensor3D, q as tf.Tensor3D), [a3, b3]);
      k1.forEach((g, i) => expect(relErr(g, k2[i])).toBeLessThan(1e-5));
    });

    it('bmm gradients take either transpose order correctly', async () => {
      await initBackend(backend, () => {});
      // Wide N (probabilities-like) and narrow N shapes exercise both branches.
      for (const [m, k, n] of [
        [6, 9, 2],
        [3, 2, 8],
        [5, 5, 5],
      ]) {
        const a = tf.randomNormal([3, m, k], 0, 1, 'float32', m);
        const b = tf.randomNormal([3, k, n], 0, 1, 'float32', n);
        const g1 = gradsOf((p, q) => bmm(p as tf.Tensor3D, q as tf.Tensor3D), [a, b]);
        const g2 = gradsOf((p, q) => tf.matMul(p as tf.Tensor3D, q as tf.Tensor3D), [a, b]);
        g1.forEach((g, i) => expect(relErr(g, g2[i])).toBeLessThan(1e-5));
      }
    });

    it('layerNorm, gelu, gelu_new and the fused cross-entropy match composed ops in value and gradient', async () => {
      await initBackend(backend, () => {});
      const x = tf.randomNormal([2, 3, 6], 0, 2, 'float32', 8);
      const g = tf.randomNormal([6], 1, 0.2, 'float32', 9);
      const b = tf.randomNormal([6], 0, 0.2, 'float32', 10);
      const refLn = (xx: tf.Tensor, gg: tf.Tensor, bb: tf.Tensor) => {
        const m = tf.mean(xx, -1, true);
        const v = tf.mean(tf.square(tf.sub(xx, m)), -1, true);
        return tf.add(tf.mul(tf.div(tf.sub(xx, m), tf.sqrt(tf.add(v, 1e-5))), gg), bb);
      };
      expect(relErr(layerNorm(x, g, b, 1e-5).dataSync(), refLn(x, g, b).dataSync())).toBeLessThan(1e-5);
      const l1 = gradsOf((a, c, d) => layerNorm(a, c, d, 1e-5), [x, g, b]);
      const l2 = gradsOf(refLn, [x, g, b]);
      l1.forEach((gr, i) => expect(relErr(gr, l2[i])).toBeLessThan(1e-4));

      const refGelu = (a: tf.Tensor) => tf.mul(tf.mul(a, 0.5), tf.add(1, tf.erf(tf.mul(a, Math.SQRT1_2))));
      expect(relErr(gradsOf((a) => gelu(a), [x])[0], gradsOf(refGelu, [x])[0])).toBeLessThan(1e-4);
      const refNew = (a: tf.Tensor) =>
        tf.mul(
          tf.mul(a, 0.5),
          tf.add(1, tf.tanh(tf.mul(tf.add(a, tf.mul(tf.pow(a, 3), 0.044715)), Math.sqrt(2 / Math.PI)))),
        );
      expect(relErr(geluNew(x).dataSync(), refNew(x).dataSync())).toBeLessThan(1e-5);
      expect(relErr(gradsOf((a) => geluNew(a), [x])[0], gradsOf(refNew, [x])[0])).toBeLessThan(1e-4);

      const logits = tf.randomNormal([4, 7], 0, 3, 'float32', 11) as tf.Tensor2D;
      const targets = Int32Array.from([3, 0, 6, 2]);
      const mask = Float32Array.from([1, 1, 0, 1]);
      const refCe = (lg: tf.Tensor) =>
        tf.mul(
          tf.neg(tf.sum(tf.mul(tf.logSoftmax(lg), tf.oneHot(tf.tensor1d(targets, 'int32'), 7)), -1)),
          tf.tensor1d(mask),
        );
      expect(relErr(sparseCrossEntropy(logits, targets, mask).dataSync(), refCe(logits).dataSync())).toBeLessThan(1e-6);
      expect(
        relErr(
          gradsOf((lg) => sparseCrossEntropy(lg as tf.Tensor2D, targets, mask), [logits])[0],
          gradsOf(refCe, [logits])[0],
        ),
      ).toBeLessThan(1e-5);
      // A target ~120 nats below the best logit: its float32 softmax underflows (row 0) or is
      // denormal (row 1); the loss must still be exact.
      const far = tf.tensor2d(
        [
          [120, 0, 1, 2, 3, 4, 5],
          [100, 0, 1, 2, 3, 4, 5],
          [0, 1, 2, 3, 4, 5, 6],
          [0.5, 0, 0, 0, 0, 0, 0],
        ],
        [4, 7],
      );
      expect(
        relErr(
          sparseCrossEntropy(far, Int32Array.from([1, 1, 6, 0]), Float32Array.from([1, 1, 1, 1])).dataSync(),
          [120, 100, 0.4577628474, 1.5345384797],
        ),
      ).toBeLessThan(1e-4);
    });

    it('maskedSoftmax (per-query and key-only masks) and columnSum match composed ops', async () => {
      await initBackend(backend, () => {});
      const sc = tf.randomNormal([2, 3, 4, 5], 0, 2, 'float32', 12) as tf.Tensor4D;
      for (const mask of [
        tf.randomUniform([2, 1, 4, 5], -3, 0, 'float32', 13),
        tf.tensor4d([0, -1e9, 0, 0, 0, 0, 0, 0, -1e9, 0], [2, 1, 1, 5]),
      ]) {
        const ref = (s4: tf.Tensor) => tf.softmax(tf.add(s4, mask), -1);
        expect(relErr(maskedSoftmax(sc, mask).dataSync(), ref(sc).dataSync())).toBeLessThan(1e-6);
        expect(
          relErr(gradsOf((s4) => maskedSoftmax(s4 as tf.Tensor4D, mask), [sc])[0], gradsOf(ref, [sc])[0]),
        ).toBeLessThan(1e-5);
      }
      const m = tf.randomNormal([7, 3], 0, 1, 'float32', 14);
      expect(relErr(columnSum(m).dataSync(), tf.sum(m, 0).dataSync())).toBeLessThan(1e-6);
    });

    it('dropout: seeded, inverted scaling, gradient through the same mask', async () => {
      await initBackend(backend, () => {});
      const x = tf.ones([200, 50]);
      const y1 = dropout(x, 0.25, true, new SeedSequence(5)).dataSync();
      const y2 = dropout(x, 0.25, true, new SeedSequence(5)).dataSync();
      expect(Array.from(y1)).toEqual(Array.from(y2));
      const kept = Array.from(y1).filter((v) => v !== 0);
      expect(kept.every((v) => Math.abs(v - 1 / 0.75) < 1e-6)).toBe(true);
      expect(Math.abs(kept.length / y1.length - 0.75)).toBeLessThan(0.02);
      const g = tf
        .grad((a: tf.Tensor) => tf.sum(dropout(a, 0.25, true, new SeedSequence(5))))(x)
        .dataSync();
      expect(Array.from(g)).toEqual(Array.from(y1));
      expect(dropout(x, 0.25, false, new SeedSequence(5))).toBe(x);
    });

    it('gelu (erf) and gelu_new values', async () => {
      await initBackend(backend, () => {});
      const x = tf.tensor1d([-3, -1, 0, 0.5, 2]);
      // Reference values from the formulas in float64.
      const erfGelu = [-0.0040496, -0.1586553, 0, 0.3457463, 1.9544997];
      const tanhGelu = [-0.0036374, -0.158808, 0, 0.345714, 1.9545977];
      expect(relErr(gelu(x).dataSync(), erfGelu)).toBeLessThan(1e-5);
      expect(relErr(geluNew(x).dataSync(), tanhGelu)).toBeLessThan(1e-5);
    });
  });
}

describe('wasm kernels', () => {
  it('embedding gradient (UnsortedSegmentSum) works on wasm and matches cpu', async () => {
    const run = async (backend: 'wasm' | 'cpu') => {
      await startBackend(backend, () => {});
      const table = tf.tensor2d([
        [1, 2],
        [3, 4],
        [5, 6],
      ]);
      const g = tf.grad((t: tf.Tensor) =>
        tf.sum(
          tf.mul(
            tf.gather(t, tf.tensor1d([2, 0, 2], 'int32')),
            tf.tensor2d([
              [1, 2],
              [3, 4],
              [5, 6],
            ]),
          ),
        ),
      )(table);
      return Array.from(g.dataSync());
    };
    const w = await run('wasm');
    expect(w).toEqual([3, 4, 0, 0, 6, 8]);
    expect(await run('cpu')).toEqual(w);
  });
});
