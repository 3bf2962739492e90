/**
 * `attention` (the `EcodeAttention` kernel) and `cachedAttention` (`EcodeCachedAttention`) against
 * the ops they replaced in the model (head split, `attend` below, head merge): on wasm (portable
 * and native) and cpu the kernels' references run, and they must give the same bits, values and
 * gradients, with and without dropout, for training and for decoding over a KV cache.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeActive, nativeAvailable, setNativeKernels } from '@ecode/kernels';
import { initBackend } from '../backend/backend.js';
import {
  attention,
  cachedAttention,
  causalBias,
  keyPaddingBias,
  mergeHeads,
  splitHeads,
  splitHeadsT,
} from './attention.js';
import { disposeNeoCache, emptyNeoCache, GPTNeoModel, gptNeoConfig } from './gpt-neo.js';
import { bmm, dropout, maskedSoftmax, SeedSequence } from './ops.js';
import { ParamStore } from './params.js';

/**
 * The model's attention core before the kernels (verbatim): `softmax(q k^T + bias) v` over heads
 * on head-split operands; with one query and untransposed keys the scores were `k q^T`.
 */
function attend(
  q: tf.Tensor3D,
  kT: tf.Tensor3D | null,
  v: tf.Tensor3D,
  o: {
    batch: number;
    heads: number;
    bias: tf.Tensor | null;
    dropoutRate?: number;
    training?: boolean;
    seeds?: SeedSequence;
    keys?: tf.Tensor3D;
  },
): tf.Tensor3D {
  const [bh, tq, dh] = q.shape;
  const tk = v.shape[1];
  let raw: tf.Tensor3D;
  if (tq === 1 && o.keys) raw = bmm(o.keys, tf.reshape(q, [bh, dh, 1]) as tf.Tensor3D);
  else if (kT) raw = bmm(q, kT);
  else if (o.keys) raw = bmm(q, tf.transpose(o.keys, [0, 2, 1]) as tf.Tensor3D);
  else throw new Error('attend: give transposed keys or keys');
  const scores = tf.reshape(raw, [o.batch, o.heads, tq, tk]) as tf.Tensor4D;
  let probs: tf.Tensor = maskedSoftmax(scores, o.bias);
  if (o.training && o.dropoutRate && o.seeds) probs = dropout(probs, o.dropoutRate, true, o.seeds);
  return bmm(tf.reshape(probs, [bh, tq, tk]) as tf.Tensor3D, v);
}

/** The model's attention before the kernel: scale q, split heads, `attend`, merge heads. */
function composed(q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D, o: Parameters<typeof attention>[3]): tf.Tensor3D {
  const [b, , d] = q.shape;
  const qs = o.scale !== 1 ? tf.mul(q, o.scale) : q;
  const ctx = attend(splitHeads(qs, o.heads), splitHeadsT(k, o.heads), splitHeads(v, o.heads), {
    batch: b,
    heads: o.heads,
    bias: o.bias,
    dropoutRate: o.dropoutRate,
    training: o.training,
    seeds: o.seeds,
  });
  return tf.reshape(mergeHeads(ctx, b, o.heads), [b, -1, d]) as tf.Tensor3D;
}

/** Value and gradients (of a fixed weighting of the output) with respect to q, k and v. */
function valueAndGrads(f: (q: tf.Tensor3D, k: tf.Tensor3D, v: tf.Tensor3D) => tf.Tensor, xs: tf.Tensor3D[]) {
  const w = tf.sin(tf.range(0, xs[0].size).reshape(xs[0].shape));
  const { value, grads } = tf.valueAndGrads((q: tf.Tensor, k: tf.Tensor, v: tf.Tensor) =>
    tf.sum(tf.mul(f(q as tf.Tensor3D, k as tf.Tensor3D, v as tf.Tensor3D), w)),
  )(xs);
  const out = f(xs[0], xs[1], xs[2]);
  return [out, value, ...grads].map((t) => Array.from(t.dataSync()));
}

for (const [label, backend, native] of [
  ['wasm', 'wasm', false],
  ['wasm+native', 'wasm', true],
  ['cpu', 'cpu', false],
] as const) {
  describe.skipIf(native && !nativeAvailable())(`attention kernel on ${label}`, () => {
    it('gives the bits of the composed ops it replaced: values and gradients, GPT-Neo, BERT and cross attention', async () => {
      await initBackend(backend, () => {});
      if (backend === 'wasm') setNativeKernels(native);
      expect(nativeActive() && backend === 'wasm').toBe(native);
      const r = (shape: [number, number, number], seed: number) =>
        tf.randomNormal(shape, 0, 1, 'float32', seed) as tf.Tensor3D;
      const pos = [
        [0, 1, 2, 3, 4],
        [0, 0, 1, 2, 3],
      ];
      const valid = [
        [1, 1, 1, 1, 1],
        [0, 1, 1, 1, 1],
      ];
      const cases = [
        { tq: 5, tk: 5, bias: causalBias(pos, pos, valid, 2), scale: 1, rate: 0, what: 'GPT-Neo local' },
        { tq: 5, tk: 5, bias: keyPaddingBias(valid), scale: 1 / Math.sqrt(4), rate: 0.2, what: 'BERT, dropout' },
        { tq: 3, tk: 5, bias: keyPaddingBias(valid), scale: 1 / Math.sqrt(4), rate: 0, what: 'cross attention' },
      ];
      for (const c of cases) {
        const [q, k, v] = [r([2, c.tq, 8], 1), r([2, c.tk, 8], 2), r([2, c.tk, 8], 3)];
        const o = () => ({
          heads: 2,
          scale: c.scale,
          bias: c.bias,
          dropoutRate: c.rate,
          training: true,
          seeds: new SeedSequence(7),
        });
        const got = valueAndGrads((a, b, cc) => attention(a, b, cc, o()), [q, k, v]);
        const want = valueAndGrads((a, b, cc) => composed(a, b, cc, o()), [q, k, v]);
        got.forEach((g, i) => expect(g, `${c.what}: ${['out', 'loss', 'dq', 'dk', 'dv'][i]}`).toEqual(want[i]));
        if (c.rate > 0) {
          const undropped = valueAndGrads((a, b, cc) => attention(a, b, cc, { ...o(), dropoutRate: 0 }), [q, k, v]);
          expect(got[0], 'dropout changes the output').not.toEqual(undropped[0]);
        }
        tf.dispose([q, k, v, c.bias!]);
      }
      // Decoding: one new query over 6 cached keys (GPT-Neo's cache, the cross attention's memory),
      // and 3 queries with the keys also kept transposed (the cross attention without a cache).
      for (const [tq, withKT, scale] of [
        [1, false, 1],
        [1, true, 0.5],
        [3, true, 0.5],
      ] as const) {
        const q = r([2, tq, 8], 4);
        const k = splitHeads(r([2, 6, 8], 5), 2);
        const kT = splitHeadsT(mergeHeads(k, 2, 2), 2);
        const v = splitHeads(r([2, 6, 8], 6), 2);
        const bias = keyPaddingBias([
          [1, 1, 1, 1, 1, 1],
          [0, 0, 1, 1, 1, 1],
        ]);
        const got = cachedAttention(q, k, v, { heads: 2, scale, bias, kT: withKT ? kT : undefined });
        const qh = splitHeads(scale !== 1 ? tf.mul(q, scale) : q, 2);
        const want = mergeHeads(attend(qh, withKT ? kT : null, v, { batch: 2, heads: 2, bias, keys: k }), 2, 2);
        expect(Array.from(got.dataSync()), `${tq} queries`).toEqual(Array.from(want.dataSync()));
        tf.dispose([q, k, kT, v, bias!, got, qh, want]);
      }
    }, 120_000);
  });
}

describe('GPT-Neo with a KV cache', () => {
  it('refuses to train (the cached attention has no gradient and no dropout)', async () => {
    await initBackend('cpu', () => {});
    const store = new ParamStore(0);
    const config = gptNeoConfig({
      vocabSize: 20,
      hiddenSize: 8,
      numLayers: 1,
      numHeads: 2,
      intermediateSize: 16,
      maxPositions: 8,
      windowSize: 4,
    });
    const neo = new GPTNeoModel(store.scope('transformer.'), config, new SeedSequence(0));
    const cache = emptyNeoCache(1, 1, 2, 4);
    const ids = tf.tensor2d([[3]], [1, 1], 'int32');
    expect(() => neo.forward({ ids, cache }, true)).toThrow(
      'GPTNeoSelfAttention: the KV cache is for inference; train without one',
    );
    const h = neo.forward({ ids, cache }, false);
    expect(h.shape).toEqual([1, 1, 8]);
    tf.dispose([h, ids]);
    disposeNeoCache(cache);
    store.dispose();
  });
});
