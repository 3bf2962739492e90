/**
 * The webgpu backend against the wasm reference at tiny shapes, on whatever adapter this machine
 * has: a GPU, or under `.ci/run` chromium's SwiftShader software GPU (slow: tiny shapes only).
 * Without an adapter the suite is skipped with the reason; under CI=true it fails (webgpu-gate.ts).
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend, type BackendInfo } from './backend.js';
import { attention, cachedAttention, causalBias } from '../blocks/attention.js';
import { createModel } from '../ecode/create-model.js';
import {
  bmm,
  columnSum,
  embedding,
  gelu,
  geluNew,
  layerNorm,
  linear,
  maskedSoftmax,
  matMul2d,
  SeedSequence,
  sparseCrossEntropy,
} from '../blocks/ops.js';
import { relErr, tinyEcodeSpec, tinySamples } from '../testing/fixtures.js';
import { countReads } from '../testing/count-reads.js';
import { train } from '../train/train.js';
import { classifyAdapter, describeAdapter } from './webgpu-adapter.js';
import { describeWebgpu, webgpuProbe } from '../testing/webgpu-gate.js';

describe('classifyAdapter', () => {
  it('SwiftShader (as Dawn reports it) is software: a fallback adapter', () => {
    const a = classifyAdapter({
      vendor: 'google',
      architecture: 'swiftshader',
      device: 'swiftshader-device-subzero-',
      description: 'SwiftShader driver 5.0.0',
      isFallbackAdapter: true,
    });
    expect(a.software).toBe(true);
    expect(a.softwareReason).toBe('a fallback adapter (isFallbackAdapter)');
    expect(describeAdapter(a)).toBe(
      'google swiftshader (SwiftShader driver 5.0.0), software: a fallback adapter (isFallbackAdapter)',
    );
  });

  it('names of software rasterisers count even without the fallback flag; a CPU adapter type too', () => {
    const lavapipe = classifyAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.7, 256 bits)' });
    expect(lavapipe.software).toBe(true);
    expect(lavapipe.softwareReason).toBe('a software rasteriser (llvmpipe)');
    expect(classifyAdapter({ vendor: 'google', architecture: 'swiftshader' }).software).toBe(true);
    expect(classifyAdapter({ vendor: 'x', adapterType: 'cpu' }).softwareReason).toBe('adapter type cpu');
  });

  it('an NVIDIA adapter is a GPU', () => {
    const a = classifyAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H100 80GB HBM3' });
    expect(a.software).toBe(false);
    expect(a.softwareReason).toBeUndefined();
    expect(describeAdapter(a)).toBe('nvidia hopper (NVIDIA H100 80GB HBM3), GPU');
  });
});

/** Deterministic values in [-1, 1) (no backend RNG involved). */
function values(n: number, seed: number): Float32Array {
  return Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed * 78.233) * 0.9);
}
const t = (shape: number[], seed: number) =>
  tf.tensor(
    values(
      shape.reduce((a, b) => a * b, 1),
      seed,
    ),
    shape,
  );

/** Value and gradients of `sum(f(xs) * w)` for a fixed weighting w, read asynchronously (webgpu). */
async function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): Promise<Float32Array[]> {
  const y = f(...xs);
  const w = t(y.shape, 99);
  const g = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), w)))(xs);
  const out = [
    new Float32Array(await y.data()),
    ...(await Promise.all(g.map(async (x) => new Float32Array(await x.data())))),
  ];
  tf.dispose([y, w, ...g]);
  return out;
}

/** Every op of the model's step (forward and gradient) at tiny shapes on the backend now active. */
async function modelOps(): Promise<Record<string, Float32Array[]>> {
  const x = t([6, 8], 1);
  const w = t([5, 8], 2);
  const b = t([5], 3);
  const a3 = t([3, 4, 6], 4);
  const b3 = t([3, 6, 5], 5);
  const gamma = t([8], 6);
  const beta = t([8], 7);
  const scores = t([2, 3, 4, 4], 8);
  const bias = causalBias(
    [
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ],
    [
      [0, 1, 2, 3],
      [0, 1, 2, 3],
    ],
    [
      [1, 1, 1, 1],
      [1, 1, 1, 0],
    ],
    2,
  );
  const logits = t([4, 7], 9);
  const table = t([10, 8], 10);
  const ids = tf.tensor1d([3, 0, 9, 3, 5], 'int32');
  const q = t([6, 4, 8], 11);
  const kT = t([6, 8, 4], 12);
  const v = t([6, 4, 8], 13);
  const out: Record<string, Float32Array[]> = {
    linear: await valueAndGrads((xx, ww, bb) => linear(xx, ww, bb), [x, w, b]),
    matMul2d: await valueAndGrads((xx, ww) => matMul2d(xx as tf.Tensor2D, tf.transpose(ww) as tf.Tensor2D), [x, w]),
    bmm: await valueAndGrads((p, r) => bmm(p as tf.Tensor3D, r as tf.Tensor3D), [a3, b3]),
    layerNorm: await valueAndGrads((xx, g, be) => layerNorm(xx, g, be, 1e-5), [x, gamma, beta]),
    gelu: await valueAndGrads((xx) => gelu(xx), [tf.mul(x, 3)]),
    geluNew: await valueAndGrads((xx) => geluNew(xx), [tf.mul(x, 3)]),
    maskedSoftmax: await valueAndGrads((s) => maskedSoftmax(s as tf.Tensor4D, bias), [scores]),
    sparseCrossEntropy: await valueAndGrads(
      (lg) => sparseCrossEntropy(lg as tf.Tensor2D, Int32Array.from([1, 6, 0, 3]), Float32Array.from([1, 1, 0, 1])),
      [logits],
    ),
    embedding: await valueAndGrads((tb) => embedding(tb, ids), [table]),
    // Only used inside gradients (bias gradients): forward only.
    columnSum: [new Float32Array(await columnSum(x).data())],
    // Decoding (no gradient): the last query row over the cache, and every row with kT.
    cachedAttention: await Promise.all(
      [
        cachedAttention(t([2, 1, 24], 17) as tf.Tensor3D, q as tf.Tensor3D, v as tf.Tensor3D, {
          heads: 3,
          scale: 1,
          bias: tf.slice(bias, [0, 0, 3, 0], [2, 1, 1, 4]),
        }),
        cachedAttention(t([2, 4, 24], 18) as tf.Tensor3D, q as tf.Tensor3D, v as tf.Tensor3D, {
          heads: 3,
          scale: 0.5,
          bias,
          kT: tf.transpose(q, [0, 2, 1]) as tf.Tensor3D,
        }),
      ].map(async (o) => new Float32Array(await o.data())),
    ),
    attention: await valueAndGrads(
      (qq, kk, vv) =>
        attention(qq as tf.Tensor3D, kk as tf.Tensor3D, vv as tf.Tensor3D, {
          heads: 3,
          scale: 0.5,
          bias,
          dropoutRate: 0,
          training: true,
          seeds: new SeedSequence(1),
        }),
      [t([2, 4, 12], 14), t([2, 4, 12], 15), t([2, 4, 12], 16)],
    ),
  };
  tf.dispose([x, w, b, a3, b3, gamma, beta, scores, bias, logits, table, ids, q, kT, v]);
  return out;
}

/**
 * Per-step losses of a few tiny E-code training steps (AdamW, clip 1.0) on the backend now active,
 * and how often tensor data was read back (`data()` / `dataSync()`) while training.
 */
async function tinyTrainingLosses(logEvery = 1): Promise<{ losses: number[]; reads: number }> {
  const model = createModel(tinyEcodeSpec({ seed: 3, dropout: 0 }));
  const losses: number[] = [];
  try {
    const { reads } = await countReads(() =>
      train(model, tinySamples(4), [], {
        logEvery,
        seed: 1,
        batchSize: 2,
        epochs: 2,
        maxSteps: 3,
        lr: 1e-3,
        clipNorm: 1,
        progress: false,
        onMetrics: async (m) => {
          losses.push(m.loss);
        },
      }),
    );
    return { losses, reads };
  } finally {
    model.dispose();
  }
}

describeWebgpu('webgpu backend on this machine', () => {
  const adapter = webgpuProbe.adapter!;

  it('auto never picks a software adapter: it goes on to wasm and says why', async () => {
    const lines: string[] = [];
    const info = await initBackend('auto', (l) => lines.push(l));
    if (adapter.software) {
      expect(info.name).not.toBe('webgpu');
      expect(info.adapter).toBeUndefined();
      const skip = info.skipped.find((s) => s.startsWith('webgpu:'));
      expect(skip).toContain(`the only adapter is software, ${describeAdapter(adapter)}`);
      expect(lines[0]).toContain('webgpu: the only adapter is software');
    } else {
      expect(['webgpu', 'tensorflow']).toContain(info.name);
    }
  });

  it('webgpu by name runs on the adapter, names it and warns when it is software', async () => {
    const lines: string[] = [];
    const info: BackendInfo = await initBackend('webgpu', (l) => lines.push(l));
    expect(info.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(info.adapter).toEqual(adapter);
    expect(lines[0]).toContain(`tfjs backend: webgpu, adapter: ${describeAdapter(adapter)}`);
    if (adapter.software) {
      expect(info.warnings).toEqual([
        `webgpu runs on a software adapter, ${describeAdapter(adapter)}: a CPU rasteriser, far slower than a GPU and than wasm`,
      ]);
      expect(lines[1]).toBe(`[ecode/model] warning: ${info.warnings[0]}`);
    } else expect(info.warnings).toEqual([]);
  });

  it("the model's ops match wasm in value and gradient", async () => {
    await initBackend('wasm', () => {});
    const ref = await modelOps();
    await initBackend('webgpu', () => {});
    const gpu = await modelOps();
    for (const [op, outs] of Object.entries(ref)) {
      expect(gpu[op].length, op).toBe(outs.length);
      outs.forEach((o, i) => expect(relErr(gpu[op][i], o), `${op} output ${i}`).toBeLessThan(1e-4));
    }
  }, 240_000);

  it('a tiny training run gives per-step losses within 1e-3 relative of the wasm run, read back once', async () => {
    await initBackend('wasm', () => {});
    const { losses: wasm, reads: wasmReads } = await tinyTrainingLosses();
    await initBackend('webgpu', () => {});
    // The three steps' losses stay on the GPU and come back in one read at the end.
    const { losses: gpu, reads } = await tinyTrainingLosses(3);
    expect(reads).toBe(1);
    expect(wasmReads).toBe(3);
    expect(wasm.length).toBe(3);
    expect(gpu.length).toBe(3);
    gpu.forEach((l, i) => expect(Math.abs(l - wasm[i]) / wasm[i], `step ${i + 1}`).toBeLessThan(1e-3));
    // It trained: the last loss is below the first.
    expect(gpu[2]).toBeLessThan(gpu[0]);
    // SwiftShader: ~25 s of CPU, minutes of wall time on a loaded 2-core machine.
  }, 420_000);
});
