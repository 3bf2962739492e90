/** The training and generation loops against the real E-code model (tiny sizes, wasm backend). */
import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { initBackend } from '../backend/backend.js';
import { loadWeightsFile, saveWeights } from '../checkpoint/checkpoint.js';
import type { EncodedSample, CodeRewritingModel } from '../contracts.js';
import { createModel } from '../ecode/create-model.js';
import { tinyEcodeSpec, tinySamples } from '../testing/fixtures.js';
import type { ModelSpec } from '../ecode/spec.js';
import { train, type TrainOptions } from './train.js';
import { generate } from '../generate/generate.js';

const tinySpec = (seed: number): ModelSpec => tinyEcodeSpec({ seed, dropout: 0.1 });
const samples = (n: number): EncodedSample[] => tinySamples(n);

async function weights(model: CodeRewritingModel): Promise<Map<string, number[]>> {
  const out = new Map<string, number[]>();
  for (const [k, v] of model.variables) out.set(k, Array.from(await v.data()));
  return out;
}

const hooks = (model: CodeRewritingModel) => ({
  saveWeights: async (dir: string) =>
    void (await saveWeights(model.variables, { path: join(dir, 'model.safetensors') })),
  loadWeights: async (dir: string) => void (await loadWeightsFile(model.variables, join(dir, 'model.safetensors'))),
});

beforeAll(async () => {
  await initBackend('wasm', () => {});
});

describe('train + generate with the E-code model', () => {
  const data = samples(8);
  const opts: TrainOptions = {
    seed: 9,
    batchSize: 2,
    epochs: 2,
    lr: 1e-3,
    gradAccumulation: 1,
    progress: false,
    evalEvery: 2,
  };

  it('resumes a killed run (dropout on) to bit-identical weights, through the model checkpoint files', async () => {
    const straight = createModel(tinySpec(1));
    await train(straight, data.slice(0, 6), data.slice(6), opts);

    const dir = await mkdtemp(join(tmpdir(), 'ecode-train-ecode-'));
    const killed = createModel(tinySpec(1));
    const abort = new AbortController();
    const first = await train(killed, data.slice(0, 6), data.slice(6), {
      ...opts,
      checkpoint: { dir, every: 2, ...hooks(killed) },
      signal: abort.signal,
      onMetrics: (m) => {
        if (m.step === 3) abort.abort();
      },
    });
    expect(first.steps).toBe(3);
    const fresh = createModel(tinySpec(2));
    const second = await train(fresh, data.slice(0, 6), data.slice(6), {
      ...opts,
      checkpoint: { dir, every: 2, ...hooks(fresh) },
    });
    expect(second.resumedFromStep).toBe(2);
    expect(second.steps).toBe(6);
    const a = await weights(straight);
    const b = await weights(fresh);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toEqual(v);
    for (const m of [straight, killed, fresh]) m.dispose();
  });

  it('keeps the tensor count flat and lowers the loss', async () => {
    const model = createModel(tinySpec(4));
    const counts: number[] = [];
    const losses: number[] = [];
    await train(model, data.slice(0, 4), [], {
      ...opts,
      epochs: 5,
      lr: 3e-3,
      evalEvery: 0,
      onMetrics: (m) => {
        counts.push(tf.memory().numTensors);
        losses.push(m.loss);
      },
    });
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(losses.slice(-2).reduce((x, y) => x + y) / 2).toBeLessThan((losses[0] + losses[1]) / 2);
    model.dispose();
  });

  it('generates the same greedy tokens with and without the KV cache, batched or not', async () => {
    const model = createModel(tinySpec(5));
    const inputs = data.slice(0, 3).map((s) => ({ ...s, ec: [] }));
    const cached = await generate(model, inputs, { greedy: true, maxNewTokens: 7, stopToken: null, batchSize: 3 });
    const plain = await generate(model, inputs, {
      greedy: true,
      maxNewTokens: 7,
      stopToken: null,
      batchSize: 1,
      useCache: false,
    });
    expect(plain.map((g) => g.samples)).toEqual(cached.map((g) => g.samples));
    expect(cached.every((g) => g.samples[0].length === 7)).toBe(true);
    const before = tf.memory().numTensors;
    await generate(model, inputs, { maxNewTokens: 4, numSamples: 2, temperature: 0.25, topK: 3, topP: 0.7, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
